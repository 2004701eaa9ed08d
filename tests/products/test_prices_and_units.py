"""Setting list prices and alternative units of a product from its Prices tab."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from products.models import ProductPrice, ProductUnit
from products.services import set_product_price, set_product_unit
from tests.factories import ProductFactory
from tests.factories.products import currency, price_list, unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def product(alice):
    return ProductFactory(owner=alice, name="Dock")


def test_setting_a_price_twice_keeps_one_price_per_list_and_currency(alice, product):
    set_product_price(user=alice, product=product, price_list=price_list("VIP"), currency=currency("EUR"), price="10")
    set_product_price(
        user=alice, product=product, price_list=price_list("VIP"), currency=currency("EUR"), price="9.995"
    )

    assert list(ProductPrice.objects.filter(product=product).values_list("price", flat=True)) == [Decimal("10.00")]


def test_a_negative_price_is_refused(alice, product):
    with pytest.raises(ValidationError):
        set_product_price(
            user=alice, product=product, price_list=price_list("VIP"), currency=currency("EUR"), price="-1"
        )


def test_the_prices_tab_sets_and_removes_a_price(alice_client, product):
    url = reverse("products:prices", args=[product.pk])
    data = {"price_list": price_list("VIP").pk, "currency": currency("GBP").pk, "price": "55.50"}

    set_response = alice_client.post(url, data, headers={"HX-Request": "true"})
    price = ProductPrice.objects.get(product=product)
    alice_client.post(url, {"remove_price": price.pk}, headers={"HX-Request": "true"})

    assert "55.50" in set_response.content.decode()
    assert price.price == Decimal("55.50")
    assert not ProductPrice.objects.filter(product=product).exists()


def test_an_alternative_unit_is_set_and_a_zero_factor_removes_it(alice, product):
    set_product_unit(user=alice, product=product, unit=unit("boxes"), factor="12")
    assert ProductUnit.objects.get(product=product).factor == Decimal("12")

    set_product_unit(user=alice, product=product, unit=unit("boxes"), factor="0")
    assert not ProductUnit.objects.filter(product=product).exists()


def test_the_base_unit_cannot_be_an_alternative_unit(alice, product):
    with pytest.raises(ValidationError):
        set_product_unit(user=alice, product=product, unit=product.unit, factor="2")


def test_an_outsider_cannot_change_prices(only_owners_edit_records, client, charlie, product):
    client.force_login(charlie)
    data = {"price_list": price_list("VIP").pk, "currency": currency("GBP").pk, "price": "1"}

    response = client.post(reverse("products:prices", args=[product.pk]), data)

    assert response.status_code == 404
    assert not ProductPrice.objects.filter(product=product).exists()

"""The price of a product: the customer's price list, then the base list, then the product's own price."""

from decimal import Decimal

import pytest

from products.pricing import price_for, prices_for
from tests.factories import AccountFactory, ProductFactory, ProductPriceFactory
from tests.factories.products import currency, price_list

pytestmark = pytest.mark.django_db


@pytest.fixture
def laptop(alice):
    return ProductFactory(owner=alice, name="Laptop", price=Decimal("1000.00"), currency=currency("USD"))


def test_a_customer_with_a_price_list_gets_its_price(alice, laptop):
    ProductPriceFactory(product=laptop, price_list=price_list("Base"), price=Decimal("950.00"))
    ProductPriceFactory(product=laptop, price_list=price_list("VIP"), price=Decimal("900.00"))
    vip_customer = AccountFactory(owner=alice, price_list=price_list("VIP"))

    assert price_for(laptop, customer_account=vip_customer, currency="USD") == Decimal("900.00")


def test_without_a_price_in_the_customers_list_the_base_list_applies(alice, laptop):
    ProductPriceFactory(product=laptop, price_list=price_list("Base"), price=Decimal("950.00"))
    vip_customer = AccountFactory(owner=alice, price_list=price_list("VIP"))

    assert price_for(laptop, customer_account=vip_customer, currency="USD") == Decimal("950.00")


def test_a_customer_without_a_price_list_gets_the_base_list(alice, laptop):
    ProductPriceFactory(product=laptop, price_list=price_list("Base"), price=Decimal("950.00"))
    ProductPriceFactory(product=laptop, price_list=price_list("VIP"), price=Decimal("900.00"))

    assert price_for(laptop, customer_account=AccountFactory(owner=alice), currency="USD") == Decimal("950.00")


def test_a_list_price_counts_only_in_its_own_currency(laptop):
    ProductPriceFactory(product=laptop, price_list=price_list("Base"), currency=currency("EUR"), price=Decimal("870"))

    assert price_for(laptop, currency="EUR") == Decimal("870.00")
    assert price_for(laptop, currency="USD") == Decimal("1000.00")


def test_without_list_prices_the_products_price_is_converted(laptop):
    # 1000 USD at 1.27 USD per GBP
    assert price_for(laptop, currency="GBP") == Decimal("787.40")


def test_an_explicit_price_list_wins_over_the_customers(alice, laptop):
    ProductPriceFactory(product=laptop, price_list=price_list("VIP"), price=Decimal("900.00"))
    customer = AccountFactory(owner=alice)

    assert price_for(laptop, customer_account=customer, currency="USD", price_list=price_list("VIP")) == Decimal(
        "900.00"
    )


def test_many_products_are_priced_in_a_fixed_number_of_queries(alice, django_assert_max_num_queries):
    products = ProductFactory.create_batch(30, owner=alice, currency=currency("EUR"))
    for product in products[:10]:
        ProductPriceFactory(product=product, price_list=price_list("Base"))
    products = list(type(products[0]).objects.select_related("currency").filter(pk__in=[p.pk for p in products]))

    # 1 the currency asked for, 2 the base price list, 3 the list prices, 4 the rates, 5 the base currency
    with django_assert_max_num_queries(5):
        prices = prices_for(products, currency="USD")

    assert len(prices) == 30

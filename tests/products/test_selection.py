"""The product selection page: search and browse, a session cart priced on the server, and Save through the
target section's hook. A test-only target (accounts) is registered by the `added_lines` fixture."""

from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from products.selection import Cart, pricing_for
from tests.factories import AccountFactory, ProductFactory, ProductPriceFactory, ProductUnitFactory
from tests.factories.products import currency, price_list, unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def account(alice):
    return AccountFactory(owner=alice, name="Northwind Traders")


@pytest.fixture
def laptop(alice):
    """100.00 USD per piece in the base list, VAT 20%."""
    product = ProductFactory(owner=alice, name="Laptop", code="LT-1", price=Decimal("120.00"))
    ProductPriceFactory(product=product, price_list=price_list("Base"), price=Decimal("100.00"))
    return product


@pytest.fixture
def target(account):
    return {"for": "accounts", "pk": account.pk}


def put(client, target, product, quantity, htmx=False, **extra):
    data = {**target, "product": product.pk, "quantity": quantity, **extra}
    return client.post(reverse("products:cart"), data, headers={"HX-Request": "true"} if htmx else {})


def cart_total(client, target) -> Decimal:
    return client.get(reverse("products:select"), target).context["totals"].total


def test_adding_a_product_puts_it_in_the_cart_with_its_total(alice_client, added_lines, target, laptop):
    response = put(alice_client, target, laptop, "2", htmx=True)

    [line] = response.context["lines"]
    assert (line.product, line.quantity, line.price) == (laptop, Decimal("2"), Decimal("100.00"))
    assert response.context["totals"].total == Decimal("240.00")  # 200 + 20% VAT
    assert 'id="cart"' in response.content.decode()


def test_changing_the_quantity_replaces_it_and_zero_takes_the_product_out(alice_client, added_lines, target, laptop):
    put(alice_client, target, laptop, "2")
    put(alice_client, target, laptop, "5")
    assert cart_total(alice_client, target) == Decimal("600.00")

    put(alice_client, target, laptop, "0")
    assert cart_total(alice_client, target) == Decimal("0.00")


def test_a_price_or_total_in_the_request_is_ignored(alice_client, added_lines, target, laptop):
    put(alice_client, target, laptop, "3", price="0.01", total="0.01", amount="1")

    assert cart_total(alice_client, target) == Decimal("360.00")


def test_an_alternative_unit_is_priced_by_its_factor(alice_client, added_lines, target, laptop):
    ProductUnitFactory(product=laptop, unit=unit("boxes"), factor=Decimal("12"))

    put(alice_client, target, laptop, "1", unit=unit("boxes").pk)

    [line] = alice_client.get(reverse("products:select"), target).context["lines"]
    assert (line.unit.name, line.price) == ("boxes", Decimal("1200.00"))


def test_a_unit_the_product_does_not_have_is_refused(alice_client, added_lines, target, laptop):
    response = put(alice_client, target, laptop, "1", unit=unit("hours").pk, htmx=True)

    assert response.context["cart_error"] == "Choose one of the product's units."
    assert response.context["lines"] == []


def test_inactive_products_are_neither_offered_nor_accepted(alice_client, alice, added_lines, target, laptop):
    retired = ProductFactory(owner=alice, name="Retired laptop", is_inactive=True)

    page = alice_client.get(reverse("products:select"), target)
    put(alice_client, target, retired, "1")

    assert [offer["product"] for offer in page.context["offers"]] == [laptop]
    assert cart_total(alice_client, target) == Decimal("0.00")


def test_search_finds_products_by_name_or_code(alice_client, alice, added_lines, target, laptop):
    ProductFactory(owner=alice, name="Monitor", code="MN-7")

    by_code = alice_client.get(
        reverse("products:select"), {**target, "q": "mn-7"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="selection-results"
    )
    by_name = alice_client.get(reverse("products:select"), {**target, "q": "lapt"})

    assert [o["product"].name for o in by_code.context["offers"]] == ["Monitor"]
    assert [o["product"].name for o in by_name.context["offers"]] == ["Laptop"]


def test_saving_hands_the_priced_lines_to_the_target_and_empties_the_cart(
    alice_client, alice, added_lines, target, account, laptop
):
    put(alice_client, target, laptop, "2")

    response = alice_client.post(reverse("products:select_save"), target)

    assert response.status_code == 302 and response["Location"] == reverse("accounts:detail", args=[account.pk])
    [(user, record, line)] = added_lines
    assert (user, record, line.product, line.amounts.total) == (alice, account, laptop, Decimal("240.00"))
    assert cart_total(alice_client, target) == Decimal("0.00")


def test_an_empty_cart_saves_nothing(alice_client, added_lines, target):
    response = alice_client.post(reverse("products:select_save"), target)

    assert response.status_code == 302
    assert added_lines == []


def test_carts_of_two_records_are_kept_apart(alice_client, alice, added_lines, target, laptop):
    other = {"for": "accounts", "pk": AccountFactory(owner=alice).pk}

    put(alice_client, target, laptop, "1")

    assert cart_total(alice_client, other) == Decimal("0.00")


def test_the_page_is_404_for_a_record_the_user_may_not_edit(
    only_owners_edit_records, client, charlie, added_lines, target, laptop
):
    client.force_login(charlie)

    assert client.get(reverse("products:select"), target).status_code == 404
    assert put(client, target, laptop, "1").status_code == 404
    assert client.post(reverse("products:select_save"), target).status_code == 404
    assert added_lines == []


def test_the_page_is_404_for_a_section_that_takes_no_lines(alice_client, account, laptop):
    assert alice_client.get(reverse("products:select"), {"for": "accounts", "pk": account.pk}).status_code == 404
    assert alice_client.get(reverse("products:select"), {"for": "nothing", "pk": 1}).status_code == 404


def test_a_target_with_a_customer_and_a_currency_gets_the_customers_prices(alice, laptop):
    ProductPriceFactory(product=laptop, price_list=price_list("VIP"), currency=currency("EUR"), price=Decimal("80"))
    vip = AccountFactory(owner=alice, price_list=price_list("VIP"))
    opportunity_like = SimpleNamespace(customer_account=vip, currency="EUR")
    cart = Cart(SessionStore(), "opportunities", 1, user=alice)
    cart.set(product_id=laptop.pk, quantity="1")

    [line] = cart.lines(pricing_for(opportunity_like))

    assert (line.price, line.currency.code) == (Decimal("80.00"), "EUR")


def test_the_page_runs_as_many_queries_for_25_offers_and_cart_lines_as_for_5(alice_client, alice, added_lines, target):
    def queries(count):
        products = ProductFactory.create_batch(count, owner=alice)
        for product in products:
            put(alice_client, target, product, "1")
        with CaptureQueriesContext(connection) as context:
            assert alice_client.get(reverse("products:select"), target).status_code == 200
        for product in products:
            put(alice_client, target, product, "0")
        type(products[0]).objects.all().delete()
        return len(context)

    assert queries(5) == queries(25)


def test_a_product_the_user_may_not_see_is_neither_offered_nor_accepted(
    only_owners_edit_records, alice_client, bob, added_lines, target, laptop
):
    hidden = ProductFactory(owner=bob, name="Bob's secret product")

    page = alice_client.get(reverse("products:select"), target)
    put(alice_client, target, hidden, "1")

    assert hidden not in [offer["product"] for offer in page.context["offers"]]
    assert cart_total(alice_client, target) == Decimal("0.00")

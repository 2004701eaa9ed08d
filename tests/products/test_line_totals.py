"""Line totals in Decimal: discount, tax added or included, each amount rounded once."""

from decimal import Decimal

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.core.exceptions import ValidationError
from django.test.utils import isolate_apps

from products.lines import compute_line, compute_totals
from products.models import ProductLine
from products.selection import Cart, build_line, pricing_for
from tests.factories import ProductFactory


def test_tax_is_added_to_the_discounted_amount():
    line = compute_line(quantity=3, price=Decimal("100.00"), discount_percent=10, tax_rate=20, tax_included=False)

    assert (line.subtotal, line.discount_amount, line.tax_amount, line.total) == (
        Decimal("300.00"),
        Decimal("30.00"),
        Decimal("54.00"),
        Decimal("324.00"),
    )


def test_included_tax_is_taken_out_of_the_total_not_added():
    line = compute_line(quantity=1, price=Decimal("120.00"), tax_rate=20, tax_included=True)

    assert line.tax_amount == Decimal("20.00")
    assert line.total == Decimal("120.00")


def test_amounts_are_rounded_once_from_unrounded_parts():
    # 3 × 0.335 = 1.005; 1.005 × 10% discount = 0.1005 → 0.10; tax on the unrounded 0.9045 at 7% = 0.063315 → 0.06
    line = compute_line(quantity=3, price=Decimal("0.335"), discount_percent=10, tax_rate=7, tax_included=False)

    assert line.subtotal == Decimal("1.01")
    assert line.discount_amount == Decimal("0.10")
    assert line.tax_amount == Decimal("0.06")
    assert line.total == line.subtotal - line.discount_amount + line.tax_amount == Decimal("0.97")


def test_fractional_quantities_are_kept_exactly():
    line = compute_line(quantity=Decimal("2.5"), price=Decimal("19.99"), tax_rate=0, tax_included=False)

    assert line.total == Decimal("49.98")  # 49.975 rounds half up


def test_document_totals_are_the_sums_of_the_rounded_lines():
    lines = [
        compute_line(quantity=1, price=Decimal("0.125"), tax_rate=0, tax_included=False),
        compute_line(quantity=1, price=Decimal("0.125"), tax_rate=0, tax_included=False),
    ]

    assert compute_totals(lines).total == Decimal("0.26")  # 0.13 + 0.13, as the lines show


def test_the_house_setting_decides_when_the_line_does_not_say(settings):
    settings.PRICES_INCLUDE_TAX = True

    assert compute_line(quantity=1, price=Decimal("120"), tax_rate=20).total == Decimal("120.00")


@pytest.mark.parametrize(
    "arguments",
    [{"quantity": -1}, {"price": Decimal("-1")}, {"discount_percent": 101}, {"quantity": "many"}],
)
def test_impossible_lines_are_refused(arguments):
    with pytest.raises(ValidationError):
        compute_line(**{"quantity": 1, "price": Decimal("10"), **arguments})


@pytest.mark.django_db
@isolate_apps("products")
def test_a_cart_line_becomes_a_section_line_with_its_amounts(alice):
    class ExampleLine(ProductLine):
        """A concrete line as a sales section declares one (in an isolated app registry: built, never saved)."""

        class Meta:
            app_label = "products"

    laptop = ProductFactory(owner=alice, price=Decimal("50.00"))
    cart = Cart(SessionStore(), "opportunities", 1, user=alice)
    cart.set(product_id=laptop.pk, quantity="2")
    [cart_line] = cart.lines(pricing_for(None))

    line = build_line(ExampleLine, cart_line, position=3)

    assert (line.product, line.quantity, line.unit.name, line.position) == (laptop, Decimal("2"), "pieces", 3)
    assert (line.subtotal, line.tax_amount, line.total) == (Decimal("100.00"), Decimal("20.00"), Decimal("120.00"))

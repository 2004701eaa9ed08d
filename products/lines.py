"""Line totals for every section that sells products (opportunity, order, invoice and contract lines).

Pure functions in Decimal, no database. The rules:

- subtotal         = quantity × price
- discount_amount  = subtotal × discount % / 100
- net              = subtotal − discount_amount
- tax added        (prices exclude tax): tax_amount = net × rate / 100, total = net + tax_amount
- tax included     (prices include tax): tax_amount = net − net / (1 + rate / 100), total = net

Each amount is computed from the unrounded inputs and quantised once (`crm.core.money.quantize`, cents, half
up); the total is then derived from the rounded parts, so subtotal − discount + tax == total always holds to the
cent on the page. Document totals (`compute_totals`) are plain sums of the rounded line amounts: nothing is
rounded twice.

A section stores its lines in a model extending `products.models.ProductLine` and calls `line.recompute()`
(or `compute_line` directly) in its own service before saving; it never takes an amount from a form.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError

from crm.core.money import quantize

ZERO = Decimal("0")
HUNDRED = Decimal("100")


def prices_include_tax() -> bool:
    """The house setting `PRICES_INCLUDE_TAX` (default: prices exclude tax and tax is added)."""
    return bool(getattr(settings, "PRICES_INCLUDE_TAX", False))


@dataclass(frozen=True)
class LineAmounts:
    subtotal: Decimal
    discount_amount: Decimal
    tax_amount: Decimal
    total: Decimal

    @property
    def net(self) -> Decimal:
        """The amount after discount, before added tax (with tax included, it still contains the tax)."""
        return self.subtotal - self.discount_amount


def _decimal(value, name: str) -> Decimal:
    try:
        number = Decimal(str(value if value is not None else 0))
    except ArithmeticError:
        raise ValidationError({name: "Enter a number."})
    if not number.is_finite():
        raise ValidationError({name: "Enter a number."})
    return number


def compute_line(
    *,
    quantity,
    price,
    discount_percent=ZERO,
    tax_rate=ZERO,
    tax_included: bool | None = None,
) -> LineAmounts:
    """The amounts of one line. `tax_included=None` follows the house setting (see `prices_include_tax`)."""
    quantity = _decimal(quantity, "quantity")
    price = _decimal(price, "price")
    discount_percent = _decimal(discount_percent, "discount_percent")
    tax_rate = _decimal(tax_rate, "tax_rate")
    if quantity < 0:
        raise ValidationError({"quantity": "The quantity cannot be negative."})
    if price < 0:
        raise ValidationError({"price": "The price cannot be negative."})
    if not ZERO <= discount_percent <= HUNDRED:
        raise ValidationError({"discount_percent": "The discount is a percentage from 0 to 100."})
    if tax_rate < 0:
        raise ValidationError({"tax_rate": "The tax rate cannot be negative."})
    if tax_included is None:
        tax_included = prices_include_tax()

    gross = quantity * price
    discount = gross * discount_percent / HUNDRED
    net = gross - discount
    if tax_included:
        tax = net - net / (1 + tax_rate / HUNDRED)
    else:
        tax = net * tax_rate / HUNDRED

    subtotal = quantize(gross)
    discount_amount = quantize(discount)
    tax_amount = quantize(tax)
    total = subtotal - discount_amount + (ZERO if tax_included else tax_amount)
    return LineAmounts(subtotal=subtotal, discount_amount=discount_amount, tax_amount=tax_amount, total=total)


def compute_totals(lines: Iterable) -> LineAmounts:
    """The sums of lines: `LineAmounts`, or any objects with the same four attributes (e.g. ProductLine rows)."""
    subtotal = discount = tax = total = Decimal("0.00")
    for line in lines:
        subtotal += line.subtotal
        discount += line.discount_amount
        tax += line.tax_amount
        total += line.total
    return LineAmounts(subtotal=subtotal, discount_amount=discount, tax_amount=tax, total=total)

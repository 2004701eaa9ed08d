"""Money is Decimal, quantised once, here."""

from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")


def quantize(value) -> Decimal:
    """Round a money value to cents, half up, the way invoices do."""
    if value is None:
        return Decimal("0.00")
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)

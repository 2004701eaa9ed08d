"""How money, numbers and dates look, on every page, print form, message and export heading: the one place that
decides. The language (settings.LANGUAGE_CODE, and FORMAT_MODULE_PATH for an installation's own formats) picks
the separators and the date patterns; these functions always group thousands and always show money to the cent."""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation

from django.utils import formats, timezone
from django.utils.timesince import timesince

from .money import quantize

__all__ = ["ago", "money", "number", "short_date", "short_datetime"]


def _decimal(value) -> Decimal | None:
    if value is None or value == "" or isinstance(value, bool):
        return None
    try:
        return value if isinstance(value, Decimal) else Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError):
        return None


def money(value) -> str:
    """1349 -> "1,349.00" (in English): cents rounded half up, as invoices round them; "" for no value."""
    amount = _decimal(value)
    if amount is None:
        return "" if value is None else str(value)
    return formats.number_format(quantize(amount), 2, use_l10n=True, force_grouping=True)


def number(value, places: int | None = None) -> str:
    """A quantity or a figure: 2.500 -> "2.5", 12000 -> "12,000"; with `places`, exactly that many decimals."""
    amount = _decimal(value)
    if amount is None:
        return "" if value is None else str(value)
    if places is None:
        # no trailing zeros, and never an exponent ("1E+1" for 10)
        amount = amount.quantize(Decimal(1)) if amount == amount.to_integral() else amount.normalize()
        places = max(0, -amount.as_tuple().exponent)
    return formats.number_format(amount, places, use_l10n=True, force_grouping=True)


def short_date(value) -> str:
    """A date (or the local date of a moment) in the language's short date pattern; "" for no value."""
    if value in (None, ""):
        return ""
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        value = value.date()
    if not isinstance(value, datetime.date):
        return str(value)
    return formats.date_format(value, "SHORT_DATE_FORMAT")


def short_datetime(value) -> str:
    """A moment in local time, in the language's short date and time pattern; "" for no value."""
    if value in (None, ""):
        return ""
    if isinstance(value, datetime.datetime):
        return formats.date_format(
            timezone.localtime(value) if timezone.is_aware(value) else value, "SHORT_DATETIME_FORMAT"
        )
    return short_date(value)


def short_time(value) -> str:
    """The local time of a moment in the language's time pattern ("10:30 a.m."); "" for no value."""
    if not isinstance(value, datetime.datetime):
        return ""
    return formats.time_format(timezone.localtime(value) if timezone.is_aware(value) else value, "TIME_FORMAT")


def ago(value) -> str:
    """How long ago a moment was: "just now" under a minute, else "3 hours ago" (never "0 minutes ago")."""
    if not isinstance(value, datetime.datetime):
        return ""
    if timezone.now() - value < datetime.timedelta(minutes=1):
        return "just now"
    return f"{timesince(value)} ago"

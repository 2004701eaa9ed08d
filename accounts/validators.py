"""Checks of banking identifiers: IBAN (ISO 13616 check digits) and SWIFT/BIC (ISO 9362 shape)."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError

IBAN_SHAPE = re.compile(r"^[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}$")
SWIFT_SHAPE = re.compile(r"^[A-Z]{4}[A-Z]{2}[A-Z0-9]{2}([A-Z0-9]{3})?$")


def compact(value: str) -> str:
    return "".join(value.split()).upper()


def looks_like_iban(value: str) -> bool:
    """An account number starting with a country code and two check digits is taken for an IBAN."""
    return bool(re.match(r"^[A-Z]{2}[0-9]{2}", compact(value)))


def validate_iban(value: str) -> str:
    """Return the IBAN without spaces, or raise if its shape or check digits are wrong."""
    iban = compact(value)
    if not IBAN_SHAPE.match(iban):
        raise ValidationError("An IBAN is a country code, two check digits and up to 30 letters or digits.")
    digits = "".join(str(int(c, 36)) for c in iban[4:] + iban[:4])
    if int(digits) % 97 != 1:
        raise ValidationError("The IBAN's check digits do not match: please check the number.")
    return iban


def validate_swift(value: str) -> str:
    code = compact(value)
    if not SWIFT_SHAPE.match(code):
        raise ValidationError("A SWIFT/BIC code has 8 or 11 letters and digits, e.g. DEUTDEFF or DEUTDEFF500.")
    return code

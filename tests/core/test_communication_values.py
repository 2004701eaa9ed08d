"""How a communication option's value is checked and normalised (crm.core.communication.normalise): imports run it
for every email and phone they write, so its fast paths must say exactly what the checks say."""

import pytest
from django.core.exceptions import ValidationError

from crm.core.communication import CommunicationKind, normalise


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("+1 555 0000042", ("+1 555 0000042", "+15550000042")),
        ("  (030)  12-34  56 ", ("(030) 12-34 56", "030123456")),
        ("0049 30 1234 ext. 12", ("0049 30 1234 ext. 12", "+49301234")),
        ("030 1234 X 7", ("030 1234 X 7", "0301234")),
        ("030/123.4", ("030/123.4", "0301234")),
        ("123", ("123", "123")),
        ("12 x 345", ("12 x 345", "12")),  # three digits in all are enough, the extension's count too
    ],
)
def test_a_phone_number_keeps_its_digits_without_the_extension(value, expected):
    assert normalise(CommunicationKind.PHONE, value) == expected


@pytest.mark.parametrize("value", ["12", "+1 5", "030 １２３４", "030 ١٢٣٤", "call me", "030 1234 x"])
def test_a_phone_number_needs_three_plain_digits_and_nothing_else(value):
    with pytest.raises(ValidationError):
        normalise(CommunicationKind.PHONE, value)


def test_an_email_address_keeps_its_local_part_and_compares_in_lower_case():
    assert normalise(CommunicationKind.EMAIL, " Anna.Schmidt@Example.COM ") == (
        "Anna.Schmidt@example.com",
        "anna.schmidt@example.com",
    )
    with pytest.raises(ValidationError):
        normalise(CommunicationKind.EMAIL, "anna@")

"""Values are standardised per kind before they are compared."""

import pytest

from crm.duplicates.normalisation import blocking_keys, e164, normalise


@pytest.mark.parametrize(
    ("kind", "left", "right"),
    [
        ("text", "  O'Neil & Sons ", "oneilsons"),
        ("text", "Crème Brûlée", "cremebrulee"),
        ("name", "Smith, John", "john smith"),
        ("name", "JOHN   smith", "john smith"),
        ("name", "José Müller", "jose muller"),
        ("company", "ACME Ltd.", "acme"),
        ("company", "The Acme Corporation", "acme"),
        ("company", "Müller GmbH & Co. KG", "muller"),
        ("email", " John.Doe@Example.COM ", "john.doe@example.com"),
        ("email", "not an email", ""),
        ("phone", "+44 20 7946 0958", "2079460958"),
        ("phone", "020 7946 0958", "2079460958"),
        ("phone", "0044 (20) 7946-0958", "2079460958"),
        ("phone", "(415) 555-0100 ext. 12", "4155550100"),
        ("phone", "12", ""),
        ("phone", "+49 30 1234567", "301234567"),
        ("phone", "030 1234567", "301234567"),
        ("phone", "1-415-555-0100", "4155550100"),
        ("web", "https://www.Acme.com/about?x=1", "acme.com"),
        ("web", "shop.acme.co.uk", "acme.co.uk"),
        ("web", "http://user@acme.io:8080/", "acme.io"),
    ],
)
def test_a_value_is_standardised_by_its_kind(kind, left, right):
    assert normalise(kind, left) == right


def test_phones_are_put_in_e164_with_the_default_region(settings):
    settings.DUPLICATES_PHONE_REGION = "DE"

    assert e164("0711 5550 100") == "+497115550100"
    assert e164("+1 (415) 555-0100") == "+14155550100"


def test_names_in_any_order_and_with_a_typo_share_a_blocking_key():
    exact = blocking_keys("name", normalise("name", "John Smith"))
    swapped_with_typo = blocking_keys("name", normalise("name", "Smiht, John"))

    assert exact & swapped_with_typo


def test_different_names_share_no_blocking_key():
    assert not blocking_keys("name", normalise("name", "John Smith")) & blocking_keys(
        "name", normalise("name", "Mary Jones")
    )

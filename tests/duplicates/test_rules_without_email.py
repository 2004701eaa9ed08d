"""The preset rules for people without emails or phones (name with birthdate, postcode or street, a similar name
blocked on postcode or birth year) and for accounts by city or country."""

import datetime

import pytest

from accounts.models import Account
from contacts.models import ContactAddress, ContactAddressType
from crm.duplicates import services
from crm.duplicates.models import DuplicateSearch
from tests.factories import AccountFactory
from tests.factories.customers import AccountAddressFactory

pytestmark = pytest.mark.django_db


def grouped(section_name: str) -> list[set[int]]:
    search = services.run_search(DuplicateSearch.objects.create(section=section_name))
    return [set(group.record_ids) for group in search.groups.all()]


@pytest.fixture
def person(make_contact):
    """A contact with a birthdate and a home address, and no email or phone."""
    home, _ = ContactAddressType.objects.get_or_create(name="Home")

    def make(full_name: str, *, born: str, postcode: str, street: str = "12 Florey Drive"):
        contact = make_contact(full_name, birth_date=datetime.date.fromisoformat(born))
        ContactAddress.objects.create(contact=contact, type=home, street=street, zip_code=postcode, city="Canberra")
        return contact

    return make


def test_the_same_person_with_a_typo_in_the_surname_and_the_same_postcode_is_found(person):
    lily = person("Lily Wilkins", born="1943-05-08", postcode="3687")
    typo = person("Lily Wilkons", born="1944-01-01", postcode="3687", street="4 Backhouse Street")

    assert {lily.pk, typo.pk} in grouped("contacts")


def test_given_name_and_surname_swapped_with_the_same_birthdate_are_found(person):
    holly = person("Holly White", born="1945-07-03", postcode="3934")
    swapped = person("White Holly", born="1945-07-03", postcode="2600", street="1 Other Road")

    assert {holly.pk, swapped.pk} in grouped("contacts")


def test_a_birthdate_with_day_and_month_swapped_is_similar(person):
    holly = person("Holly White", born="1945-07-03", postcode="3934")
    swapped = person("Hollh White", born="1945-03-07", postcode="2600", street="1 Other Road")

    assert {holly.pk, swapped.pk} in grouped("contacts")


def test_two_people_of_one_name_with_different_birthdates_and_postcodes_are_not_found(person):
    person("John Smith", born="1960-02-10", postcode="2776", street="48 Goldfinch Circuit")
    person("John Smith", born="1981-11-23", postcode="4011", street="6 Tullaroop Street")

    assert grouped("contacts") == []


def account_in(name: str, *, city: str, country: str) -> Account:
    account = AccountFactory(name=name, phone="", web="", email="")
    AccountAddressFactory(account=account, city=city, country=country)
    return account


def test_an_account_spelt_with_and_without_its_umlaut_and_legal_form_in_one_city_is_found(alice):
    muller = account_in("Müller GmbH", city="München", country="Germany")
    mueller = account_in("Mueller", city="Munchen", country="Germany")

    assert {muller.pk, mueller.pk} in grouped("accounts")


def test_accounts_of_similar_names_in_different_countries_are_not_found(alice):
    account_in("Müller GmbH", city="Wien", country="Austria")
    account_in("Mueller", city="Zürich", country="Switzerland")

    assert grouped("accounts") == []


def test_the_on_save_check_finds_a_contact_by_its_address_once_the_address_is_saved(
    alice, person, contacts_section, make_contact
):
    from crm.duplicates.selectors import candidates_for

    lily = person("Lily Wilkins", born="1943-05-08", postcode="3687")
    services.index_record(lily)
    probe = make_contact("Lily Wilkins", birth_date=None)
    ContactAddress.objects.create(
        contact=probe, type=ContactAddressType.objects.get(name="Home"), street="9 Elsewhere", zip_code="3687"
    )

    assert [c.record for c in candidates_for(section=contacts_section, user=alice, instance=probe)] == [lily]

"""Helpers of the duplicates tests: contacts with phones and emails, and the key index built for them."""

import pytest

from crm.duplicates import services
from crm.sections import registry
from tests.factories import ContactFactory


@pytest.fixture
def contacts_section():
    return registry.get("contacts")


@pytest.fixture
def accounts_section():
    return registry.get("accounts")


@pytest.fixture
def make_contact(alice):
    """A contact of alice's (or `owner`'s), indexed as a save through the form would index it."""

    def make(full_name: str, *, owner=None, email: str = "", mobile_phone: str = "", business_phone: str = "", **extra):
        given, _, surname = full_name.partition(" ")
        contact = ContactFactory(
            owner=owner or alice,
            given_name=given,
            surname=surname,
            email=email,
            mobile_phone=mobile_phone,
            business_phone=business_phone,
            account=None,
            **extra,
        )
        services.index_record(contact)
        return contact

    return make

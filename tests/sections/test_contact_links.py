"""Phone numbers and email addresses are tel: and mailto: links wherever they are shown: a record's fields, its
communication options, lists and related lists."""

import pytest
from django.urls import reverse

from tests.factories import AccountFactory, ContactFactory
from tests.factories.customers import ContactCommunicationFactory


@pytest.fixture
def nancy(alice):
    account = AccountFactory(name="Northwind Traders", phone="+1 (206) 555-0100 ext. 12", owner=alice)
    return ContactFactory(
        given_name="Nancy",
        surname="Davolio",
        email="nancy@northwind.example",
        mobile_phone="+49 30 1234 567",
        business_phone="030 9876",
        account=account,
        owner=alice,
    )


def test_the_record_page_links_the_phone_numbers_and_the_email(alice_client, nancy):
    body = alice_client.get(reverse("contacts:detail", args=[nancy.pk])).content.decode()

    assert '<a href="tel:+49301234567">+49 30 1234 567</a>' in body
    assert '<a href="tel:0309876">030 9876</a>' in body
    assert '<a href="mailto:nancy@northwind.example">nancy@northwind.example</a>' in body


def test_an_accounts_phone_with_an_extension_dials_the_extension(alice_client, nancy):
    body = alice_client.get(reverse("accounts:detail", args=[nancy.account_id])).content.decode()

    assert '<a href="tel:+12065550100;ext=12">+1 (206) 555-0100 ext. 12</a>' in body


def test_the_list_links_the_phone_numbers_and_the_emails(alice_client, nancy):
    body = alice_client.get(reverse("contacts:list")).content.decode()

    assert 'href="tel:+49301234567"' in body
    assert 'href="mailto:nancy@northwind.example"' in body


def test_the_accounts_contacts_tab_links_them_too(alice_client, nancy):
    tab = alice_client.get(reverse("accounts:tab", args=[nancy.account_id, "contacts"]), HTTP_HX_REQUEST="true")

    assert 'href="tel:+49301234567"' in tab.content.decode()
    assert 'href="mailto:nancy@northwind.example"' in tab.content.decode()


def test_a_communication_option_is_linked_as_its_type_says(alice_client, nancy):
    ContactCommunicationFactory(contact=nancy, value="+49 40 555 111")

    tab = alice_client.get(reverse("contacts:tab", args=[nancy.pk, "general"]), HTTP_HX_REQUEST="true")

    assert '<a href="tel:+4940555111">+49 40 555 111</a>' in tab.content.decode()


def test_a_phone_field_without_digits_stays_text(alice_client, alice):
    contact = ContactFactory(given_name="Ann", surname="Other", mobile_phone="ask reception", owner=alice)

    body = alice_client.get(reverse("contacts:detail", args=[contact.pk])).content.decode()

    assert '<dd class="col-7" data-field="mobile_phone">ask reception</dd>' in body

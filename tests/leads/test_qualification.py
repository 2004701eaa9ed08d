"""Qualification: similar contacts and accounts are offered to link, otherwise new ones are created."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.models import Account
from activities.processes import complete, open_tasks
from contacts.models import Contact
from leads import services
from leads.models import Lead
from tests.factories import AccountFactory, ContactFactory

from .conftest import reload

Stage = Lead.Stage


def test_qualifying_creates_the_contact_and_account_from_what_was_entered(alice, make_lead):
    lead = make_lead(alice, country="Germany", business_phone="+49 30 1111111")

    lead = services.qualify(user=alice, lead=lead, expected_version=lead.version)

    assert lead.stage == Stage.NURTURING
    account = Account.objects.get(pk=lead.account_id)
    contact = Contact.objects.get(pk=lead.contact_id)
    assert (account.name, account.country, account.phone) == ("Northwind", "Germany", "+49 30 1111111")
    assert (contact.full_name, contact.email, contact.mobile_phone) == (
        "Nina Novak",
        "nina@northwind.example",
        "+49 170 1234567",
    )
    assert contact.account == account
    # the contact's own rules turned the email and phone into communication options
    assert set(contact.communication_options.values_list("value", flat=True)) == {
        "nina@northwind.example",
        "+49 170 1234567",
    }


def test_similar_contacts_have_the_same_name_and_email_or_mobile_phone(alice, make_lead):
    lead = make_lead(alice)
    by_email = ContactFactory(owner=alice, full_name="Nina Novak", given_name="", surname="", email=lead.email)
    by_phone = ContactFactory(
        owner=alice, full_name="nina novak", given_name="", surname="", email="", mobile_phone=lead.mobile_phone
    )
    ContactFactory(owner=alice, full_name="Nina Novak", given_name="", surname="", email="other@example.com")
    ContactFactory(owner=alice, full_name="Someone Else", given_name="", surname="", email=lead.email)

    assert set(services.similar_contacts(alice, lead)) == {by_email, by_phone}


def test_similar_accounts_have_the_same_name_and_country_when_known(alice, make_lead):
    lead = make_lead(alice, country="Germany")
    same_country = AccountFactory(owner=alice, name="NORTHWIND", country="Germany")
    no_country = AccountFactory(owner=alice, name="Northwind", country="")
    AccountFactory(owner=alice, name="Northwind", country="France")

    assert set(services.similar_accounts(alice, lead)) == {same_country, no_country}


def test_qualifying_links_the_similar_contact_and_account_picked(alice, make_lead):
    lead = make_lead(alice)
    account = AccountFactory(owner=alice, name="Northwind")
    contact = ContactFactory(owner=alice, full_name="Nina Novak", given_name="", surname="", email=lead.email)
    contacts_before, accounts_before = Contact.objects.count(), Account.objects.count()

    lead = services.qualify(user=alice, lead=lead, expected_version=lead.version, contact=contact, account=account)

    assert (lead.contact, lead.account) == (contact, account)
    assert (Contact.objects.count(), Account.objects.count()) == (contacts_before, accounts_before)


def test_a_contact_the_user_may_not_see_is_never_offered_nor_linked(alice, bob, make_lead, only_owners_read_records):
    lead = make_lead(alice)
    hidden = ContactFactory(owner=bob, full_name="Nina Novak", given_name="", surname="", email=lead.email)

    assert list(services.similar_contacts(alice, lead)) == []
    with pytest.raises(ValidationError, match="similar contacts"):
        services.qualify(user=alice, lead=lead, expected_version=lead.version, contact=hidden)
    assert reload(lead).contact is None


def test_a_lead_without_any_name_cannot_be_qualified(alice, make_lead):
    lead = make_lead(alice, contact_name="", account_name="")

    with pytest.raises(ValidationError, match="Incorrect data"):
        services.qualify(user=alice, lead=lead, expected_version=lead.version)


def test_a_distributed_lead_goes_straight_to_handoff(alice, make_lead):
    lead = make_lead(alice)
    lead = services.distribute(user=alice, lead=lead, owner=alice, expected_version=lead.version)

    lead = services.qualify(user=alice, lead=lead, expected_version=lead.version)

    assert lead.stage == Stage.HANDOFF
    assert [t.process_task for t in open_tasks(lead)] == [services.HANDOFF_TASK]


def test_the_qualify_task_disqualifies_as_incorrect_data(alice, make_lead):
    lead = make_lead(alice)

    complete(user=alice, activity=open_tasks(lead)[0], outcome="incorrect_data")

    lead = reload(lead)
    assert lead.stage == Stage.DISQUALIFIED
    assert lead.disqualification_reason.name == "Incorrect data"


def test_the_qualify_page_offers_the_similar_records_and_links_the_choice(alice_client, alice, make_lead):
    lead = make_lead(alice)
    contact = ContactFactory(owner=alice, full_name="Nina Novak", given_name="", surname="", email=lead.email)
    url = reverse("leads:qualify", args=[lead.pk])

    page = alice_client.get(url)
    assert page.status_code == 200
    assert contact.email.encode() in page.content
    assert b"no-similar-accounts" in page.content

    response = alice_client.post(url, {"version": lead.version, "contact": contact.pk, "account": ""})

    assert response.status_code == 302
    lead = reload(lead)
    assert lead.contact == contact
    assert lead.account.name == "Northwind"
    assert lead.stage == Stage.NURTURING


def test_a_qualified_lead_is_not_qualified_again(alice, make_lead):
    lead = make_lead(alice)
    lead = services.qualify(user=alice, lead=lead, expected_version=lead.version)
    assert (lead.stage, lead.contact_id is not None) == (Stage.NURTURING, True)

    with pytest.raises(ValidationError, match="qualified already"):
        services.qualify(user=alice, lead=reload(lead), expected_version=lead.version)


def test_a_lead_at_handoff_is_not_qualified(alice, make_lead):
    lead = make_lead(alice)
    lead = services.distribute(user=alice, lead=lead, owner=alice, expected_version=lead.version)
    lead = services.qualify(user=alice, lead=lead, expected_version=lead.version)
    assert lead.stage == Stage.HANDOFF

    with pytest.raises(ValidationError, match="“Handoff to sales” is qualified already"):
        services.qualify(user=alice, lead=reload(lead), expected_version=lead.version)
    assert reload(lead).stage == Stage.HANDOFF


def test_a_lead_moved_to_nurturing_without_a_customer_can_still_be_qualified(alice, make_lead):
    lead = make_lead(alice)
    lead = services.move_to(user=alice, lead=lead, stage=Stage.NURTURING, expected_version=lead.version)

    lead = services.qualify(user=alice, lead=lead, expected_version=lead.version)

    assert lead.contact.full_name == "Nina Novak"


def test_the_qualify_page_offers_and_keeps_the_contact_the_lead_is_linked_to(alice_client, alice, make_lead):
    # entered with its contact, whose email differs: it is no "similar" contact, yet it is the lead's
    linked = ContactFactory(owner=alice, full_name="Nina Novak", given_name="", surname="", email="n@other.example")
    lead = make_lead(alice, contact=linked)
    url = reverse("leads:qualify", args=[lead.pk])

    page = alice_client.get(url)
    assert page.context["form"]["contact"].value() == linked.pk
    assert b"n@other.example" in page.content

    response = alice_client.post(url, {"version": lead.version, "contact": linked.pk, "account": ""})

    assert response.status_code == 302
    lead = reload(lead)
    assert (lead.contact, lead.stage) == (linked, Stage.NURTURING)
    assert Contact.objects.count() == 1


def test_the_qualify_page_of_a_qualified_lead_says_why_and_changes_nothing(alice_client, alice, make_lead):
    lead = make_lead(alice)
    lead = services.qualify(user=alice, lead=lead, expected_version=lead.version)
    url = reverse("leads:qualify", args=[lead.pk])

    response = alice_client.post(url, {"version": lead.version, "contact": "", "account": ""}, follow=True)

    assert "The lead is qualified already" in response.content.decode()
    assert reload(lead).version == lead.version

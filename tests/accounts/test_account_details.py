"""An account's details (communication options, addresses, banking details, events, organisation structure),
written through the detail services and edited in place on the account's page."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import (
    Account,
    AccountAddress,
    AccountAddressType,
    AccountCommunication,
    AccountCommunicationType,
    AccountEventType,
    BankingDetails,
    OrganisationUnit,
)
from crm.sections import details, registry, services
from crm.sections.models import ChangeLogEntry
from tests.factories import AccountFactory, ContactFactory
from tests.factories.customers import AccountAddressFactory, AccountCommunicationFactory, lookup

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def section():
    return registry.get("accounts")


@pytest.fixture
def account(alice, section):
    return services.create_record(
        section=section,
        user=alice,
        data={"name": "Northwind Traders", "phone": "+1 555 0100", "email": "info@northwind.example"},
    )


def add(user, account, detail: str, **data):
    return details.save_row(detail=registry.get("accounts").get_detail(detail), user=user, record=account, data=data)


def phone_type(name="Primary phone"):
    return lookup(AccountCommunicationType, name)


def options(account):
    return list(account.communication_options.order_by("pk").values_list("type__name", "value", "is_primary"))


# --- communication options --------------------------------------------------------------------------------


def test_the_phone_and_email_typed_on_a_new_account_become_its_primary_options(account):
    assert options(account) == [
        ("Primary phone", "+1 555 0100", True),
        ("Email", "info@northwind.example", True),
    ]


def test_a_new_primary_phone_option_becomes_the_accounts_primary_phone(alice, account):
    add(alice, account, "communication_options", type=phone_type(), value="+1 555 0199", is_primary=True)

    account.refresh_from_db()
    assert account.phone == "+1 555 0199"
    assert options(account)[:1] == [("Primary phone", "+1 555 0100", False)]


def test_changing_the_primary_phone_on_the_form_rewrites_its_option_instead_of_adding_one(alice, account, section):
    services.update_record(section=section, user=alice, obj=account, data={"phone": "+1 555 0142"}, expected_version=1)

    assert account.communication_options.filter(type__name="Primary phone").count() == 1
    assert options(account)[0] == ("Primary phone", "+1 555 0142", True)


def test_clearing_the_email_on_the_form_removes_the_primary_email_option(alice, account, section):
    services.update_record(section=section, user=alice, obj=account, data={"email": ""}, expected_version=1)

    assert not account.communication_options.filter(type__name="Email").exists()


def test_the_first_option_of_a_type_is_primary_and_a_second_one_is_not(alice, account):
    fax = phone_type("Fax")
    first = add(alice, account, "communication_options", type=fax, value="+1 555 0900")
    second = add(alice, account, "communication_options", type=fax, value="+1 555 0901")

    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.is_primary, second.is_primary) == (True, False)


def test_deleting_the_primary_option_makes_the_next_one_primary_and_the_account_follows(alice, account):
    add(alice, account, "communication_options", type=phone_type(), value="+1 555 0101")
    primary = account.communication_options.get(value="+1 555 0100")

    details.delete_row(
        detail=registry.get("accounts").get_detail("communication_options"), user=alice, record=account, row=primary
    )

    account.refresh_from_db()
    assert account.phone == "+1 555 0101"
    assert account.communication_options.get(type__name="Primary phone").is_primary


@pytest.mark.parametrize(
    ("type_name", "value", "message"),
    [
        ("Email", "not an email", "Enter a valid email address."),
        ("Web", "javascript:alert(1)", "Enter a web address starting with http:// or https://."),
        ("Primary phone", "call me maybe", "Enter a phone number"),
    ],
)
def test_a_value_that_is_not_of_its_kind_is_refused_with_a_message(alice, account, type_name, value, message):
    with pytest.raises(ValidationError) as refused:
        add(alice, account, "communication_options", type=phone_type(type_name), value=value)

    assert message in " ".join(refused.value.message_dict["value"])
    assert account.communication_options.count() == 2


def test_a_web_address_without_a_scheme_is_stored_with_https_and_compared_without_it(alice, account):
    option = add(alice, account, "communication_options", type=phone_type("Web"), value="www.Northwind.example/")

    assert option.value == "https://www.Northwind.example/"
    assert option.normalized == "northwind.example"
    account.refresh_from_db()
    assert account.web == "https://www.Northwind.example/"


# --- addresses ------------------------------------------------------------------------------------------


def test_the_primary_address_gives_the_account_its_city_and_country(alice, account):
    legal = lookup(AccountAddressType, "Legal")
    add(alice, account, "addresses", type=legal, street="1 Pike Place", city="Seattle", country="USA")
    add(alice, account, "addresses", type=legal, street="5 Kings Road", city="London", country="UK", is_primary=True)

    account.refresh_from_db()
    assert (account.city, account.country) == ("London", "UK")
    assert account.addresses.filter(is_primary=True).count() == 1


def test_a_city_typed_on_a_new_account_becomes_its_primary_address(alice, section):
    account = services.create_record(section=section, user=alice, data={"name": "Contoso", "city": "Basel"})

    address = AccountAddress.objects.get(account=account)
    assert (address.type.name, address.city, address.is_primary) == ("Actual", "Basel", True)


def test_an_empty_address_is_refused(alice, account):
    with pytest.raises(ValidationError, match="at least a street, a city or a country"):
        add(alice, account, "addresses", type=lookup(AccountAddressType, "Legal"), zip_code="12345")


# --- banking details, events, organisation structure --------------------------------------------------------


def test_banking_details_keep_an_iban_without_spaces(alice, account):
    row = add(
        alice, account, "banking_details", name="Main", account_number="de89 3704 0044 0532 0130 00", swift="cobadeff"
    )

    assert (row.account_number, row.swift) == ("DE89370400440532013000", "COBADEFF")


def test_an_iban_with_wrong_check_digits_and_a_malformed_swift_are_refused(alice, account):
    with pytest.raises(ValidationError) as refused:
        add(alice, account, "banking_details", name="Main", account_number="DE00370400440532013000", swift="XX")

    assert set(refused.value.message_dict) == {"account_number", "swift"}
    assert not BankingDetails.objects.exists()


def test_a_noteworthy_event_is_listed_on_the_account(alice, account):
    import datetime

    add(
        alice,
        account,
        "noteworthy_events",
        type=lookup(AccountEventType, "Company day"),
        date=datetime.date(1999, 5, 4),
    )

    assert [str(e) for e in account.noteworthy_events.all()] == ["Company day: 1999-05-04"]


def test_organisation_units_are_shown_as_a_tree(alice, account):
    head = add(alice, account, "organisation", name="Head office")
    add(alice, account, "organisation", name="Sales", parent=head)
    add(alice, account, "organisation", name="Accounting", parent=head)
    add(alice, account, "organisation", name="Archive")

    rows = registry.get("accounts").get_detail("organisation").display_rows(alice, account)

    assert [(row.name, len(row.tree_indent)) for row in rows] == [
        ("Archive", 0),
        ("Head office", 0),
        ("Accounting", 1),
        ("Sales", 1),
    ]


def test_a_unit_cannot_be_part_of_another_accounts_unit_nor_of_itself(alice, account):
    other = AccountFactory(owner=alice)
    foreign = OrganisationUnit.objects.create(account=other, name="Elsewhere")
    head = add(alice, account, "organisation", name="Head office")
    sales = add(alice, account, "organisation", name="Sales", parent=head)

    with pytest.raises(ValidationError, match="same account"):
        add(alice, account, "organisation", name="Stray", parent=foreign)
    with pytest.raises(ValidationError, match="part of itself"):
        details.save_row(
            detail=registry.get("accounts").get_detail("organisation"),
            user=alice,
            record=account,
            row=head,
            data={"parent": sales},
        )


def test_an_account_cannot_be_part_of_its_own_holding(alice, section):
    holding = AccountFactory(owner=alice)
    affiliate = AccountFactory(owner=alice, parent=holding)

    with pytest.raises(ValidationError, match="its own holding"):
        services.update_record(
            section=section, user=alice, obj=holding, data={"parent": affiliate}, expected_version=holding.version
        )


# --- the record around its details -------------------------------------------------------------------------


def test_every_detail_change_is_written_in_the_accounts_change_log(alice, account):
    address = add(alice, account, "addresses", type=lookup(AccountAddressType, "Legal"), city="Seattle")

    entry = ChangeLogEntry.objects.filter(object_id=account.pk).order_by("-id").first()
    assert entry.changes == [{"field": "Addresses", "label": "Addresses", "old": "", "new": str(address)}]


def test_an_account_is_deleted_with_its_details(alice, account):
    add(alice, account, "banking_details", name="Main", account_number="12345678")
    add(alice, account, "organisation", name="Head office")

    services.delete_record(user=alice, obj=account)

    assert not Account.objects.filter(pk=account.pk).exists()
    assert not AccountCommunication.objects.exists()
    assert not BankingDetails.objects.exists()


def test_deleting_a_contact_who_manages_a_unit_only_clears_the_manager(alice, account):
    manager = ContactFactory(owner=alice, account=None)
    unit = add(alice, account, "organisation", name="Head office", manager=manager)

    services.delete_record(user=alice, obj=manager)

    unit.refresh_from_db()
    assert unit.manager is None


# --- the page ---------------------------------------------------------------------------------------------


def test_the_general_information_tab_shows_a_card_per_detail(alice_client, account):
    response = alice_client.get(reverse("accounts:tab", args=[account.pk, "general"]), **HTMX)

    body = response.content.decode()
    for name in ("communication_options", "addresses", "banking_details", "noteworthy_events"):
        assert f'id="detail-{name}"' in body
    assert "info@northwind.example" in body


def test_adding_an_address_in_place_answers_the_card_with_the_new_row(alice_client, account):
    url = reverse("accounts:detail_row_create", args=[account.pk, "addresses"])
    legal = lookup(AccountAddressType, "Legal")

    form = alice_client.get(url, **HTMX)
    response = alice_client.post(
        url,
        {
            "detail-addresses-type": legal.pk,
            "detail-addresses-street": "1 Pike Place",
            "detail-addresses-city": "Seattle",
        },
        **HTMX,
    )

    assert 'name="detail-addresses-street"' in form.content.decode()
    assert response.status_code == 200
    body = response.content.decode()
    assert "1 Pike Place, Seattle" in body
    assert "<form" not in body.split("<table")[0]  # the form is closed again
    assert account.addresses.filter(street="1 Pike Place").exists()


def test_an_invalid_row_comes_back_with_its_error_and_nothing_is_written(alice_client, account):
    url = reverse("accounts:detail_row_create", args=[account.pk, "communication_options"])

    response = alice_client.post(
        url,
        {"detail-communication_options-type": phone_type("Email").pk, "detail-communication_options-value": "nope"},
        **HTMX,
    )

    assert response.status_code == 200  # htmx swaps only successful answers
    assert "Enter a valid email address." in response.content.decode()
    assert account.communication_options.count() == 2


def test_without_htmx_an_added_row_leads_back_to_the_accounts_tab(alice_client, account):
    url = reverse("accounts:detail_row_create", args=[account.pk, "banking_details"])

    response = alice_client.post(
        url, {"detail-banking_details-name": "Main", "detail-banking_details-account_number": "12345678"}
    )

    assert response.status_code == 302
    assert response.url == reverse("accounts:detail", args=[account.pk]) + "?tab=general"


def test_changing_and_deleting_a_row_in_place(alice_client, alice, account):
    row = AccountAddressFactory(account=account, street="1 Old Road")
    url = reverse("accounts:detail_row_update", args=[account.pk, "addresses", row.pk])

    alice_client.post(
        url,
        {
            "detail-addresses-type": row.type_id,
            "detail-addresses-street": "2 New Road",
            "detail-addresses-city": "Berlin",
        },
        **HTMX,
    )
    row.refresh_from_db()
    assert row.street == "2 New Road"

    response = alice_client.post(reverse("accounts:detail_row_delete", args=[account.pk, "addresses", row.pk]), **HTMX)
    assert response.status_code == 200
    assert not AccountAddress.objects.filter(pk=row.pk).exists()


def test_a_row_of_another_account_cannot_be_changed_through_this_one(alice_client, alice, account):
    foreign = AccountAddressFactory(account=AccountFactory(owner=alice), street="1 Their Road")

    response = alice_client.post(
        reverse("accounts:detail_row_delete", args=[account.pk, "addresses", foreign.pk]), **HTMX
    )

    assert response.status_code == 404
    assert AccountAddress.objects.filter(pk=foreign.pk).exists()


def test_an_unknown_detail_is_not_found(alice_client, account):
    response = alice_client.get(reverse("accounts:detail_rows", args=[account.pk, "secrets"]))

    assert response.status_code == 404


def test_the_details_tab_runs_as_many_queries_for_many_rows_as_for_one(alice_client, alice, account):
    url = reverse("accounts:tab", args=[account.pk, "general"])
    AccountCommunicationFactory(account=account)
    AccountAddressFactory(account=account)
    alice_client.get(url, **HTMX)
    with CaptureQueriesContext(connection) as few:
        alice_client.get(url, **HTMX)

    AccountCommunicationFactory.create_batch(20, account=account)
    AccountAddressFactory.create_batch(20, account=account)
    with CaptureQueriesContext(connection) as many:
        alice_client.get(url, **HTMX)

    assert len(many) == len(few), "\n".join(q["sql"] for q in many.captured_queries)


def test_the_account_page_shows_the_primary_contact_and_the_completeness(alice_client, alice, account):
    nancy = ContactFactory(given_name="Nancy", surname="Davolio", job_title="Buyer", account=account, owner=alice)
    Account.objects.filter(pk=account.pk).update(primary_contact=nancy)

    body = alice_client.get(reverse("accounts:detail", args=[account.pk])).content.decode()

    assert 'id="profile-primary_contact"' in body
    assert "Nancy Davolio" in body and "Buyer" in body
    assert 'id="completeness-percent"' in body

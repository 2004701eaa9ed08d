"""A record's page lists the records of other sections that point at it (an account's opportunities, orders,
invoices, contracts, documents and leads), found in the registry, counted as far as the viewer may see them, in a
constant number of queries, and on the record's timeline."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from crm.access.models import ColumnRight
from crm.sections import registry
from crm.sections.registry import Section
from tests.factories import (
    AccountFactory,
    ContactFactory,
    ContractFactory,
    DocumentFactory,
    InvoiceFactory,
    LeadFactory,
    OpportunityFactory,
    OrderFactory,
)

CUSTOMER_SECTIONS = {"opportunities", "orders", "invoices", "contracts", "documents", "leads"}


@pytest.fixture
def account(alice):
    return AccountFactory(name="Northwind Traders", owner=alice)


def dependents_of_every_kind(account, owner, n: int = 1) -> None:
    for _ in range(n):
        OpportunityFactory(account=account, owner=owner)
        OrderFactory(account=account, owner=owner)
        InvoiceFactory(account=account, owner=owner)
        ContractFactory(account=account, owner=owner)
        DocumentFactory(account=account, owner=owner)
        LeadFactory(account=account, owner=owner)


def detail(client, record):
    section = registry.for_model(record)
    return client.get(reverse(f"{section.name}:detail", args=[record.pk]))


def test_an_accounts_page_has_a_tab_with_a_count_for_each_section_pointing_at_it(alice_client, account, alice):
    dependents_of_every_kind(account, alice, n=2)

    response = detail(alice_client, account)

    counts = response.context["tab_counts"]
    assert {name: counts[name] for name in CUSTOMER_SECTIONS} == dict.fromkeys(CUSTOMER_SECTIONS, 2)
    body = response.content.decode()
    assert 'data-tab="opportunities"' in body
    assert 'data-count="2"' in body


def test_a_list_the_section_did_not_declare_is_left_out_of_the_tabs_while_it_is_empty(alice_client, account, alice):
    OrderFactory(account=account, owner=alice)

    response = detail(alice_client, account)

    tabs = dict(response.context["tabs"])
    assert "orders" in tabs
    assert "invoices" not in tabs
    assert "contacts" in tabs  # declared by the section: shown empty, with its "New" button
    tab = alice_client.get(reverse("accounts:tab", args=[account.pk, "invoices"]), HTTP_HX_REQUEST="true")
    assert tab.status_code == 200  # still reachable, to create the first one


def test_a_contacts_page_lists_the_deals_and_orders_of_the_contact(alice_client, alice):
    contact = ContactFactory(owner=alice)
    OpportunityFactory(contact=contact, name="Laptops for Nancy", owner=alice)
    OrderFactory(contact=contact, owner=alice)

    response = detail(alice_client, contact)

    assert response.context["tab_counts"]["opportunities"] == 1
    assert response.context["tab_counts"]["orders"] == 1
    tab = alice_client.get(reverse("contacts:tab", args=[contact.pk, "opportunities"]), HTTP_HX_REQUEST="true")
    assert "Laptops for Nancy" in tab.content.decode()


def test_the_counts_and_the_tab_hide_the_records_the_user_may_not_see(client, account, alice, bob, record_rights):
    record_rights("opportunities")
    OpportunityFactory(account=account, owner=alice, name="Deal of Alice")
    OpportunityFactory(account=account, owner=bob, name="Secret deal of Bob")
    client.force_login(alice)

    response = detail(client, account)
    tab = client.get(reverse("accounts:tab", args=[account.pk, "opportunities"]), HTTP_HX_REQUEST="true")

    assert response.context["tab_counts"]["opportunities"] == 1
    assert "Deal of Alice" in tab.content.decode()
    assert "Secret deal of Bob" not in tab.content.decode()


def test_no_tab_for_a_section_whose_link_to_the_record_the_user_may_not_see(alice_client, account, alice, role_tree):
    ColumnRight.objects.create(
        section="opportunities", field_name="account", role=role_tree.all_employees, access=ColumnRight.Access.HIDDEN
    )
    OpportunityFactory(account=account, owner=alice)

    response = detail(alice_client, account)

    assert "opportunities" not in dict(response.context["tabs"])
    assert "opportunities" not in response.context["tab_counts"]
    tab = alice_client.get(reverse("accounts:tab", args=[account.pk, "opportunities"]), HTTP_HX_REQUEST="true")
    assert tab.status_code == 404


def test_the_record_page_runs_as_many_queries_with_many_related_records_as_with_one(alice_client, alice):
    few, many = AccountFactory(owner=alice), AccountFactory(owner=alice)
    dependents_of_every_kind(few, alice, n=1)
    dependents_of_every_kind(many, alice, n=6)
    detail(alice_client, few)  # warm the caches (content types, the access snapshot)

    with CaptureQueriesContext(connection) as with_few:
        detail(alice_client, few)
    with CaptureQueriesContext(connection) as with_many:
        response = detail(alice_client, many)

    assert response.context["tab_counts"]["orders"] == 6
    assert len(with_many) == len(with_few)
    # the counts of every related list come from one query, not one per list
    counting = [q["sql"] for q in with_many.captured_queries if '"orders_order"' in q["sql"]]
    assert len(counting) == 1
    assert "COUNT(" in counting[0] and '"invoices_invoice"' in counting[0] and '"leads_lead"' in counting[0]


def test_a_section_registered_later_is_listed_on_the_records_it_points_at_without_declaring_it():
    from accounts.models import AccountAddress

    registry.register(Section(name="test_sites", model=AccountAddress, title="Sites", list_columns=("city",)))
    try:
        tabs = {tab.name: tab for tab in registry.related_tabs(registry.get("accounts"))}
    finally:
        registry.unregister("test_sites")

    assert tabs["test_sites"].relation == "account"
    assert tabs["test_sites"].title == "Sites"


def test_the_timeline_shows_the_records_pointing_at_the_record_the_user_may_see(
    client, account, alice, bob, record_rights
):
    record_rights("orders")
    OrderFactory(account=account, owner=alice, number="ORD-ALICE")
    OrderFactory(account=account, owner=bob, number="ORD-BOB")
    OpportunityFactory(account=account, owner=alice, name="Laptops for Northwind")
    client.force_login(alice)

    response = client.get(reverse("accounts:tab", args=[account.pk, "timeline"]), HTTP_HX_REQUEST="true")

    titles = [item.title for item in response.context["items"] if item.kind == "related"]
    assert "Opportunity Laptops for Northwind" in titles
    assert any("ORD-ALICE" in title for title in titles)
    assert not any("ORD-BOB" in title for title in titles)

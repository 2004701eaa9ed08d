"""The contract pages: who may reach them (an outsider gets 404 on every URL), the subordinate contracts, the
Contracts tab of an opportunity, and the list's query count."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import OpportunityFactory
from tests.factories.contracts import AddendumFactory, ContractFactory

pytestmark = pytest.mark.django_db


def test_an_outsider_gets_404_on_every_url_of_a_contract(client, alice, charlie, only_owners_read_records):
    contract = AddendumFactory(owner=alice)
    client.force_login(charlie)
    pk = contract.pk
    gets = [
        reverse("contracts:detail", args=[pk]),
        reverse("contracts:update", args=[pk]),
        reverse("contracts:delete", args=[pk]),
        reverse("contracts:tab", args=[pk, "subordinates"]),
        reverse("contracts:tab", args=[pk, "products"]),
        reverse("contracts:detail_rows", args=[pk, "products"]),
        reverse("contracts:detail_row_create", args=[pk, "products"]),
        reverse("contracts:select_products", args=[pk]),
    ]
    for url in gets:
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("contracts:move", args=[pk]), {"stage": "to_be_signed"}).status_code == 404
    assert client.post(reverse("contracts:delete", args=[pk])).status_code == 404
    contract.refresh_from_db()
    assert contract.status == "draft"
    assert contract.number not in client.get(reverse("contracts:list")).content.decode()


def test_the_owner_sees_the_contract_page_with_its_subordinates(alice_client, alice):
    addendum = AddendumFactory(owner=alice)

    page = alice_client.get(addendum.parent.get_absolute_url()).content.decode()
    tab = alice_client.get(reverse("contracts:tab", args=[addendum.parent.pk, "subordinates"])).content.decode()

    assert "Subordinate contracts" in page
    assert addendum.number in tab


def test_the_opportunity_page_lists_only_the_contracts_its_reader_may_see(client, alice, bob, only_owners_read_records):
    opportunity = OpportunityFactory(owner=bob)
    mine = ContractFactory(owner=bob, opportunity=opportunity, account=opportunity.account)
    hidden = ContractFactory(owner=alice, opportunity=opportunity)
    client.force_login(bob)

    tab = client.get(reverse("opportunities:tab", args=[opportunity.pk, "opportunity_contracts"]))

    assert tab.status_code == 200
    assert mine.number in tab.content.decode() and hidden.number not in tab.content.decode()


def count_queries(client, per_page: int) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(reverse("contracts:list"), {"per_page": per_page})
    assert response.status_code == 200
    return len(context)


def test_the_contracts_list_runs_as_many_queries_for_100_rows_as_for_25(alice_client, alice):
    ContractFactory.create_batch(60, owner=alice)
    AddendumFactory.create_batch(30, owner=alice)
    alice_client.get(reverse("contracts:list"))  # warm up: content types, the session

    assert count_queries(alice_client, 25) == count_queries(alice_client, 100)

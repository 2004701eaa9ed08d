"""What a contract must be: ending after it starts, a specification or an addendum under a parent contract,
no cycles of parents, banking details of its own parties."""

import datetime

import pytest

from accounts.models import BankingDetails
from contracts.models import Contract
from tests.factories import AccountFactory
from tests.factories.contracts import AddendumFactory, ContractFactory

pytestmark = pytest.mark.django_db


def test_an_end_date_before_the_start_is_refused(alice_client, post_contract, today):
    response = post_contract(
        alice_client, start_date=today.isoformat(), end_date=(today - datetime.timedelta(days=1)).isoformat()
    )

    assert response.status_code == 422
    assert "The end date cannot be before the start date." in response.content.decode()
    assert not Contract.objects.exists()


def test_an_addendum_needs_a_parent_contract(alice_client, post_contract):
    response = post_contract(alice_client, type=Contract.Type.ADDENDUM)

    assert response.status_code == 422
    assert "An addendum belongs to a parent contract" in response.content.decode()


def test_an_addendum_is_created_under_its_parent(alice_client, alice, post_contract):
    parent = ContractFactory(owner=alice)

    response = post_contract(alice_client, type=Contract.Type.ADDENDUM, parent=parent.pk, account=parent.account_id)

    assert response.status_code == 302
    assert list(parent.subordinates.values_list("type", flat=True)) == [Contract.Type.ADDENDUM]
    page = alice_client.get(parent.get_absolute_url() + "tab/subordinates/").content.decode()
    assert Contract.objects.get(parent=parent).number in page


def test_a_main_contract_has_no_parent(alice_client, alice, post_contract):
    response = post_contract(alice_client, parent=ContractFactory(owner=alice).pk)

    assert response.status_code == 422
    assert "Only a specification or an addendum has a parent contract." in response.content.decode()


def test_a_contract_cannot_be_put_under_its_own_subordinate(alice_client, alice, post_contract):
    first = AddendumFactory(owner=alice)
    second = AddendumFactory(owner=alice, parent=first, account=first.account)

    response = post_contract(alice_client, first, parent=second.pk)

    assert response.status_code == 422
    assert "cannot be under itself" in response.content.decode()
    first.refresh_from_db()
    assert first.parent_id != second.pk


def test_banking_details_of_another_account_are_refused(alice_client, alice, post_contract):
    contract = ContractFactory(owner=alice)
    theirs = BankingDetails.objects.create(account=AccountFactory(), name="Other", account_number="123456")
    own = BankingDetails.objects.create(account=contract.account, name="Main", account_number="654321")

    refused = post_contract(alice_client, contract, account_banking_details=theirs.pk)
    accepted = post_contract(alice_client, contract, account_banking_details=own.pk)

    assert refused.status_code == 422
    assert accepted.status_code == 302
    contract.refresh_from_db()
    assert contract.account_banking_details == own


def test_the_form_offers_only_the_chosen_account_s_banking_details(alice_client, alice):
    contract = ContractFactory(owner=alice)
    BankingDetails.objects.create(account=AccountFactory(), name="Someone else's", account_number="123456")
    BankingDetails.objects.create(account=contract.account, name="Ours to pick", account_number="654321")

    page = alice_client.get(f"/contracts/{contract.pk}/edit/").content.decode()

    assert "Ours to pick" in page and "Someone else&#x27;s" not in page and "Someone else's" not in page

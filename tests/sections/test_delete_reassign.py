"""Deleting a record others use: the user may move the dependents to another record of the same section they may
see, and the record goes with its detail rows, in one transaction; what cannot be moved is listed with the reason,
and then nothing is moved nor deleted."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from accounts.models import Account, AccountAddress
from activities.models import Activity
from contacts.models import Contact
from crm.access.models import ColumnRight
from crm.sections.models import ChangeLogEntry
from opportunities.models import Opportunity
from orders.models import Order
from tests.factories import AccountFactory, ActivityFactory, ContactFactory, OpportunityFactory, OrderFactory
from tests.factories.customers import AccountAddressFactory


@pytest.fixture
def northwind(alice):
    return AccountFactory(name="Northwind Traders", owner=alice)


@pytest.fixture
def northwind_gmbh(alice):
    return AccountFactory(name="Northwind GmbH", owner=alice)


def delete(client, record, **data):
    return client.post(reverse("accounts:delete", args=[record.pk]), data)


def test_deleting_an_account_moves_its_dependents_to_the_chosen_account_and_deletes_its_details(
    alice_client, alice, northwind, northwind_gmbh
):
    nancy = ContactFactory(given_name="Nancy", surname="Davolio", account=northwind, owner=alice)
    deal = OpportunityFactory(account=northwind, owner=alice)
    order = OrderFactory(account=northwind, owner=alice)
    call = ActivityFactory(account=northwind, owner=alice)
    AccountAddressFactory(account=northwind)

    response = delete(alice_client, northwind, target=northwind_gmbh.pk)

    assert response.status_code == 302
    assert not Account.objects.filter(pk=northwind.pk).exists()
    assert Contact.objects.get(pk=nancy.pk).account == northwind_gmbh
    assert Opportunity.objects.get(pk=deal.pk).account == northwind_gmbh
    assert Order.objects.get(pk=order.pk).account == northwind_gmbh
    assert Activity.objects.get(pk=call.pk).account == northwind_gmbh
    assert not AccountAddress.objects.filter(account_id=northwind.pk).exists()
    # the move is in each record's change log, as an edit by alice
    assert ChangeLogEntry.objects.filter(object_id=nancy.pk, action="update", user=alice).exists()


def test_an_activity_connected_to_a_deleted_deal_moves_to_the_chosen_deal(alice_client, alice, northwind):
    deal, other_deal = OpportunityFactory(account=northwind, owner=alice), OpportunityFactory(owner=alice)
    content_type = ContentType.objects.get_for_model(deal)
    call = ActivityFactory(account=None, connected_type=content_type, connected_id=deal.pk, owner=alice)

    response = alice_client.post(reverse("opportunities:delete", args=[deal.pk]), {"target": other_deal.pk})

    assert response.status_code == 302
    assert not Opportunity.objects.filter(pk=deal.pk).exists()
    assert Activity.objects.get(pk=call.pk).connected_id == other_deal.pk


def test_the_records_to_move_to_are_only_those_the_user_may_see(client, alice, bob, northwind, record_rights):
    record_rights("accounts")
    ContactFactory(account=northwind, owner=alice)
    bobs_account = AccountFactory(name="Bob's own", owner=bob)
    client.force_login(alice)

    response = delete(client, northwind, target=bobs_account.pk)

    assert response.status_code == 422
    assert "Choose another account you may see." in response.content.decode()
    assert Account.objects.filter(pk=northwind.pk).exists()
    assert Contact.objects.filter(account=northwind).count() == 1


def test_moving_the_dependents_to_the_record_itself_is_refused(alice_client, alice, northwind):
    ContactFactory(account=northwind, owner=alice)

    response = delete(alice_client, northwind, target=northwind.pk)

    assert response.status_code == 422
    assert Account.objects.filter(pk=northwind.pk).exists()


def test_deleting_is_refused_with_the_reason_when_a_dependent_is_one_the_user_may_not_see(
    client, alice, bob, northwind, northwind_gmbh, record_rights
):
    record_rights("opportunities")
    nancy = ContactFactory(account=northwind, owner=alice)
    OpportunityFactory(account=northwind, owner=bob, name="Secret deal of Bob")
    client.force_login(alice)

    page = client.get(reverse("accounts:delete", args=[northwind.pk])).content.decode()
    response = delete(client, northwind, target=northwind_gmbh.pk)

    assert "Cannot be moved: Some of them are records you may not see." in page
    assert "Secret deal of Bob" not in page
    assert 'id="confirm-reassign"' not in page
    assert response.status_code == 409
    assert Account.objects.filter(pk=northwind.pk).exists()
    assert Contact.objects.get(pk=nancy.pk).account == northwind  # nothing was moved either


def test_deleting_is_refused_with_the_reason_when_the_dependents_link_is_read_only(
    alice_client, alice, northwind, northwind_gmbh, role_tree
):
    ColumnRight.objects.create(
        section="contacts", field_name="account", role=role_tree.all_employees, access=ColumnRight.Access.READ
    )
    nancy = ContactFactory(account=northwind, owner=alice)

    page = alice_client.get(reverse("accounts:delete", args=[northwind.pk])).content.decode()
    response = delete(alice_client, northwind, target=northwind_gmbh.pk)

    assert "Cannot be moved: You may not change their “Account”." in page
    assert response.status_code == 409
    assert Contact.objects.get(pk=nancy.pk).account == northwind

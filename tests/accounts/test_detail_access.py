"""Details are part of their record: changing them needs the right to edit the record, and a detail never shows
a record the user may not see. Alice owns the accounts; Charlie may only read what Alice shares with him."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from accounts.models import Account, AccountAddressType
from accounts.services import relate
from crm import access
from crm.access.grants import share_record
from crm.access.models import Level
from crm.access.services import set_record_rights
from crm.sections import details, registry
from tests.factories import AccountFactory, ContactFactory
from tests.factories.customers import lookup

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def account(alice, ada):
    set_record_rights(user=ada, section="accounts", enabled=True)
    set_record_rights(user=ada, section="contacts", enabled=True)
    return AccountFactory(name="Northwind Traders", owner=alice)


@pytest.fixture
def shared_for_reading(alice, charlie, account):
    share_record(user=alice, obj=account, level=Level.READ, grantee_user=charlie)
    return account


@pytest.fixture
def charlie_client(client, charlie):
    client.force_login(charlie)
    return client


def address_data():
    return {"type": lookup(AccountAddressType, "Legal"), "street": "1 Pike Place", "city": "Seattle"}


def test_a_user_who_may_only_read_the_account_cannot_add_an_address(charlie, shared_for_reading):
    account = shared_for_reading
    assert access.can(charlie, "read", account) and not access.can(charlie, "edit", account)

    with pytest.raises(PermissionDenied):
        details.save_row(
            detail=registry.get("accounts").get_detail("addresses"), user=charlie, record=account, data=address_data()
        )

    assert not account.addresses.exists()


def test_the_add_form_is_not_offered_and_a_forged_post_writes_nothing(charlie_client, shared_for_reading):
    account = shared_for_reading
    url = reverse("accounts:detail_row_create", args=[account.pk, "addresses"])

    card = charlie_client.get(reverse("accounts:detail_rows", args=[account.pk, "addresses"]), **HTMX)
    forged = charlie_client.post(
        url, {"detail-addresses-type": lookup(AccountAddressType, "Legal").pk, "detail-addresses-city": "X"}, **HTMX
    )

    assert card.status_code == 200 and url not in card.content.decode()
    assert forged.status_code == 404
    assert not account.addresses.exists()


def test_an_editor_may_add_an_address(alice, charlie, account):
    share_record(user=alice, obj=account, level=Level.EDIT, grantee_user=charlie)

    details.save_row(
        detail=registry.get("accounts").get_detail("addresses"), user=charlie, record=account, data=address_data()
    )

    assert account.addresses.count() == 1


def test_the_details_of_an_account_nobody_shared_are_not_found(charlie_client, account):
    response = charlie_client.get(reverse("accounts:detail_rows", args=[account.pk, "addresses"]), **HTMX)

    assert response.status_code == 404


def test_a_relationship_names_a_party_the_user_may_not_see_only_as_restricted(
    charlie_client, alice, shared_for_reading
):
    hidden = AccountFactory(name="Secret Holding Ltd", owner=alice)
    relate(user=alice, record=shared_for_reading, other=hidden, type=_role("Holding company"))

    body = charlie_client.get(reverse("accounts:tab", args=[shared_for_reading.pk, "connections"]), **HTMX).content

    assert b"Secret Holding Ltd" not in body
    assert b"Restricted" in body


def test_the_primary_contact_profile_is_left_out_when_the_contact_is_not_shared(
    charlie_client, alice, shared_for_reading
):
    nancy = ContactFactory(given_name="Nancy", surname="Davolio", owner=alice, account=shared_for_reading)
    Account.objects.filter(pk=shared_for_reading.pk).update(primary_contact=nancy)

    body = charlie_client.get(reverse("accounts:detail", args=[shared_for_reading.pk])).content.decode()

    assert 'id="profile-primary_contact"' not in body


def test_relating_to_a_record_the_user_may_not_see_is_refused(alice, bob, account):
    bobs = AccountFactory(name="Bob's Account", owner=bob)

    with pytest.raises(PermissionDenied):
        relate(user=alice, record=account, other=bobs, type=_role("Partner"))


def _role(name):
    from accounts.models import RelationshipType

    return RelationshipType.objects.get(name=name)

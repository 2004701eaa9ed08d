"""Shared folders: bob, a manager, shares a static folder of accounts; alice may use it (open it) but only bob
changes its members, and only with records he can see. Record rights are on for accounts."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from crm.access.models import SectionAccess
from crm.sections import registry, services
from crm.sections.models import FolderItem
from tests.factories import AccountFactory


@pytest.fixture
def shared_folder(bob, charlie):
    """bob's shared folder holding two of his accounts and one of charlie's that bob may no longer see."""
    SectionAccess.objects.create(section="accounts", use_record_rights=True)
    section = registry.get("accounts")
    folder = services.create_folder(section=section, user=bob, name="Key accounts", kind="static", shared=True)
    records = [AccountFactory(owner=bob, name="Northwind"), AccountFactory(owner=bob, name="Contoso")]
    hidden = AccountFactory(owner=charlie, name="Charlie's prospect")
    FolderItem.objects.bulk_create([FolderItem(folder=folder, object_id=r.pk) for r in [*records, hidden]])
    return folder, records, hidden


def members(folder) -> set[int]:
    return set(folder.items.values_list("object_id", flat=True))


def test_another_user_cannot_empty_a_shared_folder(alice_client, shared_folder):
    folder, records, hidden = shared_folder
    before = members(folder)

    response = alice_client.post(
        reverse("accounts:bulk"),
        {"action": "remove_from_folder", "folder": folder.pk, "ids": [r.pk for r in records] + [hidden.pk]},
    )

    assert members(folder) == before
    assert "Only the owner of “Key accounts” can change its records." in [
        str(m) for m in get_messages(response.wsgi_request)
    ]


def test_another_user_cannot_add_to_a_shared_folder(alice, alice_client, shared_folder):
    folder, _, _ = shared_folder
    before = members(folder)
    mine = AccountFactory(owner=alice, name="Alice's own")

    alice_client.post(reverse("accounts:bulk"), {"action": "add_to_folder", "folder": folder.pk, "ids": [mine.pk]})

    assert members(folder) == before


def test_the_owner_removes_only_records_he_can_see(bob, shared_folder):
    folder, records, hidden = shared_folder

    removed = services.remove_from_folder(user=bob, folder=folder, ids=[records[0].pk, hidden.pk])

    assert removed == 1
    assert members(folder) == {records[1].pk, hidden.pk}


def test_the_owner_changes_his_shared_folder(client, bob, shared_folder):
    folder, records, _ = shared_folder
    client.force_login(bob)

    client.post(reverse("accounts:bulk"), {"action": "remove_from_folder", "folder": folder.pk, "ids": [records[0].pk]})

    assert records[0].pk not in members(folder)

"""Bulk actions of a list (delete, change owner) and the column chooser."""

import pytest
from django.urls import reverse

from accounts.models import Account
from crm.sections.models import ChangeLogEntry, ListPreference
from tests.factories import AccountFactory, ContactFactory


@pytest.fixture
def three(alice):
    return [AccountFactory(name=name, owner=alice) for name in ("One", "Two", "Three")]


def test_bulk_delete_deletes_the_selected_records(alice_client, three):
    response = alice_client.post(
        reverse("accounts:bulk"), {"action": "delete", "ids": [three[0].pk, three[1].pk]}, follow=True
    )

    assert list(Account.objects.values_list("name", flat=True)) == ["Three"]
    assert "Deleted 2 record(s)." in response.content.decode()


def test_bulk_delete_leaves_records_that_others_depend_on_and_says_why(alice_client, three, alice):
    ContactFactory(account=three[0], owner=alice)

    response = alice_client.post(
        reverse("accounts:bulk"), {"action": "delete", "ids": [t.pk for t in three]}, follow=True
    )

    assert list(Account.objects.values_list("name", flat=True)) == ["One"]
    body = response.content.decode()
    assert "Deleted 2 record(s)." in body
    assert "1 record(s) were left as they were. One: The record is still used by other records." in body


def test_bulk_change_owner_gives_the_records_to_the_new_owner_and_logs_it(alice_client, three, bob):
    response = alice_client.post(
        reverse("accounts:bulk"),
        {"action": "change_owner", "owner": bob.pk, "ids": [three[0].pk, three[2].pk]},
        follow=True,
    )

    owners = dict(Account.objects.values_list("name", "owner__username"))
    assert owners == {"One": "bob", "Two": "alice", "Three": "bob"}
    assert "Changed the owner of 2 record(s)." in response.content.decode()
    entry = ChangeLogEntry.objects.filter(object_id=three[0].pk, action="update").get()
    assert entry.changes == [{"field": "owner", "label": "owner", "old": "alice", "new": "bob"}]


def test_bulk_change_owner_without_an_owner_changes_nothing(alice_client, three, alice):
    response = alice_client.post(
        reverse("accounts:bulk"), {"action": "change_owner", "owner": "", "ids": [three[0].pk]}, follow=True
    )

    assert "Choose the new owner." in response.content.decode()
    assert set(Account.objects.values_list("owner", flat=True)) == {alice.pk}


def test_a_bulk_action_without_a_selection_asks_for_one(alice_client, three):
    response = alice_client.post(reverse("accounts:bulk"), {"action": "delete"}, follow=True)

    assert "Select at least one record first." in response.content.decode()
    assert Account.objects.count() == 3


def test_a_bulk_action_returns_to_the_same_list(alice_client, three):
    response = alice_client.post(
        reverse("accounts:bulk"), {"action": "delete", "ids": [three[0].pk], "querystring": "sort=-name&q=t"}
    )

    assert response["Location"] == reverse("accounts:list") + "?sort=-name&q=t"


def test_the_column_chooser_shows_only_the_chosen_columns_in_the_sections_order(alice_client, alice, three):
    alice_client.post(reverse("accounts:columns"), {"columns": ["city", "name", "not_a_column"]})

    response = alice_client.get(reverse("accounts:list"))

    assert [c.path for c in response.context["columns"]] == ["name", "city"]
    assert ListPreference.objects.get(user=alice, section="accounts").columns == ["city", "name"]


def test_the_column_chooser_restores_the_default_columns(alice_client, three):
    alice_client.post(reverse("accounts:columns"), {"columns": ["city"]})

    alice_client.post(reverse("accounts:columns"), {"columns": ["city"], "reset": "1"})
    response = alice_client.get(reverse("accounts:list"))

    assert [c.path for c in response.context["columns"]][:3] == ["name", "code", "type"]


def test_chosen_columns_are_per_user(alice_client, client, bob, three):
    alice_client.post(reverse("accounts:columns"), {"columns": ["name"]})

    client.force_login(bob)
    response = client.get(reverse("accounts:list"))

    assert len(response.context["columns"]) > 1

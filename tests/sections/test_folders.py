"""Folders of a section's list: static (chosen records), dynamic (a saved filter) and favourites."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from accounts.models import Account
from crm.sections import registry, services
from crm.sections.models import FavouriteFolder, Folder
from tests.factories import AccountFactory


def names(response) -> list[str]:
    return [str(row) for row in response.context["rows"]]


@pytest.fixture
def accounts(alice):
    return {
        name: AccountFactory(name=name, city=city, owner=alice)
        for name, city in [("Paris One", "Paris"), ("Paris Two", "Paris"), ("Berlin One", "Berlin")]
    }


def create_folder(client, kind: str, name: str, querystring: str = "") -> Folder:
    response = client.post(reverse("accounts:folder_create"), {"name": name, "kind": kind, "querystring": querystring})
    folder = Folder.objects.get(name=name)
    assert response["Location"] == f"{reverse('accounts:list')}?folder={folder.pk}"
    return folder


def test_a_static_folder_lists_the_records_added_to_it(alice_client, accounts):
    folder = create_folder(alice_client, "static", "Key accounts")
    chosen = [accounts["Paris Two"].pk, accounts["Berlin One"].pk]

    alice_client.post(reverse("accounts:bulk"), {"action": "add_to_folder", "folder": folder.pk, "ids": chosen})
    response = alice_client.get(reverse("accounts:list"), {"folder": folder.pk})

    assert names(response) == ["Berlin One", "Paris Two"]
    assert response.context["current_folder"] == folder


def test_records_removed_from_a_static_folder_leave_it_but_are_kept(alice_client, accounts):
    folder = create_folder(alice_client, "static", "Key accounts")
    all_ids = [a.pk for a in accounts.values()]
    alice_client.post(reverse("accounts:bulk"), {"action": "add_to_folder", "folder": folder.pk, "ids": all_ids})

    alice_client.post(
        reverse("accounts:bulk"),
        {"action": "remove_from_folder", "folder": folder.pk, "ids": [accounts["Paris One"].pk]},
    )
    response = alice_client.get(reverse("accounts:list"), {"folder": folder.pk})

    assert names(response) == ["Berlin One", "Paris Two"]
    assert Account.objects.filter(name="Paris One").exists()


def test_adding_a_record_twice_keeps_one_entry(alice, accounts):
    section = registry.get("accounts")
    folder = services.create_folder(section=section, user=alice, name="Twice", kind="static")
    record = accounts["Paris One"]

    first = services.add_to_folder(user=alice, folder=folder, ids=[record.pk])
    second = services.add_to_folder(user=alice, folder=folder, ids=[record.pk])

    assert (first, second) == (1, 0)
    assert folder.items.count() == 1


def test_only_records_the_user_may_see_are_added_to_a_folder(alice, accounts):
    section = registry.get("accounts")
    folder = services.create_folder(section=section, user=alice, name="Mixed", kind="static")
    deleted = AccountFactory(owner=alice)
    deleted_pk = deleted.pk
    deleted.delete()

    added = services.add_to_folder(user=alice, folder=folder, ids=[accounts["Paris One"].pk, deleted_pk])
    # a user who may see nothing (here: deactivated) adds nothing
    alice_gone = get_user_model().objects.get(pk=alice.pk)
    alice_gone.is_active = False
    added_when_inactive = services.add_to_folder(user=alice_gone, folder=folder, ids=[accounts["Paris Two"].pk])

    assert (added, added_when_inactive) == (1, 0)
    assert list(folder.items.values_list("object_id", flat=True)) == [accounts["Paris One"].pk]


def test_records_cannot_be_added_to_a_dynamic_folder(alice_client, accounts):
    folder = create_folder(alice_client, "dynamic", "Paris", querystring="city=Paris")

    response = alice_client.post(
        reverse("accounts:bulk"),
        {"action": "add_to_folder", "folder": folder.pk, "ids": [accounts["Berlin One"].pk]},
        follow=True,
    )

    assert "Records can be added only to static folders." in response.content.decode()
    assert not folder.items.exists()


def test_a_dynamic_folder_applies_its_saved_filter(alice_client, accounts, alice):
    folder = create_folder(alice_client, "dynamic", "Paris accounts", querystring="city=Paris&sort=name")
    later = AccountFactory(name="Paris Three", city="Paris", owner=alice)

    response = alice_client.get(reverse("accounts:list"), {"folder": folder.pk})

    assert names(response) == ["Paris One", "Paris Three", "Paris Two"]
    assert later.pk in [row.pk for row in response.context["rows"]]


def test_a_dynamic_folder_saves_the_quick_search_too(alice_client, accounts):
    folder = create_folder(alice_client, "dynamic", "Ones", querystring="q=one")

    response = alice_client.get(reverse("accounts:list"), {"folder": folder.pk, "city": "paris"})

    assert names(response) == ["Paris One"]


def test_a_folder_without_a_name_is_refused_with_a_message(alice_client):
    response = alice_client.post(reverse("accounts:folder_create"), {"name": "  ", "kind": "static"}, follow=True)

    assert "Give the folder a name." in response.content.decode()
    assert not Folder.objects.exists()


def test_another_users_private_folder_is_not_listed_nor_opened(alice_client, bob, accounts):
    section = registry.get("accounts")
    private = services.create_folder(section=section, user=bob, name="Bob's own", kind="static")
    shared = services.create_folder(section=section, user=bob, name="Team", kind="static", shared=True)

    response = alice_client.get(reverse("accounts:list"), {"folder": private.pk})

    assert response.context["current_folder"] is None
    assert [f.name for f in response.context["folders"]] == ["Team"]
    assert response.context["folders"][0] == shared


def test_favouriting_a_folder_marks_it_and_favouriting_again_unmarks_it(alice_client, alice, accounts):
    folder = create_folder(alice_client, "static", "Key accounts")
    url = reverse("accounts:folder_action", args=[folder.pk, "favourite"])

    alice_client.post(url)
    marked = alice_client.get(reverse("accounts:list"))
    alice_client.post(url)
    unmarked = alice_client.get(reverse("accounts:list"))

    assert marked.context["favourite_ids"] == {folder.pk}
    assert 'title="Favourite"' in marked.content.decode()
    assert unmarked.context["favourite_ids"] == set()
    assert not FavouriteFolder.objects.filter(user=alice).exists()


def test_only_the_owner_deletes_a_shared_folder(alice_client, bob, accounts):
    section = registry.get("accounts")
    shared = services.create_folder(section=section, user=bob, name="Team", kind="static", shared=True)

    alice_client.post(reverse("accounts:folder_action", args=[shared.pk, "delete"]))

    assert Folder.objects.filter(pk=shared.pk).exists()

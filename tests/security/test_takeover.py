"""Record takeover: a share lends what it says and no more. alice owns an account in a section with record rights;
charlie holds an edit share on it. Giving it another owner needs full rights (the owner, the author, their
managers, a delete share with delegation permitted), so charlie cannot make it his through the form, the
service, the bulk change of owner or an import; sharing it on needs "delegation permitted" on his share. bob, with
a delete share with delegation permitted, is the control: he may."""

from __future__ import annotations

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied

from accounts.models import Account
from crm import access
from crm.access.models import Level, RecordGrant
from crm.imports import services as import_services
from crm.imports.models import ImportJob
from crm.sections import registry
from crm.sections import services as section_services
from tests.factories import AccountFactory
from tests.factories.core import UserFactory
from tests.imports.conftest import csv_bytes, upload

from .conftest import form_data, reload


@pytest.fixture
def accounts():
    return registry.get("accounts")


@pytest.fixture
def dave(db):
    return UserFactory(username="dave", first_name="Dave", last_name="Dunn")


@pytest.fixture
def account(record_rights, alice):
    record_rights("accounts")
    return AccountFactory(owner=alice, name="Northwind")


def share(record, user, level, *, can_delegate=False):
    delegation = {"can_delegate": True} if can_delegate else {}
    return RecordGrant.objects.create(
        content_type=ContentType.objects.get_for_model(record),
        object_id=record.pk,
        user=user,
        level=level,
        **delegation,
    )


def grants_of(record):
    return set(
        RecordGrant.objects.filter(
            content_type=ContentType.objects.get_for_model(record), object_id=record.pk
        ).values_list("user__username", "level", "can_delegate")
    )


def test_an_edit_share_edits_the_form_but_not_its_owner(client, accounts, account, alice, charlie):
    share(account, charlie, Level.EDIT)
    client.force_login(charlie)

    page = client.get(accounts.url("update", account.pk))
    assert page.status_code == 200
    assert "owner" not in page.context["form"].fields
    data = form_data(accounts, alice, account) | {"owner": str(charlie.pk), "phone": "+1 555 0100"}
    response = client.post(accounts.url("update", account.pk), data)

    assert response.status_code == 302
    assert (reload(account).owner_id, reload(account).phone) == (alice.pk, "+1 555 0100")
    assert not access.can(charlie, "delete", reload(account))


def test_the_service_refuses_a_new_owner_from_an_edit_share_and_keeps_the_record(accounts, account, alice, charlie):
    share(account, charlie, Level.EDIT)

    with pytest.raises(PermissionDenied, match="owner"):
        section_services.update_record(
            section=accounts, user=charlie, obj=account, data={"owner": charlie}, expected_version=account.version
        )
    assert reload(account).owner_id == alice.pk
    # repeating the owner the record has is no change of owner
    section_services.update_record(
        section=accounts,
        user=charlie,
        obj=account,
        data={"owner": alice, "phone": "+1 555 0111"},
        expected_version=account.version,
    )
    assert (reload(account).owner_id, reload(account).phone) == (alice.pk, "+1 555 0111")


def test_a_delete_share_without_delegation_is_no_full_right(accounts, account, alice, charlie):
    share(account, charlie, Level.DELETE)

    assert not access.may_change_owner(charlie, account)
    with pytest.raises(PermissionDenied):
        section_services.update_record(
            section=accounts, user=charlie, obj=account, data={"owner": charlie}, expected_version=account.version
        )
    assert reload(account).owner_id == alice.pk


def test_who_has_full_rights_changes_the_owner(client, accounts, account, alice, bob, charlie):
    share(account, bob, Level.DELETE, can_delegate=True)
    client.force_login(bob)

    data = form_data(accounts, bob, account) | {"owner": str(bob.pk)}
    assert client.post(accounts.url("update", account.pk), data).status_code == 302
    assert reload(account).owner_id == bob.pk
    # and the owner gives the record away
    client.force_login(bob)
    moved = reload(account)
    data = form_data(accounts, bob, moved) | {"owner": str(charlie.pk)}
    assert client.post(accounts.url("update", moved.pk), data).status_code == 302
    assert reload(account).owner_id == charlie.pk


def test_the_bulk_change_of_owner_leaves_a_record_shared_for_editing_alone(
    client, accounts, account, alice, bob, charlie
):
    share(account, charlie, Level.EDIT)
    share(account, bob, Level.DELETE, can_delegate=True)
    other = AccountFactory(owner=alice, name="Contoso")
    share(other, bob, Level.DELETE, can_delegate=True)
    bulk = accounts.url("bulk")

    client.force_login(charlie)
    client.post(bulk, {"ids": [account.pk], "action": "change_owner", "owner": charlie.pk})
    assert reload(account).owner_id == alice.pk

    client.force_login(bob)
    client.post(bulk, {"ids": [account.pk, other.pk], "action": "change_owner", "owner": bob.pk})
    assert (reload(account).owner_id, reload(other).owner_id) == (bob.pk, bob.pk)


def run_owner_import(user, rows):
    job = import_services.create_job(
        user=user, section_name="accounts", upload=upload(csv_bytes([["Name", "Owner"], *rows]), "accounts.csv")
    )
    job = import_services.configure(
        user=user,
        job=job,
        sheet="",
        mapping={"0": "name", "1": "owner"},
        keys=["name"],
        lookup_mode=ImportJob.LookupMode.REFUSE,
    )
    import_services.start(user=user, job=job)
    return import_services.run(job.pk)


def test_an_import_does_not_hand_a_record_shared_for_editing_to_the_importer(account, alice, bob, charlie):
    share(account, charlie, Level.EDIT)
    other = AccountFactory(owner=alice, name="Contoso")
    share(other, charlie, Level.DELETE, can_delegate=True)

    job = run_owner_import(charlie, [["Northwind", "charlie"], ["Contoso", "charlie"]])

    assert (job.updated_count, job.refused_count) == (1, 1)
    assert "owner" in job.refused_rows.get().reason
    assert reload(account).owner_id == alice.pk
    assert reload(other).owner_id == charlie.pk


def post_share(client, account, grantee, level, can_delegate=False):
    data = {"user": grantee.pk, "level": int(level)}
    if can_delegate:
        data["can_delegate"] = "on"
    return client.post(f"/access/records/accounts/{account.pk}/share/", data)


def test_an_edit_share_does_not_share_the_record_on(client, accounts, account, charlie, dave):
    share(account, charlie, Level.EDIT)
    client.force_login(charlie)

    tab = client.get(accounts.url("tab", account.pk, "access"))
    post_share(client, account, dave, Level.READ)

    assert tab.status_code == 200 and 'id="record-grants"' in tab.content.decode()
    assert 'id="share-form"' not in tab.content.decode()
    assert grants_of(account) == {("charlie", Level.EDIT, False)}


def test_a_share_with_delegation_shares_on_up_to_its_level_without_delegation(client, account, charlie, dave, bob):
    share(account, charlie, Level.EDIT, can_delegate=True)
    client.force_login(charlie)

    post_share(client, account, dave, Level.DELETE)
    post_share(client, account, bob, Level.READ, can_delegate=True)
    assert grants_of(account) == {("charlie", Level.EDIT, True)}

    post_share(client, account, dave, Level.EDIT)
    assert grants_of(account) == {("charlie", Level.EDIT, True), ("dave", Level.EDIT, False)}


def test_the_owner_shares_with_delegation_permitted(client, account, alice, charlie):
    client.force_login(alice)

    post_share(client, account, charlie, Level.DELETE, can_delegate=True)

    assert grants_of(account) == {("charlie", Level.DELETE, True)}
    assert access.has_full_rights(charlie, Account.objects.get(pk=account.pk))

"""The access screens under /access/: only for who may manage users and roles (404 for the others), and each
change made there takes effect and lands in the audit log."""

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Account
from crm import access
from crm.access.models import (
    AuditEntry,
    ColumnRight,
    DefaultGrantRule,
    Delegation,
    Membership,
    ObjectRight,
    OperationRight,
    RecordGrant,
    Role,
    SectionAccess,
)
from crm.sections import registry
from tests.factories import AccountFactory

SCREENS = [
    "access:users",
    "access:roles",
    "access:object_rights",
    "access:operation_rights",
    "access:record_rights",
    "access:column_rights",
    "access:delegations",
    "access:audit",
]


@pytest.fixture
def ada_client(client, ada):
    client.force_login(ada)
    return client


@pytest.fixture
def user_manager(org, charlie):
    """charlie, no superuser, in "Administrators", which may manage users and roles."""
    OperationRight.objects.create(operation="manage_users", role=org.administrators, allowed=True)
    Membership.objects.create(user=charlie, role=org.administrators)
    return charlie


@pytest.mark.parametrize("name", SCREENS)
def test_a_user_who_may_not_manage_users_gets_404(alice_client, name):
    assert alice_client.get(reverse(name)).status_code == 404


@pytest.mark.parametrize("name", SCREENS)
def test_every_screen_opens_for_a_superuser(ada_client, org, name):
    response = ada_client.get(reverse(name))

    assert response.status_code == 200
    assert 'id="access-screens"' in response.content.decode()


def test_a_user_with_manage_users_uses_the_screens_without_being_superuser(client, user_manager, org):
    client.force_login(user_manager)

    assert client.get(reverse("access:roles")).status_code == 200
    assert "Sales team A" in client.get(reverse("access:roles")).content.decode()


def test_the_user_menu_shows_the_screens_to_admins_only(client, ada, alice):
    client.force_login(ada)
    assert 'id="menu-access"' in client.get(reverse("home")).content.decode()
    client.force_login(alice)
    assert 'id="menu-access"' not in client.get(reverse("home")).content.decode()


def test_the_roles_screen_shows_the_tree_with_its_members(ada_client, org):
    page = ada_client.get(reverse("access:roles")).content.decode()

    assert page.index('data-role="Company"') < page.index('data-role="Sales"') < page.index('data-role="Sales team A"')
    assert "Alice Archer" in page


def test_an_admin_creates_a_department_and_puts_a_user_in_it(ada_client, org, charlie):
    ada_client.post(reverse("access:roles"), {"name": "Support", "kind": "department", "parent": org.company.pk})
    support = Role.objects.get(name="Support")

    ada_client.post(reverse("access:role_add_member", args=[support.pk]), {"user": charlie.pk})

    assert support.parent == org.company
    assert Membership.objects.filter(user=charlie, role=support).exists()
    assert AuditEntry.objects.filter(kind="membership", summary__contains="charlie").exists()


def test_a_second_management_role_for_a_unit_is_refused(ada_client, org):
    response = ada_client.post(
        reverse("access:roles"), {"name": "Other managers", "kind": "management", "parent": org.sales.pk}, follow=True
    )

    assert "already has a management role" in response.content.decode()
    assert not Role.objects.filter(name="Other managers").exists()


def test_a_role_with_roles_below_cannot_be_deleted(ada_client, org):
    ada_client.post(reverse("access:role_delete", args=[org.sales.pk]))

    assert Role.objects.filter(pk=org.sales.pk).exists()


def test_an_admin_links_a_functional_role_and_removes_a_member(ada_client, org, alice):
    ada_client.post(reverse("access:role_links", args=[org.administrators.pk]), {"linked": [org.team_b.pk]})
    ada_client.post(reverse("access:role_remove_member", args=[org.team_a.pk, alice.pk]))

    assert list(org.administrators.linked_roles.all()) == [org.team_b]
    assert not Membership.objects.filter(user=alice, role=org.team_a).exists()


def test_object_rights_set_on_the_screen_take_effect(ada_client, org, alice):
    ada_client.post(
        reverse("access:object_rights"), {"section": "accounts", "role": org.all_employees.pk, "read": "on"}
    )

    assert ObjectRight.objects.get(section="accounts").actions() == {"read"}
    assert not access.can(alice, "edit", registry.get("accounts"))


def test_operation_rights_set_on_the_screen_take_effect(ada_client, org, alice):
    ada_client.post(
        reverse("access:operation_rights"),
        {"operation": "export", "role": org.team_a.pk, "allowed": "0", "priority": 5},
    )

    assert OperationRight.objects.get(operation="export").priority == 5
    assert not access.can(alice, "export")


def test_record_rights_and_default_rules_set_on_the_screen_take_effect(ada_client, org, alice, bob, ada):
    AccountFactory(owner=alice, name="Northwind")
    ada_client.post(reverse("access:record_rights_switch"), {"section": "accounts", "enabled": "1"})
    assert not access.visible(bob, Account.objects.all()).exists()

    ada_client.post(
        reverse("access:record_rights"),
        {"section": "accounts", "author_role": org.sales.pk, "grantee_role": org.sales.pk, "level": 1},
    )

    assert SectionAccess.objects.get(section="accounts").use_record_rights
    assert DefaultGrantRule.objects.count() == 1
    assert list(access.visible(bob, Account.objects.all()).values_list("name", flat=True)) == ["Northwind"]


def test_column_rights_set_on_the_screen_take_effect(ada_client, org, alice):
    ada_client.post(reverse("access:column_rights"), {"column": "accounts:notes", "role": org.sales.pk, "access": 0})

    assert ColumnRight.objects.filter(section="accounts", field_name="notes").exists()
    assert not access.fields_for(alice, registry.get("accounts")).can_read("notes")


def test_a_delegation_given_and_ended_on_the_screen(ada_client, alice, bob):
    until = (timezone.localtime() + timezone.timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")
    ada_client.post(reverse("access:delegations"), {"delegator": alice.pk, "delegate": bob.pk, "ends_at": until})
    delegation = Delegation.objects.get()
    assert delegation.is_active

    ada_client.post(reverse("access:delegation_revoke", args=[delegation.pk]))

    delegation.refresh_from_db()
    assert not delegation.is_active


def test_locking_out_from_the_users_screen(ada_client, alice):
    ada_client.post(reverse("access:user_action", args=[alice.pk, "lock_out"]))

    alice.refresh_from_db()
    assert not alice.is_active
    assert AuditEntry.objects.filter(kind="lockout").exists()


def test_the_audit_log_lists_the_changes_newest_first_and_filters_by_kind(ada_client, org, alice):
    ada_client.post(reverse("access:role_add_member", args=[org.team_b.pk]), {"user": alice.pk})

    page = ada_client.get(reverse("access:audit"), {"kind": "membership"}).content.decode()

    assert "Added alice to “Sales team B”" in page
    assert "logged in" not in page


def test_the_access_tab_shows_the_grants_and_shares_a_record(client, org, alice, bob, charlie, record_rights):
    record_rights("accounts")
    account = AccountFactory(owner=alice, name="Northwind")
    client.force_login(alice)
    assert "Access" in dict(client.get(account.get_absolute_url()).context["tabs"]).values()

    client.post(reverse("access:share", args=["accounts", account.pk]), {"user": charlie.pk, "level": 2})
    tab = client.get(reverse("accounts:tab", args=[account.pk, "access"])).content.decode()

    assert "Charlie Cole" in tab
    assert access.can(charlie, "edit", account)


def test_a_grantee_cannot_share_further(client, org, alice, charlie, bob, record_rights):
    from crm.access import grants

    record_rights("accounts")
    account = AccountFactory(owner=alice, name="Northwind")
    grants.share_record(user=alice, obj=account, level=2, grantee_user=charlie)
    client.force_login(charlie)

    client.post(reverse("access:share", args=["accounts", account.pk]), {"user": bob.pk, "level": 3})

    assert not RecordGrant.objects.filter(user=bob).exists()

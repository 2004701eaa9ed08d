"""User management has a ceiling: charlie's role "User managers" holds only "manage users". He may give the
roles and operation rights he holds, and no more: not see-all or the designer right, not the Administrators
role, not someone else's rights by a delegation; switching record rights, object, column and default record
rights are for administrators (superusers, holders of "administer"), on the screens and in the Django admin.
The controls: what he holds he gives; ada (superuser) and dave (in Administrators, with "administer") may all."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from crm import access
from crm.access.models import (
    ColumnRight,
    DefaultGrantRule,
    Delegation,
    Membership,
    ObjectRight,
    OperationRight,
    Role,
    SectionAccess,
)
from tests.factories.core import UserFactory


@pytest.fixture
def managers(role_tree):
    role = Role.objects.create(name="User managers", kind=Role.Kind.FUNCTIONAL)
    OperationRight.objects.create(operation="manage_users", role=role, allowed=True, priority=10)
    return role


@pytest.fixture
def user_manager(managers, charlie):
    Membership.objects.create(user=charlie, role=managers)
    return charlie


@pytest.fixture
def dave(role_tree):
    """dave, no superuser, in Administrators, which may manage users and administer."""
    dave = UserFactory(username="dave")
    for operation in ("manage_users", "administer"):
        OperationRight.objects.create(operation=operation, role=role_tree.administrators, allowed=True, priority=10)
    Membership.objects.create(user=dave, role=role_tree.administrators)
    return dave


@pytest.fixture
def as_charlie(client, user_manager):
    client.force_login(user_manager)
    return client


def operation_rule(client, operation, role, allowed="1"):
    return client.post(
        reverse("access:operation_rights"),
        {"operation": operation, "role": role.pk, "allowed": allowed, "priority": 0},
    )


def test_a_user_manager_does_not_give_his_role_see_all_or_the_designer_right(as_charlie, managers, charlie):
    for operation in ("see_all", "designer", "administer"):
        operation_rule(as_charlie, operation, managers)

    assert not OperationRight.objects.filter(operation__in=["see_all", "designer", "administer"]).exists()
    assert not access.can(charlie, "see_all") and not access.can(charlie, "designer")
    # what he holds he may give
    operation_rule(as_charlie, "manage_users", managers)
    assert OperationRight.objects.get(operation="manage_users", role=managers).priority == 0


def test_a_user_manager_does_not_lift_a_denial_he_is_under(as_charlie, managers, role_tree, charlie):
    interns = Role.objects.create(name="Interns", kind=Role.Kind.FUNCTIONAL)
    denial = OperationRight.objects.create(operation="export", role=interns, allowed=False, priority=1)
    Membership.objects.create(user=charlie, role=interns)

    as_charlie.post(reverse("access:operation_right_delete", args=[denial.pk]))
    as_charlie.post(reverse("access:role_remove_member", args=[interns.pk, charlie.pk]))

    assert OperationRight.objects.filter(pk=denial.pk).exists()
    assert Membership.objects.filter(user=charlie, role=interns).exists()
    assert not access.can(charlie, "export")


def test_a_user_manager_does_not_join_administrators(as_charlie, role_tree, charlie, alice, managers):
    as_charlie.post(reverse("access:user", args=[charlie.pk]), {"role": role_tree.administrators.pk})
    as_charlie.post(reverse("access:role_add_member", args=[role_tree.administrators.pk]), {"user": charlie.pk})
    as_charlie.post(reverse("access:role_links", args=[managers.pk]), {"linked": [role_tree.company.pk]})

    assert not Membership.objects.filter(role=role_tree.administrators).exists()
    assert not managers.linked_roles.exists()
    # a role he holds he may give
    as_charlie.post(reverse("access:role_add_member", args=[managers.pk]), {"user": alice.pk})
    assert Membership.objects.filter(user=alice, role=managers).exists()


def test_a_user_manager_does_not_move_roles_in_the_tree(as_charlie, role_tree):
    as_charlie.post(
        reverse("access:role", args=[role_tree.team_b.pk]),
        {"name": "Sales team B", "parent": role_tree.company.pk, "description": ""},
    )

    assert Role.objects.get(pk=role_tree.team_b.pk).parent_id == role_tree.sales.pk


def test_a_user_manager_does_not_borrow_an_administrator_s_rights(as_charlie, charlie, dave):
    later = (timezone.localtime() + timezone.timedelta(days=9)).strftime("%Y-%m-%dT%H:%M")

    as_charlie.post(reverse("access:delegations"), {"delegator": dave.pk, "delegate": charlie.pk, "ends_at": later})

    assert not Delegation.objects.exists()
    assert not access.is_administrator(charlie)


def test_a_user_manager_does_not_lock_out_an_administrator(as_charlie, dave):
    as_charlie.post(reverse("access:user_action", args=[dave.pk, "lock_out"]))

    dave.refresh_from_db()
    assert dave.is_active


def scheme_changes(role_tree):
    return [
        ("access:record_rights_switch", {"section": "invoices", "enabled": "0"}),
        ("access:object_rights", {"section": "invoices", "role": role_tree.all_employees.pk, "read": "on"}),
        ("access:column_rights", {"column": "invoices:amount", "role": role_tree.all_employees.pk, "access": 2}),
        (
            "access:record_rights",
            {
                "section": "invoices",
                "author_role": role_tree.all_employees.pk,
                "grantee_role": role_tree.all_employees.pk,
                "level": 3,
            },
        ),
    ]


def schemes():
    return (
        list(SectionAccess.objects.values_list("section", "use_record_rights")),
        ObjectRight.objects.count(),
        ColumnRight.objects.count(),
        DefaultGrantRule.objects.count(),
    )


def test_a_user_manager_does_not_switch_rights_schemes(as_charlie, role_tree, record_rights):
    record_rights("invoices")
    before = schemes()

    for name, data in scheme_changes(role_tree):
        as_charlie.post(reverse(name), data)

    assert schemes() == before == ([("invoices", True)], 0, 0, 0)


def test_an_administrator_switches_rights_schemes(client, dave, role_tree, record_rights):
    record_rights("invoices")
    client.force_login(dave)

    for name, data in scheme_changes(role_tree):
        client.post(reverse(name), data)

    assert schemes() == ([("invoices", False)], 1, 1, 1)


def test_the_django_admin_keeps_the_rules_from_a_staff_user_manager(client, user_manager, managers, dave):
    user_manager.is_staff = True
    user_manager.save()
    user_manager.user_permissions.set(Permission.objects.filter(content_type__app_label="access"))
    client.force_login(user_manager)

    page = client.get(reverse("admin:access_operationright_changelist"))
    client.post(
        reverse("admin:access_operationright_add"),
        {"operation": "see_all", "role": managers.pk, "allowed": "on", "priority": 0},
    )
    client.post(reverse("admin:access_membership_add"), {"user": user_manager.pk, "role": managers.pk})

    assert page.status_code == 403
    assert not OperationRight.objects.filter(operation="see_all").exists()
    # the control: an administrator on the staff uses it
    dave.is_staff = True
    dave.save()
    dave.user_permissions.set(Permission.objects.filter(content_type__app_label="access"))
    client.force_login(dave)
    assert client.get(reverse("admin:access_operationright_changelist")).status_code == 200


@pytest.mark.parametrize("screen", ["access:object_rights", "access:record_rights", "access:column_rights"])
def test_a_user_manager_sees_the_rights_schemes_without_forms_to_change_them(as_charlie, client, dave, screen):
    page = as_charlie.get(reverse(screen)).content.decode()

    assert 'id="administrators-only"' in page
    assert 'method="post"' not in page.split('id="access-screens"')[1]
    client.force_login(dave)  # the control: an administrator gets the forms
    assert 'method="post"' in client.get(reverse(screen)).content.decode().split('id="access-screens"')[1]

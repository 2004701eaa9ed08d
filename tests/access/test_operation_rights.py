"""Operation rights: yes or no per role, the rule of highest priority decides, defaults when no rule applies."""

import pytest

from crm import access
from crm.access.models import Membership, OperationRight


def test_without_rules_employees_may_export_but_not_manage_users(alice):
    assert access.can(alice, "export")
    assert access.can(alice, "view_change_log")
    assert not access.can(alice, "manage_users")
    assert not access.can(alice, "see_all")


def test_superusers_may_every_operation(ada):
    assert all(access.can(ada, operation) for operation in access.api.OPERATIONS)


def test_a_rule_of_one_of_the_users_roles_decides(org, alice, bob):
    OperationRight.objects.create(operation="export", role=org.team_a, allowed=False)

    assert not access.can(alice, "export")
    assert access.can(bob, "export")


@pytest.mark.parametrize(("team_a_priority", "expected"), [(1, False), (3, True)])
def test_the_rule_of_highest_priority_wins(org, alice, team_a_priority, expected):
    OperationRight.objects.create(operation="export", role=org.team_a, allowed=False, priority=team_a_priority)
    OperationRight.objects.create(operation="export", role=org.sales, allowed=True, priority=2)

    assert access.can(alice, "export") is expected


def test_a_functional_role_can_hold_operation_rights(org, charlie):
    OperationRight.objects.create(operation="manage_users", role=org.administrators, allowed=True)
    Membership.objects.create(user=charlie, role=org.administrators)

    assert access.can(charlie, "manage_users")


def test_an_unknown_action_is_an_error(alice):
    with pytest.raises(ValueError):
        access.can(alice, "fly")

"""Object rights: what a role may do in a section; open to everyone until a section has rules."""

import pytest
from django.core.exceptions import PermissionDenied

from accounts.models import Account, Industry
from crm import access
from crm.access import services
from crm.access.models import Membership, ObjectRight, OperationRight, Role
from crm.sections import registry
from tests.factories import AccountFactory


@pytest.fixture
def accounts():
    return registry.get("accounts")


def test_a_section_without_rules_is_open_to_every_employee(charlie, accounts):
    assert all(access.can(charlie, action, accounts) for action in ("read", "create", "edit", "delete"))


def test_once_a_section_has_rules_only_the_rights_of_the_users_roles_count(org, alice, charlie, accounts):
    ObjectRight.objects.create(section="accounts", role=org.team_a, can_read=True, can_edit=True)

    assert access.can(alice, "read", accounts) and access.can(alice, "edit", accounts)
    assert not access.can(alice, "create", accounts) and not access.can(alice, "delete", accounts)
    assert not access.can(charlie, "read", accounts)


def test_the_rights_of_several_roles_add_up(org, alice, accounts):
    ObjectRight.objects.create(section="accounts", role=org.team_a, can_read=True)
    ObjectRight.objects.create(section="accounts", role=org.all_employees, can_read=False, can_delete=True)

    assert access.can(alice, "read", accounts) and access.can(alice, "delete", accounts)
    assert not access.can(alice, "edit", accounts)


def test_rights_given_to_a_unit_reach_the_members_of_the_units_below(org, alice, maria, charlie, accounts):
    ObjectRight.objects.create(section="accounts", role=org.sales, can_read=True, can_create=True)

    assert access.can(alice, "create", accounts)
    assert access.can(maria, "create", accounts)
    assert not access.can(charlie, "create", accounts)


def test_a_management_role_gets_what_every_unit_below_it_gets(org, maria, bob, accounts):
    ObjectRight.objects.create(section="accounts", role=org.team_a, can_read=True, can_edit=True)

    assert access.can(maria, "edit", accounts)
    assert not access.can(bob, "read", accounts)


def test_a_functional_role_gets_the_rights_of_the_roles_it_links_to(org, charlie, accounts):
    key_accounts = Role.objects.create(name="Key account managers", kind=Role.Kind.FUNCTIONAL)
    key_accounts.linked_roles.add(org.team_b)
    Membership.objects.create(user=charlie, role=key_accounts)
    ObjectRight.objects.create(section="accounts", role=org.team_b, can_read=True, can_delete=True)

    assert access.can(charlie, "delete", accounts)


def test_a_section_the_user_may_not_read_shows_no_record_and_answers_404(org, charlie, alice, accounts):
    account = AccountFactory(owner=alice)
    ObjectRight.objects.create(section="accounts", role=org.sales, can_read=True)

    assert list(access.visible(charlie, Account.objects.all())) == []
    assert list(access.visible(alice, Account.objects.all())) == [account]
    assert not access.can(charlie, "read", account)
    with pytest.raises(access.api.Http404):
        access.get_object_or_404(charlie, Account, pk=account.pk)


def test_superusers_may_everything_whatever_the_rules(org, ada, accounts):
    ObjectRight.objects.create(section="accounts", role=org.sales, can_read=True)

    assert access.can(ada, "delete", accounts)


def test_see_all_reads_every_section_but_changes_nothing_more(org, charlie, alice, accounts):
    account = AccountFactory(owner=alice)
    ObjectRight.objects.create(section="accounts", role=org.sales, can_read=True, can_edit=True)
    OperationRight.objects.create(operation="see_all", role=org.administrators, allowed=True)
    Membership.objects.create(user=charlie, role=org.administrators)

    assert list(access.visible(charlie, Account.objects.all())) == [account]
    assert access.can(charlie, "read", account)
    assert not access.can(charlie, "edit", account)


def test_lookups_are_read_by_everyone_and_changed_with_manage_lookups(org, charlie, alice):
    Membership.objects.create(user=alice, role=org.administrators)
    OperationRight.objects.create(operation="manage_lookups", role=org.administrators, allowed=True)

    assert access.can(charlie, "read", Industry)
    assert access.visible(charlie, Industry.objects.all()).count() == Industry.objects.count() > 0
    assert not access.can(charlie, "edit", Industry)
    assert access.can(alice, "edit", Industry)


def test_an_inactive_user_may_nothing(alice, accounts):
    alice.is_active = False

    assert not access.can(alice, "read", accounts)
    assert not access.can(alice, "export")


def test_creating_a_record_without_the_create_right_is_refused(org, charlie, accounts):
    from crm.sections import services as section_services

    ObjectRight.objects.create(section="accounts", role=org.all_employees, can_read=True)

    with pytest.raises(PermissionDenied):
        section_services.create_record(section=accounts, user=charlie, data={"name": "Sneaky Ltd."})
    assert not Account.objects.filter(name="Sneaky Ltd.").exists()


def test_setting_an_object_right_takes_effect_at_once(org, ada, alice, accounts):
    assert access.can(alice, "delete", accounts)

    services.set_object_right(
        user=ada, section="accounts", role=org.all_employees, read=True, create=False, edit=False, delete=False
    )

    assert not access.can(alice, "delete", accounts)

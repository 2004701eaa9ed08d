"""Temporary delegation: a user gets another's rights (roles and records) until an end date."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from accounts.models import Account
from crm import access
from crm.access import services
from crm.access.models import Delegation, ObjectRight
from crm.sections import registry
from tests.factories import AccountFactory


@pytest.fixture
def private_accounts(record_rights, org):
    record_rights("accounts")
    ObjectRight.objects.create(section="accounts", role=org.sales, can_read=True, can_edit=True)
    return registry.get("accounts")


def test_a_delegate_gets_the_delegators_records_and_roles_until_the_end(private_accounts, alice, charlie, later):
    account = AccountFactory(owner=alice, name="Northwind")
    assert not access.can(charlie, "read", private_accounts)

    services.delegate(user=alice, delegator=alice, delegate=charlie, ends_at=later)

    assert access.can(charlie, "edit", private_accounts)
    assert list(access.visible(charlie, Account.objects.all(), "edit")) == [account]


def test_an_ended_delegation_gives_nothing(private_accounts, alice, charlie):
    now = timezone.now()
    Delegation.objects.create(
        delegator=alice, delegate=charlie, starts_at=now - timezone.timedelta(days=3), ends_at=now
    )
    AccountFactory(owner=alice, name="Northwind")

    assert not access.can(charlie, "read", private_accounts)
    assert list(access.visible(charlie, Account.objects.all())) == []


def test_a_revoked_delegation_gives_nothing_at_once(private_accounts, alice, charlie, later):
    delegation = services.delegate(user=alice, delegator=alice, delegate=charlie, ends_at=later)
    assert access.can(charlie, "read", private_accounts)

    services.revoke_delegation(user=alice, delegation=delegation)

    assert not access.can(charlie, "read", private_accounts)


def test_a_deactivated_delegators_rights_are_no_longer_delegated(private_accounts, alice, charlie, ada, later):
    services.delegate(user=alice, delegator=alice, delegate=charlie, ends_at=later)

    services.set_user_active(user=ada, target=alice, active=False)

    assert not access.can(charlie, "read", private_accounts)


def test_only_an_admin_may_delegate_someone_elses_rights(org, alice, bob, charlie, later):
    with pytest.raises(PermissionDenied):
        services.delegate(user=charlie, delegator=alice, delegate=charlie, ends_at=later)
    assert not Delegation.objects.exists()


def test_a_delegation_must_end_after_it_starts(alice, bob):
    with pytest.raises(ValidationError):
        services.delegate(user=alice, delegator=alice, delegate=bob, ends_at=timezone.now())

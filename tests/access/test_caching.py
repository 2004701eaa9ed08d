"""The rules are read once and cached under a version that every change bumps: pages cost no query for them,
and a change is seen at once."""

import pytest

from accounts.models import Account
from crm import access
from crm.access import services, snapshot
from crm.access.models import Membership, ObjectRight
from crm.sections import registry
from tests.factories import UserFactory


@pytest.fixture
def accounts():
    return registry.get("accounts")


@pytest.mark.parametrize("source", ["cache", "database"])
def test_the_rules_are_read_once_for_every_request(
    org, alice, accounts, settings, source, django_assert_num_queries, django_capture_on_commit_callbacks
):
    settings.ACCESS_VERSION_SOURCE = source
    with django_capture_on_commit_callbacks(execute=True):
        ObjectRight.objects.create(section="accounts", role=org.sales, can_read=True)
    access.can(alice, "read", accounts)  # a first request reads the rules and alice's roles

    same_alice_in_a_new_request = type(alice).objects.get(pk=alice.pk)
    with django_assert_num_queries(1 if source == "database" else 0):
        assert access.can(same_alice_in_a_new_request, "read", accounts)
        access.visible(same_alice_in_a_new_request, Account.objects.all())


@pytest.mark.parametrize("source", ["cache", "database"])
def test_a_change_of_rules_is_seen_by_the_next_request(
    org, alice, ada, accounts, settings, source, django_capture_on_commit_callbacks
):
    settings.ACCESS_VERSION_SOURCE = source
    assert access.can(type(alice).objects.get(pk=alice.pk), "delete", accounts)

    with django_capture_on_commit_callbacks(execute=True):
        services.set_object_right(
            user=ada, section="accounts", role=org.all_employees, read=True, create=False, edit=False, delete=False
        )

    assert not access.can(type(alice).objects.get(pk=alice.pk), "delete", accounts)


def test_rules_read_during_an_uncommitted_change_are_not_cached(org, alice, accounts):
    ObjectRight.objects.create(section="accounts", role=org.all_employees, can_read=False)
    assert not access.can(alice, "read", accounts)

    # as if that transaction had rolled back: the row is gone (no signal, no new version) and the transaction over
    ObjectRight.objects.all()._raw_delete(ObjectRight.objects.db)
    snapshot._state["pending"] = False

    assert access.can(type(alice).objects.get(pk=alice.pk), "read", accounts)


def test_a_new_membership_is_seen_by_the_next_request(org, charlie, accounts, django_capture_on_commit_callbacks):
    ObjectRight.objects.create(section="accounts", role=org.sales, can_read=True)
    assert not access.can(charlie, "read", accounts)

    Membership.objects.create(user=charlie, role=org.team_b)

    assert access.can(type(charlie).objects.get(pk=charlie.pk), "read", accounts)


def test_creating_users_does_not_drop_the_cached_rules(db, django_capture_on_commit_callbacks):
    version = snapshot.current_version()

    UserFactory(username="newcomer")

    assert snapshot.current_version() == version

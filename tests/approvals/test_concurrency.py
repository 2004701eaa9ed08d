"""Two decisions at the same moment move an approval once (PostgreSQL row locks), and a real Celery worker tells
the approvers. Accounts are used here: they need no seeded lookups, which a transactional test flushes."""

import threading
import time

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from crm import approvals
from crm.access.models import Membership, Role
from crm.approvals import services, tasks
from crm.approvals.models import Approval, ApprovalDecision, ApprovalRoute, ApprovalRouteStep
from crm.core.models import Notification
from tests.factories import AccountFactory, UserFactory


@pytest.fixture
def account_approvals():
    approved = []
    approvals.register("accounts", on_approved=lambda *, user, record: approved.append(user.username))
    yield approved
    approvals.unregister("accounts")


def decide_at_once(deciders) -> list[str]:
    """Run `approve` for each user in its own thread and connection, released together."""
    barrier = threading.Barrier(len(deciders))
    results: list[str] = []

    def run(user, approval):
        try:
            barrier.wait(timeout=10)
            services.approve(user=user, approval=approval)
            results.append("approved")
        except (ValidationError, PermissionDenied):
            results.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=pair) for pair in deciders]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return sorted(results)


@pytest.fixture
def on_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("row locks are tested on PostgreSQL")


def test_two_approvers_of_the_same_step_at_the_same_moment_approve_once(
    transactional_db, on_postgresql, account_approvals
):
    alice, bob, dave = (UserFactory(username=name) for name in ("alice", "bob", "dave"))
    board = Role.objects.create(name="Board", kind=Role.Kind.FUNCTIONAL)
    Membership.objects.bulk_create([Membership(user=bob, role=board), Membership(user=dave, role=board)])
    route = ApprovalRoute.objects.create(section="accounts", name="New key account")
    ApprovalRouteStep.objects.create(route=route, position=1, approver_role=board)
    approval = services.send_for_approval(user=alice, record=AccountFactory(owner=alice))

    results = decide_at_once(
        [(bob, Approval.objects.get(pk=approval.pk)), (dave, Approval.objects.get(pk=approval.pk))]
    )

    assert results == ["approved", "refused"]
    assert ApprovalDecision.objects.filter(approval=approval).count() == 1
    assert Approval.objects.get(pk=approval.pk).status == Approval.Status.APPROVED
    assert len(account_approvals) == 1


def test_a_double_click_approves_a_step_once(transactional_db, on_postgresql, account_approvals):
    alice, bob, dave = (UserFactory(username=name) for name in ("alice", "bob", "dave"))
    route = ApprovalRoute.objects.create(section="accounts", name="New key account")
    ApprovalRouteStep.objects.create(route=route, position=1, approver_user=bob)
    ApprovalRouteStep.objects.create(route=route, position=2, approver_user=dave)
    approval = services.send_for_approval(user=alice, record=AccountFactory(owner=alice))

    results = decide_at_once([(bob, Approval.objects.get(pk=approval.pk)), (bob, Approval.objects.get(pk=approval.pk))])

    assert results == ["approved", "refused"]
    assert ApprovalDecision.objects.filter(approval=approval).count() == 1
    assert Approval.objects.get(pk=approval.pk).current_position == 2


@pytest.mark.broker
def test_a_real_worker_on_redis_tells_the_approvers(celery_worker_on_redis, account_approvals):
    alice, bob = UserFactory(username="alice"), UserFactory(username="bob")
    route = ApprovalRoute.objects.create(section="accounts", name="New key account")
    ApprovalRouteStep.objects.create(route=route, position=1, approver_user=bob)
    # sent through the broker on commit (transactional test: each statement commits)
    approval = services.send_for_approval(user=alice, record=AccountFactory(owner=alice, name="Northwind"))

    notices = Notification.objects.filter(recipient=bob, kind="approval")
    deadline = time.monotonic() + 30
    while not notices.exists() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert notices.get().title == "Approve: Northwind"
    tasks.notify_approvers.delay(approval.pk, 1)
    time.sleep(1)
    assert notices.count() == 1

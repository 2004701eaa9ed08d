"""The approval of a record along a two-step route: sending, approving, rejecting, delegating, cancelling."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from activities import processes
from crm.approvals import services
from crm.approvals.models import Approval, ApprovalDecision, ApprovalRoute
from crm.core.models import Notification


def approval_notices(user):
    return Notification.objects.filter(recipient=user, kind="approval")


def test_approving_both_steps_approves_the_record_and_runs_the_sections_hook(
    alice, bob, dave, hooks, route, opportunity
):
    approval = services.send_for_approval(user=alice, record=opportunity)
    assert (approval.status, approval.current_position) == (Approval.Status.PENDING, 1)

    approval = services.approve(user=bob, approval=approval, comment="Fine by me")
    assert (approval.status, approval.current_position) == (Approval.Status.PENDING, 2)
    assert hooks.approved == []

    approval = services.approve(user=dave, approval=approval)

    approval.refresh_from_db()
    assert approval.status == Approval.Status.APPROVED
    assert approval.finished_at is not None
    assert list(approval.decisions.values_list("decided_by__username", "position", "decision")) == [
        ("bob", 1, "approve"),
        ("dave", 2, "approve"),
    ]
    assert hooks.approved == [("dave", opportunity.pk)]


def test_sending_tells_only_the_first_steps_approver_then_the_next_step_is_told(
    alice, bob, dave, hooks, route, opportunity, django_capture_on_commit_callbacks, mailoutbox
):
    bob.email = "bob@example.com"
    bob.save()
    with django_capture_on_commit_callbacks(execute=True):
        approval = services.send_for_approval(user=alice, record=opportunity)

    assert approval_notices(bob).get().title == "Approve: Laptops for Northwind"
    assert not approval_notices(dave).exists()
    assert [m.to for m in mailoutbox] == [["bob@example.com"]]

    with django_capture_on_commit_callbacks(execute=True):
        services.approve(user=bob, approval=approval)

    assert approval_notices(dave).get().url.endswith(f"/opportunities/{opportunity.pk}/?tab=approvals")


def test_the_notification_task_run_twice_tells_the_approver_once(alice, bob, hooks, route, opportunity):
    from crm.approvals import tasks

    approval = services.send_for_approval(user=alice, record=opportunity)

    assert tasks.notify_approvers(approval.pk, 1) == 1
    assert tasks.notify_approvers(approval.pk, 1) == 0
    assert approval_notices(bob).count() == 1


def test_someone_who_is_not_the_current_approver_cannot_decide(alice, bob, charlie, dave, hooks, route, opportunity):
    approval = services.send_for_approval(user=alice, record=opportunity)

    for outsider in (charlie, dave, alice):
        with pytest.raises(PermissionDenied):
            services.approve(user=outsider, approval=approval)
        with pytest.raises(PermissionDenied):
            services.reject(user=outsider, approval=approval, comment="No")

    assert not ApprovalDecision.objects.exists()


def test_approving_twice_does_not_move_the_approval_twice(alice, bob, hooks, route, opportunity):
    approval = services.send_for_approval(user=alice, record=opportunity)
    services.approve(user=bob, approval=approval)

    with pytest.raises(PermissionDenied):
        services.approve(user=bob, approval=approval)

    approval.refresh_from_db()
    assert approval.current_position == 2
    assert approval.decisions.count() == 1


def test_rejecting_needs_a_comment(alice, bob, hooks, route, opportunity):
    approval = services.send_for_approval(user=alice, record=opportunity)

    with pytest.raises(ValidationError):
        services.reject(user=bob, approval=approval, comment="  ")

    approval.refresh_from_db()
    assert approval.status == Approval.Status.PENDING


def test_a_rejection_gives_the_requester_a_task_to_revise_and_send_again(alice, bob, hooks, route, opportunity):
    approval = services.send_for_approval(user=alice, record=opportunity)

    services.reject(user=bob, approval=approval, comment="The discount is too deep")

    approval.refresh_from_db()
    assert approval.status == Approval.Status.REJECTED
    assert approval.comment == "The discount is too deep"
    [task] = processes.open_tasks(opportunity)
    assert (task.process_task, task.title, task.owner) == ("approvals.revise", "Revise and send again", alice)
    assert task.notes == "The discount is too deep"
    # and it may be sent again
    assert services.send_for_approval(user=alice, record=opportunity).is_pending


def test_a_sections_own_rejection_hook_replaces_the_revise_task(alice, bob, route, opportunity):
    from crm import approvals

    rejected = []
    approvals.register("opportunities", on_rejected=lambda *, user, record, comment: rejected.append(comment))
    try:
        approval = services.send_for_approval(user=alice, record=opportunity)
        services.reject(user=bob, approval=approval, comment="No budget")
    finally:
        approvals.unregister("opportunities")

    assert rejected == ["No budget"]
    assert processes.open_tasks(opportunity) == []


def test_delegation_moves_the_right_to_decide(alice, bob, erin, hooks, route, opportunity):
    approval = services.send_for_approval(user=alice, record=opportunity)

    services.delegate(user=bob, approval=approval, to_user=erin)

    with pytest.raises(PermissionDenied):
        services.approve(user=bob, approval=approval)
    approval = services.approve(user=erin, approval=approval)
    assert approval.current_position == 2
    assert approval.delegated_to is None
    assert list(approval.decisions.values_list("decided_by__username", "decision", "delegated_to__username")) == [
        ("bob", "delegate", "erin"),
        ("erin", "approve", None),
    ]


def test_the_requester_may_cancel_but_an_approver_may_not(alice, bob, hooks, route, opportunity):
    approval = services.send_for_approval(user=alice, record=opportunity)

    with pytest.raises(PermissionDenied):
        services.cancel(user=bob, approval=approval)
    services.cancel(user=alice, approval=approval)

    approval.refresh_from_db()
    assert approval.status == Approval.Status.CANCELLED
    with pytest.raises(ValidationError):
        services.approve(user=bob, approval=approval)


def test_a_record_waiting_for_approval_cannot_be_sent_again(alice, hooks, route, opportunity):
    services.send_for_approval(user=alice, record=opportunity)

    with pytest.raises(ValidationError, match="already waiting for approval"):
        services.send_for_approval(user=alice, record=opportunity)


def test_sending_needs_an_active_route_and_the_right_to_edit(alice, bob, hooks, route, opportunity, record_rights):
    record_rights("opportunities")
    with pytest.raises(PermissionDenied):
        services.send_for_approval(user=bob, record=opportunity)

    ApprovalRoute.objects.update(is_active=False)
    with pytest.raises(ValidationError, match="no active approval route"):
        services.send_for_approval(user=alice, record=opportunity)


def test_a_section_that_did_not_register_cannot_be_sent(alice, route, opportunity):
    with pytest.raises(ValidationError):
        services.send_for_approval(user=alice, record=opportunity)


def test_an_approved_document_becomes_active_and_a_rejected_one_goes_back_to_draft_with_a_task(alice, bob):
    from activities.models import Activity
    from crm.approvals import services as approval_services
    from crm.approvals.models import ApprovalRoute, ApprovalRouteStep
    from tests.factories import DocumentFactory

    route = ApprovalRoute.objects.create(section="documents", name="Documents")
    ApprovalRouteStep.objects.create(route=route, position=1, approver_user=bob)
    approved, rejected = DocumentFactory(owner=alice), DocumentFactory(owner=alice)

    approval_services.approve(user=bob, approval=approval_services.send_for_approval(user=alice, record=approved))
    approval_services.reject(
        user=bob, approval=approval_services.send_for_approval(user=alice, record=rejected), comment="Wrong prices"
    )

    approved.refresh_from_db()
    rejected.refresh_from_db()
    assert approved.status.code == "active"
    assert rejected.status.code == "draft"
    task = Activity.objects.get(process_task="approvals.revise", connected_id=rejected.pk)
    assert task.owner == alice

"""Writes of approvals: send a record for approval, approve, reject, delegate, cancel.

Each runs in one transaction holding a row lock on the approval, so a double click or two approvers at the same
moment move it once: the second finds it moved on and is refused."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from crm import access
from crm.core.services import notify
from crm.sections import registry as sections

from . import registry, selectors
from .models import Approval, ApprovalDecision, ApprovalRoute

REVISE_TASK = "approvals.revise"


def _section_name(record) -> str:
    section = sections.for_model(record)
    if section is None or not registry.is_registered(section.name):
        raise ValidationError("Records of this kind are not approved here.")
    return section.name


def _no_route(section_name: str, record) -> str:
    """Why no route takes `record`: none at all, or only routes over thresholds its amount does not pass."""
    routes = selectors.routes_of(section_name)
    if not routes:
        return "There is no active approval route for this section."
    lowest = min(routes, key=lambda route: route.min_amount)  # every route has a threshold, or one would apply
    return selectors.refusal(lowest, selectors.record_amount(record))


def _notify_approvers_on_commit(approval: Approval) -> None:
    from . import tasks

    approval_id, position = approval.pk, approval.current_position
    transaction.on_commit(lambda: tasks.notify_approvers.delay(approval_id, position))


def _locked(approval: Approval) -> Approval:
    return Approval.objects.select_for_update().select_related("route").get(pk=approval.pk)


def _authorise_decision(user, approval: Approval) -> None:
    if not approval.is_pending:
        raise ValidationError(f"This approval is already {approval.get_status_display().lower()}.")
    if not selectors.may_decide(user, approval):
        raise PermissionDenied("You are not an approver of this step.")


def _record_of(approval: Approval):
    record = approval.record
    if record is None:
        raise ValidationError("The record of this approval no longer exists.")
    return record


def send_for_approval(*, user, record, route: ApprovalRoute | None = None) -> Approval:
    """Start an approval of `record` at the first step of its section's route and tell that step's approvers."""
    section_name = _section_name(record)
    if not access.can(user, "edit", record):
        raise PermissionDenied("You may not send this record for approval.")
    if route is None:
        route = selectors.route_for(section_name, record)
        if route is None:
            raise ValidationError(_no_route(section_name, record))
    elif route.section != section_name or not route.is_active:
        raise ValidationError("There is no active approval route for this section.")
    elif not selectors.route_applies(route, selectors.record_amount(record)):
        raise ValidationError(selectors.refusal(route, selectors.record_amount(record)))
    first = route.steps.order_by("position").first()
    if first is None:
        raise ValidationError("The approval route has no steps.")
    try:
        with transaction.atomic():
            if Approval.objects.for_record(record).pending().exists():
                raise ValidationError(f"“{record}” is already waiting for approval.")
            approval = Approval.objects.create(
                record=record, route=route, requested_by=user, current_position=first.position
            )
            _notify_approvers_on_commit(approval)
    except IntegrityError:
        # a concurrent request won the partial unique index of pending approvals
        raise ValidationError(f"“{record}” is already waiting for approval.")
    return approval


def approve(*, user, approval: Approval, comment: str = "") -> Approval:
    """Approve the current step; the last step's approval finishes the request and runs the section's hook."""
    with transaction.atomic():
        locked = _locked(approval)
        _authorise_decision(user, locked)
        ApprovalDecision.objects.create(
            approval=locked,
            position=locked.current_position,
            decided_by=user,
            decision=ApprovalDecision.Decision.APPROVE,
            comment=comment.strip(),
        )
        following = locked.route.steps.filter(position__gt=locked.current_position).order_by("position").first()
        locked.comment = comment.strip()
        locked.delegated_to = None
        if following is not None:
            locked.current_position = following.position
            locked.save(update_fields=["current_position", "delegated_to", "comment"])
            _notify_approvers_on_commit(locked)
            return locked
        locked.status = Approval.Status.APPROVED
        locked.finished_at = timezone.now()
        # saved before the hook: the record is no longer locked for the section's own changes
        locked.save(update_fields=["status", "finished_at", "delegated_to", "comment"])
        record = _record_of(locked)
        declaration = registry.get(_section_name(record))
        if declaration.on_approved is not None:
            declaration.on_approved(user=user, record=record)
        _tell_the_requester(locked, record, f"Approved: {record}")
    return locked


def reject(*, user, approval: Approval, comment: str) -> Approval:
    """Reject the request (a comment says why); the section's hook runs, or the requester gets a revise task."""
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError({"comment": "Say why the record is rejected."})
    with transaction.atomic():
        locked = _locked(approval)
        _authorise_decision(user, locked)
        ApprovalDecision.objects.create(
            approval=locked,
            position=locked.current_position,
            decided_by=user,
            decision=ApprovalDecision.Decision.REJECT,
            comment=comment,
        )
        locked.status = Approval.Status.REJECTED
        locked.finished_at = timezone.now()
        locked.comment = comment
        locked.save(update_fields=["status", "finished_at", "comment"])
        record = _record_of(locked)
        declaration = registry.get(_section_name(record))
        if declaration.on_rejected is not None:
            declaration.on_rejected(user=user, record=record, comment=comment)
        else:
            from activities import processes

            processes.start(user=user, record=record, key=REVISE_TASK, owner=locked.requested_by, notes=comment)
        _tell_the_requester(locked, record, f"Rejected: {record}", body=comment)
    return locked


def delegate(*, user, approval: Approval, to_user) -> Approval:
    """Hand the current step's decision to `to_user`, who alone may decide it from now on."""
    if to_user is None or not to_user.is_active:
        raise ValidationError({"to_user": "Choose an active user."})
    if to_user.pk == user.pk:
        raise ValidationError({"to_user": "Choose someone else."})
    with transaction.atomic():
        locked = _locked(approval)
        _authorise_decision(user, locked)
        ApprovalDecision.objects.create(
            approval=locked,
            position=locked.current_position,
            decided_by=user,
            decision=ApprovalDecision.Decision.DELEGATE,
            delegated_to=to_user,
        )
        locked.delegated_to = to_user
        locked.save(update_fields=["delegated_to"])
        _notify_approvers_on_commit(locked)
    return locked


def cancel(*, user, approval: Approval) -> Approval:
    """Withdraw a pending request: its requester or an administrator."""
    with transaction.atomic():
        locked = _locked(approval)
        if locked.requested_by_id != user.pk and not user.is_superuser:
            raise PermissionDenied("Only the requester or an administrator may cancel the approval.")
        if not locked.is_pending:
            raise ValidationError(f"This approval is already {locked.get_status_display().lower()}.")
        locked.status = Approval.Status.CANCELLED
        locked.finished_at = timezone.now()
        locked.save(update_fields=["status", "finished_at"])
    return locked


def _tell_the_requester(approval: Approval, record, title: str, body: str = "") -> None:
    url = _record_url(record)
    requester = approval.requested_by
    transaction.on_commit(lambda: notify(recipient=requester, kind="approval", title=title, body=body, url=url))


def _record_url(record) -> str:
    section = sections.for_model(record)
    return section.url("detail", record.pk) + "?tab=approvals" if section else ""


# --- routes ---------------------------------------------------------------------------------------------------


def _authorise_routes(user) -> None:
    if not may_manage_routes(user):
        raise PermissionDenied("You may not change approval routes.")


def may_manage_routes(user) -> bool:
    """Routes are configuration: administrators and holders of the designer right change them."""
    return access.can(user, "administer") or access.can(user, "designer")


def save_route(*, user, route: ApprovalRoute, steps: list[tuple[object, object]]) -> ApprovalRoute:
    """Save `route` with `steps` [(user or None, role or None)] in that order, numbered from 1 (the old steps are
    replaced: a pending approval keeps its position, which the new steps answer)."""
    _authorise_routes(user)
    if not registry.is_registered(route.section):
        raise ValidationError({"section": "Records of this section are not approved."})
    if not steps:
        raise ValidationError("A route needs at least one step.")
    with transaction.atomic():
        route.save()
        route.steps.all().delete()
        from .models import ApprovalRouteStep

        ApprovalRouteStep.objects.bulk_create(
            ApprovalRouteStep(route=route, position=position, approver_user=approver, approver_role=role)
            for position, (approver, role) in enumerate(steps, start=1)
        )
    return route


def delete_route(*, user, route: ApprovalRoute) -> None:
    """Delete a route no request used; one that was used is deactivated instead (its requests keep their trail)."""
    _authorise_routes(user)
    if route.approvals.exists():
        raise ValidationError("Requests went along this route: deactivate it instead, so their trail stays.")
    route.delete()

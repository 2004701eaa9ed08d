"""Approval pages: the Approvals tab of a record, the decision endpoints and "Approvals waiting for me"."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from crm import access
from crm.sections import registry as sections

from . import registry, selectors, services
from .models import Approval


def record_tab(request, section, record):
    """The Approvals tab (`RecordTab.view`): the record's requests with their decisions, and the buttons the user
    may press."""
    history = selectors.history(record)
    pending = next((a for a in history if a.is_pending), None)
    can_edit = access.can(request.user, "edit", record)
    context = {
        "section": section,
        "object": record,
        "approvals": history,
        "pending": pending,
        "may_decide": pending is not None and selectors.may_decide(request.user, pending),
        "may_cancel": pending is not None and (pending.requested_by_id == request.user.pk or request.user.is_superuser),
        "may_send": pending is None and can_edit and selectors.route_for(section.name) is not None,
        "approvers": selectors.approvers(pending) if pending is not None else [],
        "users": get_user_model().objects.filter(is_active=True).exclude(pk=request.user.pk).order_by("username")
        if pending is not None and selectors.may_decide(request.user, pending)
        else [],
    }
    return render(request, "approvals/_record_tab.html", context)


def _record_or_404(user, section_name: str, pk: int, action: str = "read"):
    try:
        section = sections.get(section_name)
    except KeyError:
        raise Http404("No such section.")
    if not registry.is_registered(section.name):
        raise Http404("No such section.")
    return section, access.get_object_or_404(user, section.get_queryset(), action, pk=pk)


def _approval_or_404(user, pk: int) -> tuple[Approval, object]:
    """An approval whose record the user may see; anything else is the same 404."""
    approval = Approval.objects.filter(pk=pk).select_related("content_type").first()
    if approval is None:
        raise Http404("No such approval.")
    section = sections.for_model(approval.content_type.model_class())
    if section is None:
        raise Http404("No such approval.")
    record = access.get_object_or_404(user, section.get_queryset(), pk=approval.object_id)
    return approval, section.url("detail", record.pk) + "?tab=approvals"


def _refused(request, error: Exception) -> None:
    messages.error(request, " ".join(getattr(error, "messages", None) or [str(error)]))


@require_POST
def send(request, section: str, pk: int):
    section_, record = _record_or_404(request.user, section, pk)
    try:
        services.send_for_approval(user=request.user, record=record)
        messages.success(request, f"“{record}” was sent for approval.")
    except (ValidationError, PermissionDenied) as error:
        _refused(request, error)
    return redirect(section_.url("detail", record.pk) + "?tab=approvals")


def _decide(request, pk: int, action):
    approval, back = _approval_or_404(request.user, pk)
    try:
        action(approval)
    except (ValidationError, PermissionDenied) as error:
        _refused(request, error)
    return redirect(back)


@require_POST
def approve(request, pk: int):
    def act(approval):
        services.approve(user=request.user, approval=approval, comment=request.POST.get("comment", ""))
        messages.success(request, "Approved.")

    return _decide(request, pk, act)


@require_POST
def reject(request, pk: int):
    def act(approval):
        services.reject(user=request.user, approval=approval, comment=request.POST.get("comment", ""))
        messages.success(request, "Rejected.")

    return _decide(request, pk, act)


@require_POST
def delegate(request, pk: int):
    def act(approval):
        to_user = get_user_model().objects.filter(pk=request.POST.get("to_user") or 0, is_active=True).first()
        if to_user is None:
            raise ValidationError("Choose who decides instead of you.")
        services.delegate(user=request.user, approval=approval, to_user=to_user)
        messages.success(request, f"Delegated to {to_user.get_full_name() or to_user.get_username()}.")

    return _decide(request, pk, act)


@require_POST
def cancel(request, pk: int):
    def act(approval):
        services.cancel(user=request.user, approval=approval)
        messages.success(request, "The approval was cancelled.")

    return _decide(request, pk, act)


def inbox(request):
    """Approvals waiting for me: pending requests whose current step I decide, on records I may see."""
    return render(request, "approvals/approval_inbox.html", {"approvals": selectors.inbox(request.user)})

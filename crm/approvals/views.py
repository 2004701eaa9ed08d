"""Approval pages: the Approvals tab of a record, the decision endpoints and "Approvals waiting for me"."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from crm import access
from crm.sections import registry as sections

from . import registry, selectors, services
from .forms import RouteForm, StepFormSet
from .models import Approval, ApprovalRoute


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
        "may_send": pending is None and can_edit and selectors.route_for(section.name, record) is not None,
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
    """Decide, then back to the record's Approvals tab; from the inbox (htmx) the row is redrawn in place with the
    outcome or the reason it was refused."""
    approval, back = _approval_or_404(request.user, pk)
    refusal = ""
    try:
        action(approval)
    except (ValidationError, PermissionDenied) as error:
        if not request.htmx:
            _refused(request, error)
        refusal = " ".join(getattr(error, "messages", None) or [str(error)])
    if request.htmx:
        storage = messages.get_messages(request)
        list(storage)  # the row says it; no message waits for the next page
        row = selectors.inbox_row(request.user, pk)
        return render(request, "approvals/_inbox_row.html", {"row": row, "refusal": refusal, "done": not refusal})
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
    """Approvals waiting for me: pending requests whose current step I decide, on records I may see, with the
    record's customer and amount (where my column rights show it), who sent it and when."""
    rows = selectors.inbox_rows(request.user)
    return render(
        request,
        "approvals/approval_inbox.html",
        {"rows": rows, "may_manage_routes": services.may_manage_routes(request.user)},
    )


# --- the routes screen ------------------------------------------------------------------------------------------


def _authorise_routes(request) -> None:
    if not services.may_manage_routes(request.user):
        raise Http404("No such page.")


def routes(request):
    _authorise_routes(request)
    titles = dict(sections_titles())
    route_list = list(ApprovalRoute.objects.prefetch_related("steps__approver_user", "steps__approver_role"))
    for route in route_list:
        route.section_title = titles.get(route.section, route.section)
    context = {"routes": route_list, "base_currency": selectors.base_currency_code()}
    return render(request, "approvals/route_list.html", context)


def sections_titles():
    from .forms import section_choices

    return section_choices()


def route_form(request, pk: int | None = None):
    _authorise_routes(request)
    route = get_object_or_404(ApprovalRoute, pk=pk) if pk else ApprovalRoute()
    form = RouteForm(request.POST or None, instance=route)
    steps = StepFormSet(request.POST or None, instance=route)
    if request.method == "POST" and form.is_valid() and steps.is_valid():
        chosen = [
            (f.cleaned_data.get("approver_user"), f.cleaned_data.get("approver_role"))
            for f in steps.forms
            if f.cleaned_data and not f.cleaned_data.get("DELETE")
        ]
        try:
            services.save_route(user=request.user, route=form.save(commit=False), steps=chosen)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"The route “{form.instance.name}” was saved.")
            return redirect("approvals:routes")
    # a refused form is answered 200, like the section forms: the page shows why, the console stays quiet
    return render(request, "approvals/route_form.html", {"form": form, "steps": steps, "route": route})


@require_POST
def route_delete(request, pk: int):
    _authorise_routes(request)
    route = get_object_or_404(ApprovalRoute, pk=pk)
    try:
        services.delete_route(user=request.user, route=route)
        messages.success(request, f"The route “{route.name}” was deleted.")
    except ValidationError as error:
        _refused(request, error)
    return redirect("approvals:routes")

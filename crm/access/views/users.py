"""Users: the list with their roles, one user's page, and activating, deactivating or locking out."""

from __future__ import annotations

from functools import partial

from django.contrib.auth import get_user_model
from django.db.models import Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from .. import services
from ..forms import RoleMembershipForm
from ..models import AuditEntry, Delegation, Membership
from .common import form_errors, manage_users_required, run

USER_ACTIONS = {
    "activate": (partial(services.set_user_active, active=True), "activated"),
    "deactivate": (partial(services.set_user_active, active=False), "deactivated"),
    "lock_out": (services.lock_out, "locked out; their sessions are ended"),
}


@manage_users_required
def user_list(request):
    text = request.GET.get("q", "").strip()[:100]
    users = (
        get_user_model()
        .objects.order_by("-is_active", "username")
        .prefetch_related(
            Prefetch("role_memberships", queryset=Membership.objects.select_related("role").order_by("role__name"))
        )
    )
    if text:
        users = users.filter(Q(username__icontains=text) | Q(first_name__icontains=text) | Q(last_name__icontains=text))
    return render(request, "access/users.html", {"users": users[:200], "q": text, "screen": "access:users"})


@manage_users_required
def user_detail(request, pk: int):
    target = get_object_or_404(get_user_model(), pk=pk)
    if request.method == "POST":
        form = RoleMembershipForm(request.POST)
        if not form.is_valid():
            form_errors(request, form)
            return redirect("access:user", pk=pk)
        role = form.cleaned_data["role"]
        return run(
            request,
            services.add_member,
            role=role,
            member=target,
            success=f"{target.get_username()} is now in “{role}”.",
            back=reverse("access:user", args=[pk]),
        )
    context = {
        "target": target,
        "memberships": Membership.objects.filter(user=target).select_related("role").order_by("role__name"),
        "delegations": Delegation.objects.filter(Q(delegator=target) | Q(delegate=target)).select_related(
            "delegator", "delegate"
        )[:50],
        "entries": AuditEntry.objects.filter(Q(actor=target) | Q(details__user=target.pk)).select_related("actor")[:50],
        "form": RoleMembershipForm(),
        "screen": "access:users",
    }
    return render(request, "access/user_detail.html", context)


@require_POST
@manage_users_required
def user_action(request, pk: int, action: str):
    if action not in USER_ACTIONS:
        raise Http404("No such action.")
    target = get_object_or_404(get_user_model(), pk=pk)
    service, done = USER_ACTIONS[action]
    back = reverse("access:users") if request.POST.get("back") == "list" else reverse("access:user", args=[pk])
    return run(request, service, target=target, success=f"{target.get_username()} {done}.", back=back)


@require_POST
@manage_users_required
def user_leave_role(request, pk: int, membership: int):
    membership = get_object_or_404(Membership.objects.select_related("role", "user"), pk=membership, user_id=pk)
    return run(
        request,
        services.remove_member,
        role=membership.role,
        member=membership.user,
        success=f"{membership.user.get_username()} left “{membership.role}”.",
        back=reverse("access:user", args=[pk]),
    )

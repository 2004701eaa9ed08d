"""Delegations: who has whose rights until when; giving and ending them."""

from __future__ import annotations

from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from .. import services
from ..forms import DelegationForm
from ..models import Delegation
from .common import manage_users_required, run, submit


@manage_users_required
def delegation_list(request):
    back = reverse("access:delegations")
    if request.method == "POST":
        return submit(request, DelegationForm, services.delegate, success="Delegation saved.", back=back)
    delegations = Delegation.objects.select_related("delegator", "delegate", "created_by")[:200]
    return render(
        request,
        "access/delegations.html",
        {"delegations": delegations, "form": DelegationForm(), "screen": "access:delegations"},
    )


@require_POST
@manage_users_required
def delegation_revoke(request, pk: int):
    delegation = get_object_or_404(Delegation, pk=pk)
    return run(
        request,
        services.revoke_delegation,
        delegation=delegation,
        success="Delegation ended.",
        back=reverse("access:delegations"),
    )

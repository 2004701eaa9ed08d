"""Moving an opportunity to a stage (the stage bar and the kanban), and the way to its product selection."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from crm import access
from crm.sections.services import StaleRecordError

from .. import services
from ..models import Opportunity, OpportunityStage


def _opportunity(user, pk: int, action: str = "read") -> Opportunity:
    return access.get_object_or_404(user, services.section().get_queryset(), action, pk=pk)


def _errors(error: ValidationError) -> str:
    return " ".join(error.messages)


@require_POST
def move(request, pk: int):
    """Move to the posted stage. A form post returns to the page with a message; a kanban drop (Accept: JSON) gets
    {"ok": true, ...} or {"ok": false, "error": "..."} with 409 (stale) or 422 (refused)."""
    opportunity = _opportunity(request.user, pk, "edit")
    wants_json = "application/json" in request.headers.get("Accept", "")
    stage = OpportunityStage.objects.active().filter(pk=request.POST.get("stage") or 0).first()
    try:
        version = int(request.POST.get("version") or opportunity.version)
    except ValueError:
        version = -1
    status, error = 200, ""
    if stage is None:
        status, error = 422, "Choose a stage."
    else:
        try:
            opportunity = services.move_to(
                user=request.user, opportunity=opportunity, stage=stage, expected_version=version
            )
        except StaleRecordError:
            status, error = 409, "Someone else changed this opportunity meanwhile: reload to see their change."
        except ValidationError as exc:
            status, error = 422, _errors(exc)
        except PermissionDenied as exc:
            status, error = 403, str(exc)
    if wants_json:
        if status != 200:
            return JsonResponse({"ok": False, "error": error}, status=status)
        return JsonResponse(
            {
                "ok": True,
                "stage": opportunity.stage_id,
                "version": opportunity.version,
                "probability": opportunity.probability,
            }
        )
    if status != 200:
        messages.error(request, error)
    else:
        messages.success(request, f"“{opportunity}” moved to {opportunity.stage}.")
        if opportunity.stage.is_final and opportunity.stage.is_successful:
            messages.info(request, "Won: the next step is the order — use “Create order” above.")
    return redirect(opportunity.get_absolute_url())


def select_products(request, pk: int):
    """The product selection page for this opportunity (404 unless the user may edit it)."""
    opportunity = _opportunity(request.user, pk, "edit")
    if opportunity is None:
        raise Http404
    query = urlencode({"for": "opportunities", "pk": opportunity.pk})
    return redirect(f"{reverse('products:select')}?{query}")

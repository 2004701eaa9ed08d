"""The contracts' own pages: a move along the status bar, the way to its product selection, and the Contracts
tab on an opportunity's page."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from crm import access
from crm.sections.services import StaleRecordError

from . import services
from .models import Contract


def _contract(user, pk: int, action: str = "read") -> Contract:
    return access.get_object_or_404(user, services.section().get_queryset(), action, pk=pk)


@require_POST
def move(request, pk: int):
    """Move to the posted status (the status bar posts it as `stage`) and go back to the contract."""
    contract = _contract(request.user, pk, "edit")
    status = request.POST.get("status") or request.POST.get("stage") or ""
    try:
        version = int(request.POST.get("version") or contract.version)
    except ValueError:
        version = -1
    try:
        contract = services.move_to(user=request.user, contract=contract, status=status, expected_version=version)
    except StaleRecordError:
        messages.error(request, "Someone else changed this contract meanwhile: reload to see their change.")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    except PermissionDenied as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"“{contract}” is now {contract.get_status_display()}.")
    return redirect(contract.get_absolute_url())


def select_products(request, pk: int):
    """The product selection page for this contract (404 unless the user may edit it)."""
    contract = _contract(request.user, pk, "edit")
    query = urlencode({"for": "contracts", "pk": contract.pk})
    return redirect(f"{reverse('products:select')}?{query}")


def opportunity_contracts_tab(request, section, record):
    """The Contracts tab of an opportunity: the contracts connected to it that the user may see."""
    contracts_section = services.section()
    if not access.can(request.user, "read", contracts_section):
        raise Http404("No such tab.")
    rows = access.visible(request.user, contracts_section.get_queryset().filter(opportunity=record))
    readable = contracts_section.readable_fields(request.user)
    columns = [c for c in ("number", "type", "status", "account", "amount", "end_date") if c in readable]
    context = {
        "section": section,
        "object": record,
        "related_section": contracts_section,
        "rows": list(rows[:100]),
        "columns": [(c, contracts_section.label_for(c)) for c in columns],
        "related_field": "opportunity",
        "can_create_related": access.can(request.user, "create", contracts_section),
        "can_edit": access.can(request.user, "edit", record),
    }
    return render(request, "sections/tabs/_related.html", context)


def from_order(request, order: int):
    """The order page's "Create contract": a confirmation, then a draft contract for the order."""
    from orders.models import Order

    order = access.get_object_or_404(request.user, Order.objects.select_related("currency"), "read", pk=order)
    if request.method != "POST":
        amount = access.can_read_value(request.user, order, "amount")
        return render(request, "contracts/contract_from_order.html", {"order": order, "amount": amount})
    try:
        contract = services.create_from_order(user=request.user, order=order)
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
        return redirect(order.get_absolute_url())
    messages.success(request, f"Contract {contract.number} created from order {order}.")
    return redirect(contract.get_absolute_url())

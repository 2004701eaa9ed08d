"""The invoices' own pages: an invoice made from an order (or one step of its plan), moving along the payment
statuses, and the product selection."""

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
from orders.models import PlanStep, StepKind
from orders.views import get_order

from . import services
from .models import Invoice, InvoiceStatus


def get_invoice(user, pk: int, action: str = "read") -> Invoice:
    """The one permission-checked fetch of an invoice: 404 whether it is missing or forbidden."""
    return access.get_object_or_404(user, services.section().get_queryset(), action, pk=pk)


def from_order(request, order: int):
    """GET: what will be invoiced (the whole order, or a payment step); POST: create the invoice."""
    found = get_order(request.user, order, "read")
    if not access.can(request.user, "create", services.section()):
        raise Http404("No such page.")
    steps = list(found.plan_steps.filter(kind=StepKind.PAYMENT).order_by("position", "pk"))
    if request.method == "POST":
        step = None
        if request.POST.get("step"):
            step = PlanStep.objects.filter(order=found, pk=request.POST["step"]).first()
            if step is None:
                raise Http404("No such step.")
        try:
            invoice = services.create_from_order(user=request.user, order=found, step=step)
        except (ValidationError, PermissionDenied) as error:
            messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
        else:
            messages.success(request, f"Invoice {invoice} created.")
            return redirect(invoice.get_absolute_url())
    context = {
        "order": found,
        "steps": steps,
        "amount": access.can_read_value(request.user, found, "amount"),
        "step_amounts": access.can_read_value(request.user, found, "plan.expected_amount"),
    }
    return render(request, "invoices/invoice_from_order.html", context)


@require_POST
def move(request, pk: int):
    invoice = get_invoice(request.user, pk, "edit")
    status = request.POST.get("stage") or request.POST.get("status") or ""
    try:
        version = int(request.POST.get("version") or invoice.version)
    except ValueError:
        version = -1
    if status not in InvoiceStatus.values:
        messages.error(request, "Choose a status.")
        return redirect(invoice.get_absolute_url())
    try:
        invoice = services.move_to(user=request.user, invoice=invoice, status=status, expected_version=version)
    except StaleRecordError:
        messages.error(request, "Someone else changed this invoice meanwhile: reload to see their change.")
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
    else:
        messages.success(request, f"{invoice} is now {invoice.get_status_display()}.")
    return redirect(invoice.get_absolute_url())


def select_products(request, pk: int):
    invoice = get_invoice(request.user, pk, "edit")
    query = urlencode({"for": "invoices", "pk": invoice.pk})
    return redirect(f"{reverse('products:select')}?{query}")

"""The orders' own pages: moving along the statuses, the product selection, the installment plan's template and
the order made from an opportunity."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from crm import access
from crm.sections import registry
from crm.sections.services import StaleRecordError

from . import services
from .models import Order, OrderStatus, PlanTemplate


def get_order(user, pk: int, action: str = "read") -> Order:
    """The one permission-checked fetch of an order: 404 whether it is missing or forbidden."""
    return access.get_object_or_404(user, services.section().get_queryset(), action, pk=pk)


@require_POST
def move(request, pk: int):
    """Move to the posted status (the status bar); back to the page with a message."""
    order = get_order(request.user, pk, "edit")
    status = request.POST.get("stage") or request.POST.get("status") or ""
    try:
        version = int(request.POST.get("version") or order.version)
    except ValueError:
        version = -1
    if status not in OrderStatus.values:
        messages.error(request, "Choose a status.")
        return redirect(order.get_absolute_url())
    try:
        order = services.move_to(user=request.user, order=order, status=status, expected_version=version)
    except StaleRecordError:
        messages.error(request, "Someone else changed this order meanwhile: reload to see their change.")
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
    else:
        messages.success(request, f"{order} is now {order.get_status_display()}.")
    return redirect(order.get_absolute_url())


def select_products(request, pk: int):
    """The product selection page for this order (404 unless the user may edit it)."""
    order = get_order(request.user, pk, "edit")
    query = urlencode({"for": "orders", "pk": order.pk})
    return redirect(f"{reverse('products:select')}?{query}")


@require_POST
def apply_template(request, pk: int):
    order = get_order(request.user, pk, "edit")
    template = PlanTemplate.objects.active().filter(pk=request.POST.get("template") or 0).first()
    if template is None:
        messages.error(request, "Choose a plan template.")
    else:
        try:
            services.apply_template(user=request.user, order=order, template=template)
        except (ValidationError, PermissionDenied) as error:
            messages.error(request, " ".join(getattr(error, "messages", None) or [str(error)]))
        else:
            messages.success(request, f"Installment plan “{template}” applied.")
    return redirect(f"{order.get_absolute_url()}?tab=plan")


def from_opportunity(request, opportunity: int):
    """Create an order from an opportunity: all its products or the ones ticked."""
    found = access.get_object_or_404(request.user, registry.get("opportunities").get_queryset(), "read", pk=opportunity)
    if not access.can(request.user, "create", services.section()):
        raise Http404("No such page.")
    lines = list(found.lines.select_related("product", "unit").order_by("position", "pk"))
    if request.method == "POST":
        line_ids = None
        if request.POST.get("products") == "chosen":
            chosen = {str(line.pk) for line in lines} & set(request.POST.getlist("line"))
            line_ids = [int(pk) for pk in chosen]
        try:
            order = services.create_from_opportunity(user=request.user, opportunity=found, line_ids=line_ids)
        except (ValidationError, PermissionDenied) as error:
            messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
        else:
            messages.success(request, f"Order {order} created from “{found}”.")
            return redirect(order.get_absolute_url())
    context = {
        "opportunity": found,
        "lines": lines,
        "prices": access.can_read_value(request.user, found, "products.price"),
        "totals": access.can_read_value(request.user, found, "products.total"),
    }
    return render(request, "orders/order_from_opportunity.html", context)

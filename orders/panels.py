"""The order page's panels: the status bar and the installment plan's summary with its templates and a "Create
invoice" button per payment step."""

from __future__ import annotations

from django.urls import reverse

from crm import access
from crm.sections.details import Card

from .models import TRANSITIONS, Order, OrderStatus, PlanStep, PlanTemplate, StepKind


def status_bar() -> Card:
    def context(user, record: Order) -> dict:
        statuses = list(OrderStatus)
        current = statuses.index(OrderStatus(record.status))
        movable = access.can(user, "edit", record)
        steps = [
            {
                "label": status.label,
                "value": status.value,
                "state": "current" if index == current else ("done" if index < current else "todo"),
                "final": status in (OrderStatus.COMPLETED, OrderStatus.CANCELLED),
                "successful": status == OrderStatus.COMPLETED,
                "allowed": movable and status in TRANSITIONS[record.status],
            }
            for index, status in enumerate(statuses)
        ]
        return {
            "steps": steps,
            "move_url": reverse("orders:move", args=[record.pk]),
            "version": record.version,
            "note": (
                f"Payment: {record.get_payment_status_display()} · Delivery: {record.get_delivery_status_display()}"
            ),
        }

    return Card("sections/panels/_stage_bar.html", context)


def plan_panel() -> Card:
    """The installment plan at a glance; who may edit the order may apply a template and invoice a step."""

    def context(user, record: Order) -> dict:
        can_edit = access.can(user, "edit", record)
        steps = list(PlanStep.objects.filter(order=record).prefetch_related("invoices").order_by("position", "pk"))
        for step in steps:
            step.invoiced = bool(step.invoices.all()) if step.kind == StepKind.PAYMENT else True
        return {
            "order": record,
            "steps": steps,
            "expected_amounts": access.can_read_value(user, record, "plan.expected_amount"),
            "actual_amounts": access.can_read_value(user, record, "plan.actual_amount"),
            "templates": list(PlanTemplate.objects.active()) if can_edit else [],
            "can_edit": can_edit,
            "apply_url": reverse("orders:apply_template", args=[record.pk]),
            "invoice_url": reverse("invoices:from_order", args=[record.pk]),
        }

    return Card("orders/_plan_panel.html", context)

"""Writes of orders: create one (by hand or from an opportunity), move it through its statuses, keep its totals the
sum of its product lines, and keep its installment plan (due dates, expected and actual amounts) and its payment
and delivery statuses in step with its lines, its steps and its invoices' payments.

The generic form saves through `crm.sections.services`; the section's `after_save` hook (`order_saved`) enforces
the status transitions there, so the form, the stage bar and the API obey the same table.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max, Sum
from django.utils import timezone

from crm import access
from crm.core.money import quantize
from crm.sections import registry
from crm.sections import services as section_services
from crm.sections.details import record_detail_change, update_record_fields
from products import line_rows
from products.models import Currency

from .models import (
    TRANSITIONS,
    DeliveryStatus,
    Order,
    OrderProduct,
    OrderStatus,
    PaymentStatus,
    PlanStep,
    PlanTemplate,
    StepKind,
)

HUNDRED = Decimal(100)
LINE_FIELDS = ("product", "quantity", "unit", "price", "discount_percent", "tax", "tax_rate", "tax_included")
#: the statuses an order may be created in
INITIAL_STATUSES = (OrderStatus.DRAFT, OrderStatus.CONFIRMATION, OrderStatus.IN_PROGRESS)


def section():
    return registry.get("orders")


def authorise_edit(user, order: Order) -> None:
    if not access.can(user, "edit", order):
        raise PermissionDenied("You may not edit this order.")


def authorise_plan_change(user, order: Order) -> None:
    """The plan is the order's "plan" detail: the right to edit the order, and the order not locked for it."""
    authorise_edit(user, order)
    section_services.check_edit_guards(user=user, obj=order, fields=frozenset({section_services.detail_part("plan")}))


# --- create and change ----------------------------------------------------------------------------------------


def create_order(*, user, data: dict, lines: Iterable = ()) -> Order:
    """Create an order from field values (currency: the base currency unless given) and copy `lines` (product
    lines of any kind) onto it, priced as they are."""
    data = dict(data)
    data.setdefault("currency", Currency.objects.base())
    with transaction.atomic():
        order = section_services.create_record(section=section(), user=user, data=data)
        copy_lines(order=order, lines=lines)
    return order


def create_from_opportunity(*, user, opportunity, line_ids: Sequence[int] | None = None) -> Order:
    """An order for the opportunity's customer, owner and currency, linked to it, with all its product lines or
    the ones in `line_ids`. The user must be able to see the opportunity and create orders."""
    if not access.can(user, "read", opportunity):
        raise PermissionDenied("You may not see this opportunity.")
    lines = opportunity.lines.select_related("product", "unit", "tax").order_by("position", "pk")
    if line_ids is not None:
        lines = lines.filter(pk__in=line_ids)
    data = {
        "account": opportunity.account,
        "contact": opportunity.contact,
        "owner": opportunity.owner,
        "currency": opportunity.currency,
        "opportunity": opportunity,
    }
    return create_order(user=user, data=data, lines=list(lines))


def check_transition(old: str, new: str) -> None:
    if new not in TRANSITIONS[old]:
        allowed = ", ".join(OrderStatus(s).label for s in OrderStatus if s in TRANSITIONS[old]) or "none"
        raise ValidationError(
            {
                "status": f"An order cannot go from “{OrderStatus(old).label}” to “{OrderStatus(new).label}” "
                f"(allowed: {allowed})."
            }
        )


def move_to(*, user, order: Order, status: str, expected_version: int) -> Order:
    """Move the order to `status`: the same save as the form's, so the same rules. Raises StaleRecordError when
    someone saved it meanwhile, ValidationError when the transition is not allowed."""
    return section_services.move_status(
        section=section(), user=user, obj=order, value=status, expected_version=expected_version
    )


def order_saved(*, user, obj: Order, previous: dict | None) -> None:
    """The section's after_save hook: runs inside the create/update transaction."""
    if previous is None or "opportunity" in previous:
        _tell_the_opportunity(user=user, order=obj)
    if previous is None:
        if obj.status not in INITIAL_STATUSES:
            raise ValidationError({"status": "A new order starts as Draft, Confirmation or In progress."})
        recompute_amount(obj)
        return
    if "status" in previous:
        check_transition(previous["status"], obj.status)
    if "currency" in previous or "date" in previous:
        recompute_amount(obj)


def _tell_the_opportunity(*, user, order: Order) -> None:
    """The order's opportunity has its order now: the won deal's "create the order" task is done."""
    if order.opportunity_id is None:
        return
    from opportunities.process import order_created

    order_created(user=user, opportunity=order.opportunity, order=order)


# --- product lines and totals ------------------------------------------------------------------------------------


def recompute_amount(order: Order) -> None:
    """The totals are the sums of the lines' amounts (never a form's); the plan's amounts follow."""
    update_record_fields(order, line_rows.document_totals(OrderProduct.objects.filter(order=order), order.currency))
    recalculate_plan(order)


def copy_lines(*, order: Order, lines: Iterable) -> list[OrderProduct]:
    """Copy product lines (any ProductLine rows) onto the order, amounts recomputed here."""
    rows = line_rows.append_copies(OrderProduct, order, lines)
    if rows:
        recompute_amount(order)
    return rows


def add_lines_from_cart(user, record: Order, lines) -> None:
    """The product selection page's hook: the cart's lines become the order's products."""
    line_rows.append_cart(OrderProduct, record, lines)
    recompute_amount(record)
    Order.objects.filter(pk=record.pk).update(modified_at=timezone.now(), modified_by=user)


def lines_changed(*, user, record: Order) -> None:
    """The Products detail's after_write hook: amounts computed here from quantity, price, discount and tax."""
    line_rows.recompute_all(OrderProduct, record)
    recompute_amount(record)


# --- the installment plan ----------------------------------------------------------------------------------------


def split_amount(total: Decimal, percents: Sequence[Decimal]) -> list[Decimal]:
    """`total` × each percentage, in cents. When the percentages make 100, the last share is the rest, so the
    shares add up to the total exactly (100.00 in thirds: 33.33, 33.33, 33.34)."""
    shares = [quantize(total * percent / HUNDRED) for percent in percents]
    if shares and sum(percents, Decimal(0)) == HUNDRED:
        shares[-1] = total - sum(shares[:-1], Decimal(0))
    return shares


def planned(order: Order) -> tuple[list[PlanStep], dict]:
    """The order's plan as it follows from the order and its invoices' payments, computed without writing
    anything: the steps renumbered, their due dates chained from the order date by their deferments, the total
    spread over the payment steps, the actual amounts taken from the payments; and the order's fields that follow
    (paid amount, payment and delivery status). A reader (an invoice made for one step) uses it as it is."""
    steps = list(PlanStep.objects.filter(order=order).order_by("position", "pk"))
    previous_date = order.date
    for position, step in enumerate(steps, start=1):
        step.position = position
        step.due_date = previous_date + datetime.timedelta(days=step.deferment_days)
        previous_date = step.due_date
    payment_steps = [step for step in steps if step.kind == StepKind.PAYMENT]
    for step, share in zip(payment_steps, split_amount(order.amount, [s.percent for s in payment_steps]), strict=True):
        step.expected_amount = share
    for step in steps:
        if step.kind == StepKind.DELIVERY:
            step.expected_amount = Decimal("0.00")
    fields = _apply_payments(order, steps)
    deliveries = [step for step in steps if step.kind == StepKind.DELIVERY]
    delivered = sum(1 for step in deliveries if step.done_on)
    if deliveries and delivered == len(deliveries):
        delivery_status = DeliveryStatus.DELIVERED
    elif delivered:
        delivery_status = DeliveryStatus.PARTIALLY_DELIVERED
    else:
        delivery_status = DeliveryStatus.NOT_DELIVERED
    return steps, {**fields, "delivery_status": delivery_status}


def recalculate_plan(order: Order) -> None:
    """Write the plan and the order's paid amount and statuses as `planned` computes them."""
    steps, fields = planned(order)
    PlanStep.objects.bulk_update(steps, ["position", "due_date", "expected_amount", "actual_amount", "done_on"])
    update_record_fields(order, fields)


def _apply_payments(order: Order, steps: list[PlanStep]) -> dict:
    """Each payment step's actual amount (and the date it was paid in full), set on `steps`, and the order's paid
    amount and payment status (returned), from the payments on the order's invoices that are not cancelled."""
    from invoices.models import InvoiceStatus, Payment

    payments = Payment.objects.filter(invoice__order=order).exclude(invoice__status=InvoiceStatus.CANCELLED)
    paid = quantize(payments.aggregate(total=Sum("amount"))["total"])
    by_step = {
        row["invoice__plan_step"]: (row["total"], row["last"])
        for row in payments.filter(invoice__plan_step__isnull=False)
        .values("invoice__plan_step")
        .annotate(total=Sum("amount"), last=Max("date"))
    }
    for step in steps:
        if step.kind != StepKind.PAYMENT:
            continue
        total, last = by_step.get(step.pk, (Decimal(0), None))
        step.actual_amount = quantize(total)
        step.done_on = last if step.actual_amount >= step.expected_amount > 0 else None
    if paid > 0 and paid >= order.amount:
        status = PaymentStatus.PAID
    elif paid > 0:
        status = PaymentStatus.PARTIALLY_PAID
    else:
        status = PaymentStatus.NOT_PAID
    return {"paid_amount": paid, "payment_status": status}


def payments_changed(*, order: Order) -> None:
    """Invoices call this when a payment or an invoice's status changed: the plan and statuses follow."""
    recalculate_plan(order)


def plan_changed(*, user, record: Order) -> None:
    """The Installment plan detail's after_write hook."""
    recalculate_plan(record)


def move_step(*, user, step: PlanStep, position: int) -> None:
    """Put `step` at `position` (1 = first), the others shifting; the due dates follow the new order."""
    order = step.order
    authorise_plan_change(user, order)
    with transaction.atomic():
        steps = [s for s in PlanStep.objects.filter(order=order).order_by("position", "pk") if s.pk != step.pk]
        position = min(max(position, 1), len(steps) + 1)
        steps.insert(position - 1, step)
        for index, row in enumerate(steps, start=1):
            row.position = index
        PlanStep.objects.bulk_update(steps, ["position"])
        recalculate_plan(order)


def apply_template(*, user, order: Order, template: PlanTemplate) -> list[PlanStep]:
    """Replace the order's plan with the template's steps. Invoices linked to the old steps stay, unlinked."""
    authorise_plan_change(user, order)
    with transaction.atomic():
        PlanStep.objects.filter(order=order).delete()
        steps = PlanStep.objects.bulk_create(
            PlanStep(
                order=order,
                kind=row.kind,
                position=row.position,
                name=row.name,
                deferment_days=row.deferment_days,
                percent=row.percent,
            )
            for row in template.steps.order_by("position", "pk")
        )
        recalculate_plan(order)
        record_detail_change(user=user, record=order, label="Installment plan", old="", new=str(template))
    return list(PlanStep.objects.filter(pk__in=[s.pk for s in steps]).order_by("position"))


def approved(*, user, record) -> None:
    """The approvals' on_approved hook (crm.approvals): the order is confirmed and goes in progress.
    Runs in the approval's transaction."""
    current = type(record)._default_manager.get(pk=record.pk)
    if current.status != OrderStatus.IN_PROGRESS:
        move_to(user=user, order=current, status=OrderStatus.IN_PROGRESS, expected_version=current.version)

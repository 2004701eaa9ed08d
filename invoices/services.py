"""Writes of invoices: invoice an order (all of it, or one payment step of its installment plan), move an invoice
through its payment statuses, register payments (which move it to Partially paid or Paid and update the order's
plan and payment status) and flag the overdue ones.

The generic form saves through `crm.sections.services`; the section's `after_save` hook (`invoice_saved`)
enforces the transitions table there. "Partially paid" and "Paid" follow the payments only.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from accounts.selectors import parties_for
from crm import access
from crm.core import formats
from crm.core.money import quantize
from crm.core.services import notify
from crm.printing import selectors as printing_selectors
from crm.sections import registry
from crm.sections import services as section_services
from crm.sections.details import add_row, update_record_fields
from orders import services as order_services
from orders.models import Order, PlanStep, StepKind
from products import line_rows
from products.lines import prices_include_tax
from products.pricing import to_base

from .models import TRANSITIONS, Invoice, InvoiceProduct, InvoiceStatus, Payment

#: days to pay an invoice made from a whole order
PAYMENT_DAYS = 14
#: the statuses payments put an invoice in
PAYMENT_STATUSES = (InvoiceStatus.PARTIALLY_PAID, InvoiceStatus.PAID)


def section():
    return registry.get("invoices")


# --- create ---------------------------------------------------------------------------------------------------


def create_from_order(*, user, order: Order, step: PlanStep | None = None) -> Invoice:
    """A draft invoice for the order's customer, owner and currency, from our company.

    Without `step`: all the order's product lines, due in PAYMENT_DAYS. With a payment `step` of the order's plan:
    no product lines, and the step's expected amount exactly (its tax the same share of the order's tax), due on
    the step's due date, linked to the step so that its payments show on the plan.
    """
    if not access.can(user, "read", order):
        raise PermissionDenied("You may not see this order.")
    if step is not None and (step.order_id != order.pk or step.kind != StepKind.PAYMENT):
        raise ValidationError("Choose a payment step of this order's installment plan.")
    if step is not None and step.invoices.exclude(status=InvoiceStatus.CANCELLED).exists():
        raise ValidationError(f"“{step.name}” is invoiced already: cancel that invoice to invoice the step again.")
    parties = parties_for(order.account)
    today = timezone.localdate()
    data = {
        "order": order,
        "account": order.account,
        "contact": order.contact,
        "owner": order.owner,
        "currency": order.currency,
        "customer_details": parties.customer_details,
        "supplier": parties.our_company,
        "supplier_details": parties.our_details,
        "status": InvoiceStatus.DRAFT,
        "date": today,
        "due_date": today + datetime.timedelta(days=PAYMENT_DAYS),
        "customer_reference": order.customer_reference,
    }
    with transaction.atomic():
        if step is None:
            data["subject"] = f"Order {order}"
            invoice = section_services.create_record(section=section(), user=user, data=data)
            copy_lines(invoice=invoice, lines=order.lines.select_related("product", "unit", "tax"))
            return invoice
        # the step's amount and due date as the plan computes them now, without writing the order's plan: the
        # user may only be allowed to read the order
        steps, _ = order_services.planned(order)
        payment_steps = [s for s in steps if s.kind == StepKind.PAYMENT]
        planned = next(s for s in payment_steps if s.pk == step.pk)
        number = payment_steps.index(planned) + 1
        tax_shares = order_services.split_amount(order.tax_amount, [s.percent for s in payment_steps])
        data.update(
            plan_step=step,
            subject=f"Payment {number} of {len(payment_steps)} of order {order}: {step.name}",
            due_date=planned.due_date or data["due_date"],
        )
        invoice = section_services.create_record(section=section(), user=user, data=data)
        share = order.amount and planned.expected_amount / order.amount
        update_record_fields(
            invoice,
            {
                "amount": planned.expected_amount,
                "tax_amount": tax_shares[number - 1],
                "discount_amount": quantize(order.discount_amount * share),
                "amount_base": quantize(to_base(planned.expected_amount, invoice.currency)),
            },
        )
    return invoice


def check_transition(old: str, new: str) -> None:
    if new in PAYMENT_STATUSES:
        raise ValidationError({"status": f"“{InvoiceStatus(new).label}” follows the payments: register a payment."})
    if new not in TRANSITIONS[old]:
        raise ValidationError(
            {"status": f"An invoice cannot go from “{InvoiceStatus(old).label}” to “{InvoiceStatus(new).label}”."}
        )


def move_to(*, user, invoice: Invoice, status: str, expected_version: int) -> Invoice:
    """Move the invoice to `status` by hand: the same save as the form's, so the same rules."""
    return section_services.move_status(
        section=section(), user=user, obj=invoice, value=status, expected_version=expected_version
    )


def invoice_saved(*, user, obj: Invoice, previous: dict | None) -> None:
    """The section's after_save hook: runs inside the create/update transaction."""
    if previous is None:
        if obj.status in PAYMENT_STATUSES or obj.status == InvoiceStatus.CANCELLED:
            raise ValidationError({"status": "A new invoice starts as Not issued, Draft or Unpaid."})
        recompute_amount(obj)
        return
    if "status" in previous:
        check_transition(previous["status"], obj.status)
        if obj.status == InvoiceStatus.CANCELLED and obj.overdue_since:
            update_record_fields(obj, {"overdue_since": None})
    if "currency" in previous:
        recompute_amount(obj)
    if obj.order_id and "status" in previous:
        # a cancelled invoice's payments no longer count on the order (and count again when it is reopened)
        order_services.payments_changed(order=Order.objects.get(pk=obj.order_id))


# --- product lines and totals -------------------------------------------------------------------------------------


def recompute_amount(invoice: Invoice) -> None:
    """The totals are the sums of the lines' amounts. An invoice for a plan step without lines keeps the step's
    amount it was made with."""
    lines = list(InvoiceProduct.objects.filter(invoice=invoice))
    if not lines and invoice.plan_step_id:
        return
    update_record_fields(invoice, line_rows.document_totals(lines, invoice.currency))


def copy_lines(*, invoice: Invoice, lines) -> list[InvoiceProduct]:
    rows = line_rows.append_copies(InvoiceProduct, invoice, lines)
    if rows:
        recompute_amount(invoice)
    return rows


def add_lines_from_cart(user, record: Invoice, lines) -> None:
    """The product selection page's hook: the cart's lines become the invoice's products."""
    line_rows.append_cart(InvoiceProduct, record, lines)
    recompute_amount(record)
    Invoice.objects.filter(pk=record.pk).update(modified_at=timezone.now(), modified_by=user)


def lines_changed(*, user, record: Invoice) -> None:
    """The Products detail's after_write hook: amounts computed here, never taken from the form (a paid invoice's
    products are refused before any write: `refuse_changing_paid_products`)."""
    line_rows.recompute_all(InvoiceProduct, record)
    recompute_amount(record)


def refuse_changing_paid_products(*, user, obj, fields: frozenset[str] | None) -> None:
    """The edit guard of invoices: once an invoice has payments its products (the amount paid against) no longer
    change, by the Products detail or the product selection alike."""
    if not isinstance(obj, Invoice) or fields is None or section_services.detail_part("products") not in fields:
        return
    if Invoice.objects.filter(pk=obj.pk, status__in=PAYMENT_STATUSES).exists():
        raise ValidationError(f"Invoice {obj} has payments: its products can no longer change.")


# --- payments -------------------------------------------------------------------------------------------------


def register_payment(
    *, user, invoice: Invoice, amount: Decimal, date: datetime.date | None = None, reference: str = ""
):
    """Register money received against the invoice (the Payments detail adds through here too)."""
    from .details import PAYMENTS

    data = {"amount": amount, "date": date or timezone.localdate(), "reference": reference}
    return add_row(detail=PAYMENTS, user=user, record=invoice, data=data)


def payments_changed(*, user, record: Invoice) -> None:
    """The Payments detail's after_write hook: the paid amount and status follow the payments (never more than
    the total), then the order's paid amount, payment status and the plan step's actual amount."""
    invoice = Invoice.objects.select_for_update().get(pk=record.pk)
    paid = quantize(Payment.objects.filter(invoice=invoice).aggregate(total=Sum("amount"))["total"])
    if invoice.status == InvoiceStatus.CANCELLED and paid:
        raise ValidationError("The invoice is cancelled: it takes no payments.")
    if paid > invoice.amount:
        remaining = formats.money(invoice.amount - invoice.paid_amount)
        raise ValidationError({"amount": f"That is more than the invoice's remaining {remaining}."})
    if paid > 0 and paid == invoice.amount:
        status = InvoiceStatus.PAID
    elif paid > 0:
        status = InvoiceStatus.PARTIALLY_PAID
    elif invoice.status in PAYMENT_STATUSES:
        status = InvoiceStatus.UNPAID
    else:
        status = invoice.status
    changes = {"paid_amount": paid, "status": status}
    if status == InvoiceStatus.PAID:
        changes["overdue_since"] = None
    update_record_fields(record, changes)
    if invoice.order_id:
        order_services.payments_changed(order=Order.objects.get(pk=invoice.order_id))


# --- overdue --------------------------------------------------------------------------------------------------


def flag_overdue(*, today: datetime.date | None = None) -> int:
    """Mark open invoices past their due date overdue and tell each owner once. The mark is a conditional update,
    so two runs (or two schedulers) flag and notify each invoice once. Returns how many were flagged."""
    today = today or timezone.localdate()
    flagged = 0
    candidates = (
        Invoice.objects.overdue_on(today).filter(overdue_since__isnull=True).select_related("owner", "currency")
    )
    for invoice in candidates.iterator(chunk_size=500):
        with transaction.atomic():
            if not Invoice.objects.filter(pk=invoice.pk, overdue_since__isnull=True).update(overdue_since=today):
                continue
            flagged += 1
            notify(
                recipient=invoice.owner,
                kind="reminder",  # the Reminders tab, kept until processed (reference §10)
                title=f"Invoice {invoice} is overdue",
                body=(
                    f"Due {formats.short_date(invoice.due_date)}; {formats.money(invoice.remaining_amount)} "
                    f"{invoice.currency.code} unpaid."
                ),
                url=invoice.get_absolute_url(),
            )
    return flagged


def approved(*, user, record) -> None:
    """The approvals' on_approved hook (crm.approvals): the invoice is issued (unpaid).
    Runs in the approval's transaction."""
    current = type(record)._default_manager.get(pk=record.pk)
    if current.status != InvoiceStatus.UNPAID:
        move_to(user=user, invoice=current, status=InvoiceStatus.UNPAID, expected_version=current.version)


def print_context(*, user, record) -> dict:
    """What the invoice's print forms add (crm.printing): an invoice for one payment step has no product lines,
    so it prints one line with its subject and its own amounts; every invoice prints the totals it stores."""
    invoice = Invoice.objects.get(pk=record.pk)
    subtotal = invoice.amount + invoice.discount_amount - (Decimal(0) if prices_include_tax() else invoice.tax_amount)
    totals = {
        "subtotal": subtotal,
        "discount_amount": invoice.discount_amount,
        "tax_amount": invoice.tax_amount,
        "total": invoice.amount,
    }
    context = {"totals": totals, "paid": invoice.paid_amount, "remaining": invoice.remaining_amount}
    if invoice.order_id and invoice.plan_step_id and access.can(user, "read", invoice.order):
        # a payment step's invoice lists the order's products for reference, as the order's rights show them
        order_fields = access.fields_for(user, registry.get("orders"), "read")
        context["reference_lines"] = printing_selectors.visible_lines(
            order_fields, printing_selectors.product_lines(invoice.order)
        )
    if not invoice.lines.exists():
        context["lines"] = [
            {
                "position": 1,
                "product": invoice.subject or str(invoice),
                "quantity": Decimal(1),
                "unit": "",
                "price": subtotal,
                "discount_percent": Decimal(0),
                "discount_amount": invoice.discount_amount,
                "tax_rate": Decimal(0),
                "tax_amount": invoice.tax_amount,
                "subtotal": subtotal,
                "total": invoice.amount,
            }
        ]
    return context

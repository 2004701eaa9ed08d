"""Demo invoices: the demo orders' payment steps invoiced (by the service behind the order page's buttons), some
paid, some partially paid, one left overdue; or N at scale with bulk inserts for the benchmarks."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils import timezone

from crm.core.money import quantize
from crm.core.services import next_numbers

from .models import OPEN_STATUSES, Invoice, InvoiceStatus

ORDER = 55  # after the orders (50)

MARKER = {"demo": "invoices"}
SCALE_BATCH = 5000


def already_seeded(context) -> bool:
    return Invoice.objects.filter(custom__demo=MARKER["demo"]).exists()


def seed(context) -> None:
    from orders.models import Order, OrderStatus, StepKind

    from . import services

    rng = context.rng
    today = timezone.localdate()
    orders = Order.objects.filter(custom__demo="orders").exclude(status=OrderStatus.CANCELLED).order_by("date", "pk")
    created_ids = []
    overdue_done = False
    for order in orders.select_related("owner"):
        owner = order.owner
        steps = list(order.plan_steps.filter(kind=StepKind.PAYMENT).order_by("position"))
        for index, step in enumerate(steps):
            invoice = services.create_from_order(user=owner, order=order, step=step)
            # invoiced about two weeks before the step falls due, never before the order nor after today
            issued = min(today, max(order.date, step.due_date - datetime.timedelta(days=14)))
            due = issued + datetime.timedelta(days=14)
            Invoice.objects.filter(pk=invoice.pk).update(date=issued, due_date=due)
            invoice.date, invoice.due_date = issued, due
            paid_on = min(today, max(issued, step.due_date))
            invoice = services.move_to(
                user=owner, invoice=invoice, status=InvoiceStatus.UNPAID, expected_version=invoice.version
            )
            created_ids.append(invoice.pk)
            if order.status == OrderStatus.COMPLETED or (index == 0 and rng.random() < 0.7):
                services.register_payment(user=owner, invoice=invoice, amount=invoice.amount, date=paid_on)
            elif rng.random() < 0.3:
                part = quantize(invoice.amount * Decimal(rng.choice([20, 30, 50])) / 100)
                if part > 0:
                    services.register_payment(user=owner, invoice=invoice, amount=part, date=paid_on)
            elif not overdue_done:
                # one invoice a week past its due date, for the overdue flag and the owner's bell
                Invoice.objects.filter(pk=invoice.pk).update(due_date=today - datetime.timedelta(days=7))
                overdue_done = True
                continue
            # the customer still has time for the rest: their due dates lie ahead
            Invoice.objects.filter(pk=invoice.pk, status__in=OPEN_STATUSES, due_date__lt=today).update(
                due_date=today + datetime.timedelta(days=rng.randint(3, 30))
            )
    Invoice.objects.filter(pk__in=created_ids).update(custom=MARKER)
    services.flag_overdue(today=today)
    context.created["invoices"] = len(created_ids)


def seed_scale(context, n: int) -> None:
    """N invoices in bulk for accounts (no lines, amounts set directly), a third of them paid."""
    from accounts.models import Account
    from products.models import Currency

    rng = context.rng
    account_ids = list(Account.objects.order_by("pk").values_list("pk", flat=True)[:20000])
    if not account_ids or n <= 0:
        return
    base = Currency.objects.base()
    owners = context.sales_users
    today = timezone.localdate()
    done = 0
    while done < n:
        size = min(SCALE_BATCH, n - done)
        records = []
        for offset, number in enumerate(next_numbers(name="invoices", count=size)):
            owner = owners[(done + offset) % len(owners)]
            amount = quantize(Decimal(rng.randrange(100, 50_000)))
            paid = rng.random() < 0.33
            date = today - datetime.timedelta(days=rng.randrange(365))
            records.append(
                Invoice(
                    number=number,
                    date=date,
                    due_date=date + datetime.timedelta(days=14),
                    account_id=account_ids[(done + offset) % len(account_ids)],
                    status=InvoiceStatus.PAID if paid else InvoiceStatus.UNPAID,
                    currency=base,
                    amount=amount,
                    amount_base=amount,
                    paid_amount=amount if paid else Decimal(0),
                    owner=owner,
                    created_by=owner,
                    modified_by=owner,
                )
            )
        Invoice.objects.bulk_create(records, batch_size=SCALE_BATCH)
        done += size
    context.created["invoices"] = context.created.get("invoices", 0) + n

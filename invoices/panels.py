"""The invoice page's status bar: the payment statuses, those a user sets by hand clickable."""

from __future__ import annotations

from django.urls import reverse

from crm import access
from crm.core.formats import money, short_date
from crm.sections.details import Card

from .models import TRANSITIONS, Invoice, InvoiceStatus
from .services import PAYMENT_STATUSES


def status_bar() -> Card:
    def context(user, record: Invoice) -> dict:
        statuses = list(InvoiceStatus)
        current = statuses.index(InvoiceStatus(record.status))
        movable = access.can(user, "edit", record)
        steps = [
            {
                "label": status.label,
                "value": status.value,
                "state": "current" if index == current else ("done" if index < current else "todo"),
                "final": status in (InvoiceStatus.PAID, InvoiceStatus.CANCELLED),
                "successful": status == InvoiceStatus.PAID,
                "allowed": movable and status in TRANSITIONS[record.status] and status not in PAYMENT_STATUSES,
            }
            for index, status in enumerate(statuses)
        ]
        # the payment figures are parts of the amount: who may not see it reads the status alone
        note = ""
        if access.can_read_value(user, record, "paid"):
            note = (
                f"Paid {money(record.paid_amount)} of {money(record.amount)}; "
                f"remaining {money(record.remaining_amount)}. "
            )
        if record.overdue_since:
            note += f"Overdue since {short_date(record.overdue_since)}."
        return {
            "steps": steps,
            "move_url": reverse("invoices:move", args=[record.pk]),
            "version": record.version,
            "note": note.strip(),
        }

    return Card("sections/panels/_stage_bar.html", context)

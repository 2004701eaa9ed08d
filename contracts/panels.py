"""The contract page's status bar: Draft, To be signed, Signed, Cancelled, each a button where the process allows."""

from __future__ import annotations

from django.urls import reverse

from crm import access
from crm.sections.details import Card

from .models import Contract


def status_bar() -> Card:
    def context(user, record: Contract) -> dict:
        statuses = list(Contract.Status)
        current = statuses.index(record.status)
        movable = access.can(user, "edit", record)
        steps = [
            {
                "label": status.label,
                "value": status.value,
                "state": "current" if i == current else ("done" if i < current and status != "cancelled" else "todo"),
                "final": status in (Contract.Status.SIGNED, Contract.Status.CANCELLED),
                "successful": status == Contract.Status.SIGNED,
                "allowed": movable and record.may_move_to(status),
            }
            for i, status in enumerate(statuses)
        ]
        note = "Cancelled: the contract stays as it is." if record.status == Contract.Status.CANCELLED else ""
        return {
            "steps": steps,
            "move_url": reverse("contracts:move", args=[record.pk]),
            "version": record.version,
            "note": note,
        }

    return Card("sections/panels/_stage_bar.html", context)

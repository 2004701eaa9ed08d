"""An invoice's payment statuses follow the transitions table and the payments; the daily task flags overdue
invoices and tells each owner once."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from crm.core.models import Notification
from invoices import services, tasks
from invoices.models import Invoice, InvoiceStatus
from tests.factories.invoices import InvoiceFactory

TODAY = datetime.date(2026, 4, 1)


def test_a_draft_invoice_is_issued_then_cancelled(alice):
    invoice = InvoiceFactory(owner=alice, status=InvoiceStatus.DRAFT)

    invoice = services.move_to(
        user=alice, invoice=invoice, status=InvoiceStatus.UNPAID, expected_version=invoice.version
    )
    invoice = services.move_to(
        user=alice, invoice=invoice, status=InvoiceStatus.CANCELLED, expected_version=invoice.version
    )

    assert Invoice.objects.get(pk=invoice.pk).status == InvoiceStatus.CANCELLED


def test_paid_is_set_by_payments_never_by_hand(alice):
    invoice = InvoiceFactory(owner=alice, status=InvoiceStatus.UNPAID)

    with pytest.raises(ValidationError, match="follows the payments"):
        services.move_to(user=alice, invoice=invoice, status=InvoiceStatus.PAID, expected_version=invoice.version)

    assert Invoice.objects.get(pk=invoice.pk).status == InvoiceStatus.UNPAID


def test_a_cancelled_invoice_takes_no_payment(alice):
    invoice = InvoiceFactory(owner=alice, status=InvoiceStatus.CANCELLED, amount=Decimal("10.00"))

    with pytest.raises(ValidationError, match="cancelled"):
        services.register_payment(user=alice, invoice=invoice, amount=Decimal("5.00"))


def test_an_unpaid_invoice_past_its_due_date_is_flagged_once_with_one_notification(alice, bob):
    late = InvoiceFactory(owner=alice, status=InvoiceStatus.UNPAID, due_date=TODAY - datetime.timedelta(days=1))
    InvoiceFactory(owner=bob, status=InvoiceStatus.PAID, due_date=TODAY - datetime.timedelta(days=1))
    InvoiceFactory(owner=bob, status=InvoiceStatus.UNPAID, due_date=TODAY)

    first = services.flag_overdue(today=TODAY)
    second = services.flag_overdue(today=TODAY)  # a second run, or a second scheduler

    assert (first, second) == (1, 0)
    assert Invoice.objects.get(pk=late.pk).overdue_since == TODAY
    assert [n.title for n in Notification.objects.all()] == [f"Invoice {late} is overdue"]
    assert (Notification.objects.get().recipient, Notification.objects.get().kind) == (alice, "reminder")


def test_the_beat_task_flags_overdue_invoices(alice):
    InvoiceFactory(owner=alice, status=InvoiceStatus.PARTIALLY_PAID, due_date=datetime.date(2000, 1, 1))

    assert tasks.flag_overdue.delay().get() == 1
    assert tasks.flag_overdue.delay().get() == 0
    assert Notification.objects.filter(recipient=alice).count() == 1

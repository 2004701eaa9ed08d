"""Amounts and dates in the messages invoices send are written by the one format (crm.core.formats), in the
language of the installation, as on every page."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from crm.core.models import Notification
from invoices import services
from invoices.models import InvoiceStatus
from tests.factories.invoices import InvoiceFactory

TODAY = datetime.date(2026, 4, 1)


def test_the_overdue_reminder_writes_the_amount_and_the_due_date_as_pages_do(alice):
    InvoiceFactory(
        owner=alice,
        status=InvoiceStatus.UNPAID,
        amount=Decimal("12345.50"),
        due_date=datetime.date(2026, 3, 20),
    )

    with translation.override("de"):
        services.flag_overdue(today=TODAY)

    body = Notification.objects.get(recipient=alice).body
    assert "12.345,50" in body
    assert "20.03.2026" in body


def test_a_payment_above_the_remainder_is_refused_with_the_amount_as_pages_write_it(alice):
    invoice = InvoiceFactory(owner=alice, status=InvoiceStatus.UNPAID, amount=Decimal("12345.50"))

    with translation.override("de"), pytest.raises(ValidationError, match=r"12\.345,50"):
        services.register_payment(user=alice, invoice=invoice, amount=Decimal("20000.00"))

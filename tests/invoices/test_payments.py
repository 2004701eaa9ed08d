"""Payments move an invoice to Partially paid and Paid, and the order's payment status and its plan step's actual
amount follow; an invoice is never paid beyond its total."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from invoices import services
from invoices.models import Invoice, InvoiceStatus
from orders import services as order_services
from orders.models import Order, PaymentStatus, PlanStep


@pytest.fixture
def prepayment_invoice(alice, make_order, template):
    """The invoice of the first half of a 50/50 order of 200.00: 100.00."""
    order = make_order(alice, "200.00")
    order_services.apply_template(user=alice, order=order, template=template("50/50"))
    step = PlanStep.objects.get(order=order, name="Prepayment")
    return services.create_from_order(user=alice, order=order, step=step)


def test_a_first_payment_makes_the_invoice_and_the_order_partially_paid(alice, prepayment_invoice):
    services.register_payment(user=alice, invoice=prepayment_invoice, amount=Decimal("40.00"))

    invoice = Invoice.objects.get(pk=prepayment_invoice.pk)
    order = Order.objects.get(pk=invoice.order_id)
    assert (invoice.status, invoice.paid_amount, invoice.remaining_amount) == (
        InvoiceStatus.PARTIALLY_PAID,
        Decimal("40.00"),
        Decimal("60.00"),
    )
    assert (order.payment_status, order.paid_amount) == (PaymentStatus.PARTIALLY_PAID, Decimal("40.00"))
    assert PlanStep.objects.get(pk=invoice.plan_step_id).actual_amount == Decimal("40.00")


def test_paying_the_rest_makes_the_invoice_paid_and_shows_on_the_plan(alice_client, alice, prepayment_invoice):
    services.register_payment(
        user=alice, invoice=prepayment_invoice, amount=Decimal("40.00"), date=datetime.date(2026, 3, 2)
    )
    data = {"detail-payments-date": "2026-03-05", "detail-payments-amount": "60.00"}

    response = alice_client.post(f"/invoices/{prepayment_invoice.pk}/details/payments/new/", data)

    assert response.status_code == 302
    invoice = Invoice.objects.get(pk=prepayment_invoice.pk)
    step = PlanStep.objects.get(pk=invoice.plan_step_id)
    assert invoice.status == InvoiceStatus.PAID
    assert (step.actual_amount, str(step.done_on)) == (Decimal("100.00"), "2026-03-05")
    # half of the order is paid: the order is partially paid, its plan shows the step's actual amount
    assert Order.objects.get(pk=invoice.order_id).payment_status == PaymentStatus.PARTIALLY_PAID
    page = alice_client.get(f"/orders/{invoice.order_id}/").content.decode()
    assert '<td class="text-end">100.00</td><td class="text-end">100.00</td>' in page


def test_paying_every_invoice_makes_the_order_paid(alice, prepayment_invoice):
    order = Order.objects.get(pk=prepayment_invoice.order_id)
    final = services.create_from_order(
        user=alice, order=order, step=PlanStep.objects.get(order=order, name="Final payment")
    )

    services.register_payment(user=alice, invoice=prepayment_invoice, amount=Decimal("100.00"))
    services.register_payment(user=alice, invoice=final, amount=Decimal("100.00"))

    assert Order.objects.get(pk=order.pk).payment_status == PaymentStatus.PAID


def test_a_payment_beyond_the_remaining_amount_is_refused(alice, prepayment_invoice):
    services.register_payment(user=alice, invoice=prepayment_invoice, amount=Decimal("90.00"))

    with pytest.raises(ValidationError, match="more than the invoice's remaining 10.00"):
        services.register_payment(user=alice, invoice=prepayment_invoice, amount=Decimal("10.01"))

    assert Invoice.objects.get(pk=prepayment_invoice.pk).paid_amount == Decimal("90.00")


def test_a_payment_of_zero_is_refused_on_the_page(alice_client, prepayment_invoice):
    data = {"detail-payments-date": "2026-03-05", "detail-payments-amount": "0"}

    response = alice_client.post(f"/invoices/{prepayment_invoice.pk}/details/payments/new/", data)

    assert response.status_code == 422
    assert not prepayment_invoice.payments.exists()


def test_deleting_the_only_payment_makes_the_invoice_unpaid_again(alice_client, alice, prepayment_invoice):
    payment = services.register_payment(user=alice, invoice=prepayment_invoice, amount=Decimal("100.00"))

    alice_client.post(f"/invoices/{prepayment_invoice.pk}/details/payments/{payment.pk}/delete/")

    invoice = Invoice.objects.get(pk=prepayment_invoice.pk)
    assert (invoice.status, invoice.paid_amount) == (InvoiceStatus.UNPAID, Decimal("0.00"))
    assert Order.objects.get(pk=invoice.order_id).payment_status == PaymentStatus.NOT_PAID


def test_a_payment_step_invoice_prints_its_subject_and_its_amount(client, alice, prepayment_invoice):
    import pypdfium2
    from django.urls import reverse

    from crm.printing.models import PrintForm

    client.force_login(alice)
    invoice = prepayment_invoice
    form = PrintForm.objects.filter(section="invoices").first()

    response = client.get(reverse("printing:pdf", args=["invoices", invoice.pk, form.pk]))

    text = " ".join(pypdfium2.PdfDocument(response.content)[0].get_textpage().get_text_range().split())
    assert invoice.subject and invoice.subject in text
    assert "No products" not in text
    assert f"Total {invoice.amount:,.2f}" in text or f"Total {invoice.amount}" in text

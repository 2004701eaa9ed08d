"""Invoicing an order: the whole order with its products, or one payment step of its plan for exactly that step's
amount; the invoice is a draft from our company to the order's customer."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from invoices import services
from invoices.models import Invoice, InvoiceStatus
from orders import services as order_services
from orders.models import PlanStep


def test_an_invoice_for_the_whole_order_copies_its_products_and_total(alice_client, alice, make_order, our_company):
    order = make_order(alice, "250.00")

    response = alice_client.post(f"/invoices/from-order/{order.pk}/")

    invoice = Invoice.objects.get(order=order)
    assert response.url == invoice.get_absolute_url()
    assert invoice.number.startswith("INV-")
    assert (invoice.account, invoice.owner, invoice.status) == (order.account, alice, InvoiceStatus.DRAFT)
    assert (invoice.supplier, invoice.supplier_details) == (our_company, our_company.banking_details.get())
    assert [line.total for line in invoice.lines.all()] == [Decimal("250.00")]
    assert invoice.amount == Decimal("250.00")


def test_an_invoice_for_a_payment_step_carries_that_steps_amount(alice_client, alice, make_order, template):
    order = make_order(alice, "100.01")
    order_services.apply_template(user=alice, order=order, template=template("50/50"))
    final = PlanStep.objects.get(order=order, name="Final payment")

    alice_client.post(f"/invoices/from-order/{order.pk}/", {"step": final.pk})

    invoice = Invoice.objects.get(plan_step=final)
    assert invoice.amount == final.expected_amount == Decimal("50.00")
    assert invoice.due_date == final.due_date
    assert invoice.subject.startswith(f"Payment 2 of 2 of order {order}")


def test_the_invoices_of_all_payment_steps_add_up_to_the_order_total(alice, make_order, thirds):
    order = make_order(alice, "100.00")
    order_services.apply_template(user=alice, order=order, template=thirds)

    invoices = [services.create_from_order(user=alice, order=order, step=step) for step in order.plan_steps.all()]

    assert [invoice.amount for invoice in invoices] == [Decimal("33.33"), Decimal("33.33"), Decimal("33.34")]
    assert sum(invoice.amount for invoice in invoices) == order.amount


def test_the_order_page_offers_an_invoice_per_payment_step(alice_client, alice, make_order, template):
    order = make_order(alice, "100.00")
    order_services.apply_template(user=alice, order=order, template=template("50/50"))

    page = alice_client.get(order.get_absolute_url()).content.decode()

    assert page.count("Create invoice</button>") == 2
    assert f'href="/invoices/from-order/{order.pk}/"' in page


def test_a_step_is_invoiced_once_unless_its_invoice_is_cancelled(alice, make_order, template):
    order = make_order(alice, "100.00")
    order_services.apply_template(user=alice, order=order, template=template("100% prepayment"))
    step = PlanStep.objects.get(order=order, kind="payment")
    first = services.create_from_order(user=alice, order=order, step=step)

    with pytest.raises(ValidationError, match="invoiced already"):
        services.create_from_order(user=alice, order=order, step=step)
    services.move_to(user=alice, invoice=first, status=InvoiceStatus.CANCELLED, expected_version=first.version)
    again = services.create_from_order(user=alice, order=order, step=step)

    assert again.amount == Decimal("100.00")

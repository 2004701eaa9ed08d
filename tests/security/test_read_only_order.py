"""Invoicing one payment step of an order the user may only read writes nothing to that order: its plan and its
paid amount and statuses are computed for the invoice, not rewritten. alice owns the order; charlie may read it
(a record grant) and create invoices."""

import re
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext

from crm import access
from crm.access.models import Level, RecordGrant, SectionAccess
from invoices import services as invoice_services
from orders import services as order_services
from orders.models import Order, PlanStep
from tests.factories.orders import OrderFactory, OrderProductFactory, PlanStepFactory

WRITE = re.compile(r'^\s*(UPDATE|INSERT INTO|DELETE FROM)\s+"?(orders_order|orders_planstep)"?', re.IGNORECASE)


@pytest.fixture
def order(alice, charlie):
    SectionAccess.objects.create(section="orders", use_record_rights=True)
    order = OrderFactory(owner=alice)
    OrderProductFactory(order=order, quantity=Decimal("5"))  # 5 x 100.00
    PlanStepFactory(order=order, name="Prepayment", percent=Decimal("40"), position=1)
    PlanStepFactory(order=order, name="Balance", percent=Decimal("60"), position=2, deferment_days=30)
    order_services.recompute_amount(order)
    RecordGrant.objects.create(
        content_type=ContentType.objects.get_for_model(Order), object_id=order.pk, user=charlie, level=Level.READ
    )
    return Order.objects.get(pk=order.pk)


def test_a_reader_invoicing_a_payment_step_writes_nothing_to_the_order(charlie, order):
    assert access.can(charlie, "read", order) and not access.can(charlie, "edit", order)
    step = order.plan_steps.get(name="Balance")
    order_before = Order.objects.filter(pk=order.pk).values().get()
    plan_before = list(PlanStep.objects.filter(order=order).order_by("pk").values())

    with CaptureQueriesContext(connection) as queries:
        invoice = invoice_services.create_from_order(user=charlie, order=order, step=step)

    writes = [q["sql"] for q in queries.captured_queries if WRITE.match(q["sql"])]
    assert writes == []
    assert Order.objects.filter(pk=order.pk).values().get() == order_before
    assert list(PlanStep.objects.filter(order=order).order_by("pk").values()) == plan_before
    assert invoice.amount == Decimal("300.00")  # 60% of 500.00
    assert invoice.due_date == step.due_date

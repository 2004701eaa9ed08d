"""The demo orders and invoices: made through the services from won deals, with plans, invoices, payments (paid
and partially paid) and one overdue invoice; idempotent; and the bulk path of the benchmarks."""

import random

import pytest

from crm.access import demo as access_demo
from crm.core import demo
from crm.core.models import Notification
from invoices import demo as invoices_demo
from invoices.models import Invoice, InvoiceStatus
from opportunities import demo as opportunities_demo
from orders import demo as orders_demo
from orders.models import Order


@pytest.fixture
def context(db):
    from accounts import demo as accounts_demo
    from products import demo as products_demo

    context = demo.DemoContext(users=demo.ensure_users(), rng=random.Random(2026))
    for module in (access_demo, accounts_demo, products_demo, opportunities_demo):
        module.seed(context)
    return context


def test_the_demo_has_orders_with_plans_and_paid_partially_paid_and_overdue_invoices(context):
    orders_demo.seed(context)
    invoices_demo.seed(context)

    orders = Order.objects.all()
    assert orders.count() > 5
    assert all(order.opportunity_id and order.plan_steps.exists() for order in orders)
    statuses = set(Invoice.objects.values_list("status", flat=True))
    assert {InvoiceStatus.PAID, InvoiceStatus.PARTIALLY_PAID} <= statuses
    overdue = Invoice.objects.filter(overdue_since__isnull=False)
    assert overdue.count() == 1
    assert Notification.objects.filter(title=f"Invoice {overdue.get()} is overdue").count() == 1
    assert orders_demo.already_seeded(context) and invoices_demo.already_seeded(context)


def test_the_bulk_path_creates_numbered_orders_and_invoices(context):
    orders_demo.seed_scale(context, 30)
    invoices_demo.seed_scale(context, 30)

    assert Order.objects.filter(number__startswith="ORD-").count() == 30
    assert Invoice.objects.filter(number__startswith="INV-").count() == 30

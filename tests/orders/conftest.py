import datetime
from decimal import Decimal

import pytest

from orders import services
from orders.models import PlanTemplate, PlanTemplateStep
from tests.factories.orders import OrderFactory, OrderProductFactory

ORDER_DATE = datetime.date(2026, 3, 1)


@pytest.fixture
def make_order(db):
    """`make_order(alice, "100.00")`: an order of alice's dated ORDER_DATE whose lines (one of 1 × the amount, no
    tax) total `amount`, created through the services."""

    def make(owner, amount="100.00", **data):
        from tests.factories.customers import AccountFactory

        data.setdefault("account", AccountFactory(owner=owner))
        data.setdefault("date", ORDER_DATE)
        order = services.create_order(user=owner, data=data)
        if Decimal(amount):
            OrderProductFactory(order=order, quantity=1, price=Decimal(amount))
            services.recompute_amount(order)
        order.refresh_from_db()
        return order

    return make


@pytest.fixture
def template(db):
    """`template("50/50")`: a seeded plan template by name."""
    return lambda name: PlanTemplate.objects.get(name=name)


@pytest.fixture
def thirds(db):
    """A template of three payments a week apart: 33.33 %, 33.33 %, 33.34 %."""
    plan = PlanTemplate.objects.create(name="Thirds")
    for position, percent in enumerate(("33.33", "33.33", "33.34"), start=1):
        PlanTemplateStep.objects.create(
            template=plan, position=position, name=f"Third {position}", deferment_days=7, percent=Decimal(percent)
        )
    return plan


__all__ = ["ORDER_DATE", "OrderFactory"]

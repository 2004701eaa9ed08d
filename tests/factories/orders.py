"""Factories of the Orders section. Plan templates come from the seed migration.

A factory-made order is a bare row with its number (no lines, no plan): tests of the totals and the plan add
lines with `OrderProductFactory` and then call `orders.services.recompute_amount`, or go through the services."""

from decimal import Decimal

import factory

from orders.models import Order, OrderProduct, PlanStep
from products.models import Currency

from .customers import AccountFactory, RecordFactory
from .products import ProductFactory, unit


class OrderFactory(RecordFactory):
    class Meta:
        model = Order

    number = factory.Sequence(lambda n: f"T-ORD-{n:06d}")
    account = factory.SubFactory(AccountFactory, owner=factory.SelfAttribute("..owner"))
    currency = factory.LazyFunction(lambda: Currency.objects.base())
    customer_reference = factory.Sequence(lambda n: f"PO-{n:06d}")


class OrderProductFactory(factory.django.DjangoModelFactory):
    """A product line on an order: 2 pieces at 100.00, no tax (amounts computed as the services compute them)."""

    class Meta:
        model = OrderProduct

    order = factory.SubFactory(OrderFactory)
    product = factory.SubFactory(ProductFactory, owner=factory.SelfAttribute("..order.owner"))
    unit = factory.LazyFunction(lambda: unit("pieces"))
    quantity = Decimal("2")
    price = Decimal("100.00")
    tax_included = False

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        line = model_class(*args, **kwargs)
        line.recompute()
        line.save()
        return line


class PlanStepFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PlanStep

    order = factory.SubFactory(OrderFactory)
    name = factory.Sequence(lambda n: f"Step {n}")
    position = factory.Sequence(lambda n: n + 1)

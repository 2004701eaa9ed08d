"""Demo orders: one for most won opportunities of the demo (made by the service that the opportunity page's
"Create order" button calls), with an installment plan from the seeded templates and statuses along the way; or
N at scale with bulk inserts for the benchmarks."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils import timezone

from crm.core.money import quantize
from crm.core.services import next_numbers

from .models import Order, OrderStatus, PlanTemplate

ORDER = 50  # after the opportunities (40) and leads (45)

DEMO_COUNT = 30
MARKER = {"demo": "orders"}
SCALE_BATCH = 5000
#: how far along the demo orders are, by weight
PATHS = (
    ((), 3),
    ((OrderStatus.CONFIRMATION,), 2),
    ((OrderStatus.IN_PROGRESS,), 4),
    ((OrderStatus.IN_PROGRESS, OrderStatus.COMPLETED), 3),
    ((OrderStatus.CANCELLED,), 1),
)


def already_seeded(context) -> bool:
    return Order.objects.filter(custom__demo=MARKER["demo"]).exists()


def seed(context) -> None:
    from opportunities.models import Opportunity

    from . import services

    rng = context.rng
    won = list(Opportunity.objects.won().exclude(amount=0).select_related("owner").order_by("closed_on", "pk"))
    templates = list(PlanTemplate.objects.active())
    created_ids = []
    for opportunity in won[:DEMO_COUNT]:
        owner = opportunity.owner
        order = services.create_from_opportunity(user=owner, opportunity=opportunity)
        date = opportunity.closed_on or timezone.localdate()
        Order.objects.filter(pk=order.pk).update(date=date)
        order.date = date
        if templates:
            services.apply_template(user=owner, order=order, template=rng.choice(templates))
        path = rng.choices([p for p, _ in PATHS], weights=[w for _, w in PATHS])[0]
        for status in path:
            order = services.move_to(user=owner, order=order, status=status, expected_version=order.version)
        created_ids.append(order.pk)
    Order.objects.filter(pk__in=created_ids).update(custom=MARKER)
    context.created["orders"] = len(created_ids)


def seed_scale(context, n: int) -> None:
    """N orders in bulk (no lines, no plan; amounts set directly), spread over the last year."""
    from accounts.models import Account
    from products.models import Currency

    rng = context.rng
    account_ids = list(Account.objects.order_by("pk").values_list("pk", flat=True)[:20000])
    if not account_ids or n <= 0:
        return
    base = Currency.objects.base()
    owners = context.sales_users
    today = timezone.localdate()
    statuses = list(OrderStatus.values)
    done = 0
    while done < n:
        size = min(SCALE_BATCH, n - done)
        numbers = next_numbers(name="orders", count=size)
        records = []
        for offset, number in enumerate(numbers):
            owner = owners[(done + offset) % len(owners)]
            amount = quantize(Decimal(rng.randrange(500, 100_000)))
            records.append(
                Order(
                    number=number,
                    date=today - datetime.timedelta(days=rng.randrange(365)),
                    account_id=account_ids[(done + offset) % len(account_ids)],
                    status=rng.choice(statuses),
                    currency=base,
                    amount=amount,
                    amount_base=amount,
                    owner=owner,
                    created_by=owner,
                    modified_by=owner,
                )
            )
        Order.objects.bulk_create(records, batch_size=SCALE_BATCH)
        done += size
    context.created["orders"] = context.created.get("orders", 0) + n

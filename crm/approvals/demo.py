"""Demo approval routes (orders over 10,000 and invoices go to the sales manager) and a few large orders waiting for
her."""

from __future__ import annotations

from decimal import Decimal

from .models import ApprovalRoute, ApprovalRouteStep

ORDER = 95  # after the orders (50) and invoices (55)

#: orders over this amount (in the base currency) go to the sales manager, and a few are sent by their owners
LARGE_ORDER = Decimal(10_000)
#: (section, route name, only when the amount is over): the sales manager decides each step
ROUTES = (
    ("orders", "Large orders", LARGE_ORDER),
    ("invoices", "Invoice discounts: the sales manager approves", None),
)
PENDING = 3


def already_seeded(context) -> bool:
    return ApprovalRoute.objects.filter(name__in=[name for _, name, _ in ROUTES]).exists()


def seed(context) -> None:
    from orders.models import Order, OrderStatus

    from . import selectors, services

    manager = context.users["manager"]
    for section, name, min_amount in ROUTES:
        route = ApprovalRoute.objects.create(section=section, name=name, min_amount=min_amount)
        ApprovalRouteStep.objects.create(route=route, position=1, approver_user=manager)
    large = (
        Order.objects.filter(
            custom__demo="orders", amount_base__gt=LARGE_ORDER, status__in=[OrderStatus.DRAFT, OrderStatus.CONFIRMATION]
        )
        .exclude(owner=manager)
        .select_related("owner")
        .order_by("-date", "pk")
    )
    sent = 0
    for order in large[:PENDING]:
        if selectors.route_for("orders", order) is not None:
            services.send_for_approval(user=order.owner, record=order)
            sent += 1
    context.created["approval routes"] = len(ROUTES)
    context.created["approvals waiting"] = sent

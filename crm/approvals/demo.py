"""Demo approval routes (orders and invoices go to the sales manager) and a few large orders waiting for her."""

from __future__ import annotations

from decimal import Decimal

from .models import ApprovalRoute, ApprovalRouteStep

ORDER = 95  # after the orders (50) and invoices (55)

#: (section, route name): the sales manager decides each step
ROUTES = (
    ("orders", "Large orders: the sales manager approves"),
    ("invoices", "Invoice discounts: the sales manager approves"),
)
#: orders of this amount or more are sent for approval by their owners
LARGE_ORDER = Decimal(10_000)
PENDING = 3


def already_seeded(context) -> bool:
    return ApprovalRoute.objects.filter(name__in=[name for _, name in ROUTES]).exists()


def seed(context) -> None:
    from orders.models import Order, OrderStatus

    from . import selectors, services

    manager = context.users["manager"]
    for section, name in ROUTES:
        route = ApprovalRoute.objects.create(section=section, name=name)
        ApprovalRouteStep.objects.create(route=route, position=1, approver_user=manager)
    large = (
        Order.objects.filter(
            custom__demo="orders", amount__gte=LARGE_ORDER, status__in=[OrderStatus.DRAFT, OrderStatus.CONFIRMATION]
        )
        .exclude(owner=manager)
        .select_related("owner")
        .order_by("-date", "pk")
    )
    sent = 0
    for order in large[:PENDING]:
        if selectors.route_for("orders") is not None:
            services.send_for_approval(user=order.owner, record=order)
            sent += 1
    context.created["approval routes"] = len(ROUTES)
    context.created["approvals waiting"] = sent

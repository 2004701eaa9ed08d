"""Demo dashboards: the sales manager's (team pipeline, forecast by month, win rate, goals), on the managers' home
page, and the rep's (my pipeline, my activities this week, my open tasks), on the reps' home page; the reps'
quarterly goals. Built through the services, as the administrator, from the demo data of the sections."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils import timezone

from crm.access.models import Role

from . import services
from .models import Dashboard, Goal

ORDER = 97  # after every section's demo records

NAME = "Sales manager"


def already_seeded(context) -> bool:
    return Dashboard.objects.filter(name=NAME).exists()


def _quarter(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    start = today.replace(month=3 * ((today.month - 1) // 3) + 1, day=1)
    index = start.year * 12 + start.month - 1 + 3
    return start, datetime.date(index // 12, index % 12 + 1, 1)


def _tiles(user, dashboard, specs) -> None:
    tab = dashboard.tabs.first()
    placed = []
    for kind, width, height, data in specs:
        tile = services.save_tile(user=user, tab=tab, kind_name=kind, data=data)
        placed.append({"id": tile.pk, "w": width, "h": height})
    # row by row, left to right, as a 12-column grid fills
    x = y = row_height = 0
    for item in placed:
        if x + item["w"] > 12:
            x, y, row_height = 0, y + row_height, 0
        item.update(x=x, y=y)
        x += item["w"]
        row_height = max(row_height, item["h"])
    services.save_layout(user=user, tab=tab, items=placed)


def seed(context) -> None:
    admin = context.users["admin"]
    managers = Role.objects.filter(kind=Role.Kind.MANAGEMENT, name="Sales managers").first()
    reps = list(Role.objects.filter(name__in=["Sales team A", "Sales team B"]))
    won_stage = _won_stage_id()
    manager_roles = [managers.pk] if managers else []
    manager = services.save_dashboard(
        user=admin,
        data={
            "name": NAME,
            "sharing": "roles" if manager_roles else "company",
            "roles": manager_roles,
            "home_roles": manager_roles,
        },
    )
    _tiles(
        admin,
        manager,
        [
            ("sales_pipeline", 6, 4, {"title": "Team pipeline", "section": "opportunities", "period": "this_year"}),
            (
                "chart",
                6,
                4,
                {
                    "title": "Amount by close month",
                    "section": "opportunities",
                    "function": "sum",
                    "field": "amount",
                    "group_by": "close_date",
                    "step": "month",
                    "chart_type": "column",
                    "top": "12",
                    "legend": "on",
                    "function_2": "count",
                },
            ),
            (
                "metric",
                3,
                2,
                {
                    "title": "Won this quarter",
                    "section": "opportunities",
                    "function": "sum",
                    "field": "amount",
                    "filters": f"stage={won_stage}",
                    "date_field": "closed_on",
                    "period": "this_quarter",
                },
            ),
            (
                "chart",
                3,
                4,
                {
                    "title": "Win rate: closed by stage",
                    "section": "opportunities",
                    "function": "count",
                    "group_by": "stage",
                    "step": "month",
                    "chart_type": "doughnut",
                    "top": "6",
                    "legend": "on",
                    "filters": "close_date=this_year",
                },
            ),
            ("goal", 6, 4, {"title": "Goals", "scope": "all"}),
            (
                "chart",
                6,
                4,
                {
                    "title": "Pipeline by owner",
                    "section": "opportunities",
                    "function": "sum",
                    "field": "amount",
                    "group_by": "owner",
                    "step": "month",
                    "chart_type": "bar",
                    "top": "10",
                },
            ),
            (
                "list",
                6,
                4,
                {
                    "title": "Largest deals",
                    "section": "opportunities",
                    "columns": ["name", "account", "amount", "owner"],
                    "sort": "amount",
                    "descending": "on",
                    "limit": "8",
                },
            ),
        ],
    )
    rep_roles = [role.pk for role in reps]
    rep = services.save_dashboard(
        user=admin,
        data={
            "name": "Sales rep",
            "sharing": "roles" if rep_roles else "company",
            "roles": rep_roles,
            "home_roles": rep_roles,
        },
    )
    _tiles(
        admin,
        rep,
        [
            (
                "chart",
                6,
                4,
                {
                    "title": "My pipeline",
                    "section": "opportunities",
                    "function": "sum",
                    "field": "amount",
                    "group_by": "stage",
                    "step": "month",
                    "chart_type": "funnel",
                    "top": "10",
                    "filters": "owner=me",
                },
            ),
            (
                "metric",
                3,
                2,
                {
                    "title": "My activities this week",
                    "section": "activities",
                    "function": "count",
                    "filters": "owner=me",
                    "date_field": "start",
                    "period": "this_week",
                },
            ),
            (
                "metric",
                3,
                2,
                {
                    "title": "My won deals this quarter",
                    "section": "opportunities",
                    "function": "sum",
                    "field": "amount",
                    "filters": f"owner=me&stage={won_stage}",
                    "date_field": "closed_on",
                    "period": "this_quarter",
                },
            ),
            (
                "list",
                6,
                4,
                {
                    "title": "My open tasks, the most overdue first",
                    "section": "activities",
                    "columns": ["title", "status", "due"],
                    "sort": "due",
                    "limit": "8",
                    "filters": "owner=me&type=task&status=not_started",
                },
            ),
            ("goal", 6, 3, {"title": "My goals", "scope": "mine"}),
        ],
    )
    deals = services.save_dashboard(
        user=admin, data={"name": "Opportunities", "sharing": "company", "place": "section:opportunities"}
    )
    _tiles(
        admin,
        deals,
        [
            ("metric", 3, 2, {"title": "Amount", "section": "opportunities", "function": "sum", "field": "amount"}),
            ("metric", 3, 2, {"title": "Deals", "section": "opportunities", "function": "count"}),
            (
                "metric",
                3,
                2,
                {"title": "Average deal", "section": "opportunities", "function": "avg", "field": "amount"},
            ),
            (
                "gauge",
                3,
                2,
                {
                    "title": "Deals this quarter",
                    "section": "opportunities",
                    "function": "count",
                    "date_field": "created_at",
                    "period": "this_quarter",
                    "minimum": "0",
                    "maximum": "60",
                    "bands": "20:danger,40:warning,60:success",
                },
            ),
            (
                "chart",
                6,
                4,
                {
                    "title": "Amount by stage",
                    "section": "opportunities",
                    "function": "sum",
                    "field": "amount",
                    "group_by": "stage",
                    "step": "month",
                    "chart_type": "column",
                    "top": "10",
                },
            ),
            (
                "chart",
                6,
                4,
                {
                    "title": "Deals by need",
                    "section": "opportunities",
                    "function": "count",
                    "group_by": "need_type",
                    "step": "month",
                    "chart_type": "pie",
                    "top": "8",
                    "legend": "on",
                },
            ),
        ],
    )
    account = services.save_dashboard(
        user=admin, data={"name": "Account at a glance", "sharing": "company", "place": "record:accounts"}
    )
    _tiles(
        admin,
        account,
        [
            (
                "chart",
                6,
                4,
                {
                    "title": "Opportunities won per year",
                    "section": "opportunities",
                    "function": "sum",
                    "field": "amount",
                    "filters": f"stage={won_stage}",
                    "group_by": "close_date",
                    "step": "year",
                    "chart_type": "column",
                    "top": "10",
                },
            ),
            (
                "list",
                6,
                4,
                {
                    "title": "Open invoices",
                    "section": "invoices",
                    "filters": "status=unpaid",
                    "columns": ["number", "date", "status", "amount"],
                    "sort": "date",
                    "limit": "10",
                },
            ),
        ],
    )
    start, end = _quarter(timezone.localdate())
    for username, target in (("alice", "750000.00"), ("bob", "40000.00")):
        Goal.objects.create(
            name=f"Won amount, {username.title()}",
            section="opportunities",
            function="sum",
            field="amount",
            filters=f"stage={won_stage}",
            date_field="closed_on",
            owner=context.users[username],
            period_start=start,
            period_end=end,
            target=Decimal(target),
            created_by=admin,
        )
    sales = Role.objects.filter(kind=Role.Kind.DIVISION, name="Sales").first()
    if sales is not None:
        Goal.objects.create(
            name="New leads, Sales",
            section="leads",
            function="count",
            date_field="created_at",
            division=sales,
            period_start=start,
            period_end=end,
            target=Decimal("40"),
            created_by=admin,
        )
    context.created["dashboards"] = Dashboard.objects.count()


def _won_stage_id() -> int | str:
    from crm.sections import registry

    stage_field = registry.get("opportunities").opts.get_field("stage")
    won = stage_field.related_model._default_manager.filter(code="won").values_list("pk", flat=True).first()
    return won or ""


def seed_scale(context, n: int) -> None:
    """Nothing at scale: the dashboards are the same at any size."""

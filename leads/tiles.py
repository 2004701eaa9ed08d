"""The lead funnel tile: how many of the leads created in the period reached each stage of the main path."""

from __future__ import annotations

import datetime
from dataclasses import replace

from django.utils import timezone

from crm import access
from crm.analytics.forms import PeriodTileForm
from crm.analytics.kinds import TileKind, TileRequest, register
from crm.analytics.tiles import Source, stages_result
from crm.sections.filters import preset_range

from . import selectors, services


class LeadFunnelForm(PeriodTileForm):
    fixed_section = "leads"


def stages(request: TileRequest) -> list[tuple[str, int, str]]:
    """(stage, leads created in the period that reached it, their list) along the main path."""
    source = Source(replace(request, settings={**request.settings, "section": "leads"}))
    start, end = preset_range(request.settings.get("period", "this_year"))
    zone = timezone.get_current_timezone()
    leads = source.queryset.filter(
        created_at__gte=datetime.datetime.combine(start, datetime.time.min, tzinfo=zone),
        created_at__lt=datetime.datetime.combine(end, datetime.time.min, tzinfo=zone),
    )
    bounds = {"created_at__gte": start.isoformat(), "created_at__lt": end.isoformat()}
    return [(label, count, source.url(**bounds)) for label, count in selectors.funnel(leads)]


def lead_funnel(request: TileRequest):
    rows = stages(request)
    return stages_result(
        [label for label, _, _ in rows],
        [("Leads that reached the stage", [count for _, count, _ in rows])],
        [link for _, _, link in rows],
        first_header="Stage",
    )


def _may_read_leads(user) -> bool:
    return access.can(user, "read", services.section())


register(
    TileKind(
        "lead_funnel",
        "Lead funnel",
        "bi-funnel",
        LeadFunnelForm,
        lead_funnel,
        position=70,
        default_size=(6, 4),
        available=_may_read_leads,
        stages=stages,
    )
)


def demo_goals(context) -> list[dict]:
    """The Sales division's new leads this quarter (crm.analytics.demo)."""
    from decimal import Decimal

    from crm.access.models import Role

    sales = Role.objects.filter(kind=Role.Kind.DIVISION, name="Sales").first()
    if sales is None:
        return []
    start, end = preset_range("this_quarter")
    return [
        {
            "name": "New leads, Sales",
            "section": "leads",
            "function": "count",
            "date_field": "created_at",
            "division": sales,
            "period_start": start,
            "period_end": end,
            "target": Decimal("40"),
        }
    ]

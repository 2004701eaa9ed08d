"""The opportunities' tiles: the sales pipeline (the funnel of the opportunities started in a period, from
opportunities/analytics.py) and the full pipeline (the lead funnel's stages, when the leads section registers
one, then the opportunities')."""

from __future__ import annotations

from dataclasses import replace

from crm import access
from crm.analytics import kinds
from crm.analytics.forms import PeriodTileForm
from crm.analytics.kinds import TileKind, TileRequest, register
from crm.analytics.tiles import Source, stages_result
from crm.sections.filters import preset_range

from . import analytics, services
from .forms import Period


class PipelineForm(PeriodTileForm):
    fixed_section = "opportunities"


def _rows(request: TileRequest) -> list[tuple[str, int, int, str]]:
    """(stage, furthest at the stage, reached it, the list of those now at the stage) for the period."""
    source = Source(replace(request, settings={**request.settings, "section": "opportunities"}))
    start, end = preset_range(request.settings.get("period", "this_year"))
    funnel = analytics.funnel(source.queryset, Period(start, end))
    bounds = {"created_at__gte": start.isoformat(), "created_at__lt": end.isoformat()}
    return [(row.stage.name, row.count, row.reached, source.url(stage=str(row.stage.pk), **bounds)) for row in funnel]


def sales_pipeline(request: TileRequest):
    rows = _rows(request)
    return stages_result(
        [name for name, *_ in rows],
        [
            ("Reached the stage", [reached for _, _, reached, _ in rows]),
            ("Furthest at the stage", [n for _, n, _, _ in rows]),
        ],
        [link for *_, link in rows],
        first_header="Stage",
    )


def full_pipeline(request: TileRequest):
    lead_kind = kinds.get("lead_funnel")
    leads = lead_kind.stages(request) if lead_kind and lead_kind.stages and lead_kind.available(request.viewer) else []
    # the lead stages up to the handoff; the opportunity's stages tell the rest
    leads = leads[:3]
    opportunities = [(name, reached, link) for name, _, reached, link in _rows(request)]
    rows = [(f"Lead: {label}", count, link) for label, count, link in leads] + opportunities
    return stages_result(
        [label for label, _, _ in rows],
        [("Reached the stage", [count for _, count, _ in rows])],
        [link for _, _, link in rows],
        first_header="Stage",
    )


def _may_read(user) -> bool:
    return access.can(user, "read", services.section())


register(
    TileKind(
        "sales_pipeline",
        "Sales pipeline",
        "bi-funnel-fill",
        PipelineForm,
        sales_pipeline,
        position=60,
        default_size=(6, 4),
        available=_may_read,
    )
)
register(
    TileKind(
        "full_pipeline",
        "Full pipeline",
        "bi-diagram-3",
        PipelineForm,
        full_pipeline,
        position=65,
        default_size=(6, 4),
        available=_may_read,
    )
)

"""The opportunities' tiles: the sales pipeline (the funnel of the opportunities started in a period, from
opportunities/analytics.py) and the full pipeline (the lead funnel's stages, when the leads section registers
one, then the opportunities')."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

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


# --- the demo dashboards (crm.analytics.demo) ---------------------------------------------------------------------


def _won_stage_id() -> int | str:
    from .models import OpportunityStage

    return OpportunityStage.objects.filter(code="won").values_list("pk", flat=True).first() or ""


def demo_tiles(context) -> list:
    """The opportunities' tiles on the managers' and the reps' home dashboards, the Dashboards view of the list
    and an account's page."""
    from crm.analytics.demo import MANAGERS, REPS, DemoTiles

    won = _won_stage_id()
    money_by = {"section": "opportunities", "function": "sum", "field": "amount", "step": "month"}
    return [
        DemoTiles(
            MANAGERS,
            [
                ("sales_pipeline", 6, 4, {"title": "Team pipeline", "section": "opportunities", "period": "this_year"}),
                (
                    "chart",
                    6,
                    4,
                    {
                        **money_by,
                        "title": "Amount by close month",
                        "group_by": "close_date",
                        "chart_type": "column",
                        "top": "12",
                        "legend": "on",
                        "function_2": "count",  # drawn on an axis of its own
                    },
                ),
                (
                    "metric",
                    3,
                    2,
                    {
                        **money_by,
                        "title": "Won this quarter",
                        "filters": f"stage={won}",
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
            ],
            position=10,
        ),
        DemoTiles(
            MANAGERS,
            [
                (
                    "chart",
                    6,
                    4,
                    {**money_by, "title": "Pipeline by owner", "group_by": "owner", "chart_type": "bar", "top": "10"},
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
            position=50,
        ),
        DemoTiles(
            REPS,
            [
                (
                    "chart",
                    6,
                    4,
                    {
                        **money_by,
                        "title": "My pipeline",
                        "group_by": "stage",
                        "chart_type": "funnel",
                        "top": "10",
                        "filters": "owner=me",
                    },
                )
            ],
            position=10,
        ),
        DemoTiles(
            REPS,
            [
                (
                    "metric",
                    3,
                    2,
                    {
                        **money_by,
                        "title": "My won deals this quarter",
                        "filters": f"owner=me&stage={won}",
                        "date_field": "closed_on",
                        "period": "this_quarter",
                    },
                )
            ],
            position=30,
        ),
        DemoTiles(
            "Opportunities",
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
                    {**money_by, "title": "Amount by stage", "group_by": "stage", "chart_type": "column", "top": "10"},
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
            place="section:opportunities",
        ),
        DemoTiles(
            "Account at a glance",
            [
                (
                    "chart",
                    6,
                    4,
                    {
                        **money_by,
                        "title": "Opportunities won per year",
                        "filters": f"stage={won}",
                        "group_by": "close_date",
                        "step": "year",
                        "chart_type": "column",
                        "top": "10",
                    },
                )
            ],
            position=10,
            place="record:accounts",
        ),
    ]


def demo_goals(context) -> list[dict]:
    """The reps' won amount this quarter, as their manager set it."""
    start, end = preset_range("this_quarter")
    won = _won_stage_id()
    return [
        {
            "name": f"Won amount, {username.title()}",
            "section": "opportunities",
            "function": "sum",
            "field": "amount",
            "filters": f"stage={won}",
            "date_field": "closed_on",
            "owner": context.users[username],
            "period_start": start,
            "period_end": end,
            "target": Decimal(target),
        }
        for username, target in (("alice", "750000.00"), ("bob", "40000.00"))
    ]

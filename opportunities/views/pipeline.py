"""The kanban pipeline (a column per stage, cards dragged between them through the move endpoint) and the sales
pipeline analytics. Every figure is computed over `crm.access.visible`: nobody counts or sums what they may not
read."""

from __future__ import annotations

import datetime
from urllib.parse import urlencode

from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.views.decorators.http import require_GET

from crm import access
from crm.core.formats import money
from products.models import Currency

from .. import analytics as pipeline_analytics
from .. import selectors, services
from ..forms import AnalyticsFilterForm, KanbanFilterForm, Period
from ..models import OpportunityStage

FILTER_PARAMETERS = ("owner", "date_field", "period", "start", "end", "need_type")


def _require_section(user) -> None:
    if not access.can(user, "read", services.section()):
        raise Http404("No such page.")


def shows_amounts(user, value: str) -> bool:
    """Amounts are shown, and summed, only to who may see the opportunities' amount (column rights)."""
    return access.can_read_value(user, services.section(), value)


def _kanban_queryset(user, form: KanbanFilterForm):
    need_type = form.value("need_type")
    return selectors.filtered(
        selectors.visible_opportunities(user),
        owner_id=form.owner_id(),
        period=form.period_range(),
        date_field=form.value("date_field") or "close_date",
        need_type_id=need_type.pk if need_type else None,
    )


def _filter_query(request) -> str:
    """The filters of the page as a query string, carried by the column pages."""
    return urlencode([(k, v) for k in FILTER_PARAMETERS for v in request.GET.getlist(k) if v])


def _next_url(stage_id: int, cards: list, filters: str) -> str:
    last = cards[-1]
    after = urlencode({"after_date": last.close_date.isoformat() if last.close_date else "", "after": last.pk})
    return f"{reverse('opportunities:kanban_column', args=[stage_id])}?{after}{'&' + filters if filters else ''}"


@require_GET
def kanban(request):
    """The pipeline. With `Accept: application/json` it answers the columns' counts and sums only (the board
    asks after each drop)."""
    _require_section(request.user)
    form = KanbanFilterForm(request.GET, user=request.user)
    queryset = _kanban_queryset(request.user, form)
    amounts = shows_amounts(request.user, "kanban.amount")
    if "application/json" in request.headers.get("Accept", ""):
        totals = selectors.column_totals(queryset)
        data = {
            str(stage): {"count": count, "total": money(total)} if amounts else {"count": count}
            for stage, (count, total) in totals.items()
        }
        return JsonResponse({"columns": data})
    columns = selectors.columns(queryset)
    editable = selectors.editable_ids(request.user, [card for column in columns for card in column.cards])
    filters = _filter_query(request)
    for column in columns:
        column.next_url = _next_url(column.stage.pk, column.cards, filters) if column.has_more else ""
    context = {
        "section": services.section(),
        "form": form,
        "columns": columns,
        "editable": editable,
        "amounts": amounts,
        "currency": Currency.objects.base(),
        "filters": filters,
    }
    return render(request, "opportunities/kanban.html", context)


@require_GET
def kanban_column(request, stage: int):
    """The next cards of one column after ?after_date=&after= (keyset; without them, its first cards), with the
    link to the page after."""
    _require_section(request.user)
    stage = get_object_or_404(OpportunityStage.objects.active(), pk=stage)
    form = KanbanFilterForm(request.GET, user=request.user)
    after_date = parse_date(request.GET.get("after_date") or "") if request.GET.get("after_date") else None
    after = request.GET.get("after", "")
    cards, more = selectors.column_page(
        _kanban_queryset(request.user, form),
        stage,
        close_date=after_date,
        pk=int(after) if after.isdigit() else None,
    )
    context = {
        "cards": cards,
        "editable": selectors.editable_ids(request.user, cards),
        "amounts": shows_amounts(request.user, "kanban.amount"),
        "next_url": _next_url(stage.pk, cards, _filter_query(request)) if more else "",
    }
    return render(request, "opportunities/_kanban_cards.html", context)


# --- analytics ------------------------------------------------------------------------------------------------------


def _pipeline(user, kind: str, pk: int):
    visible = selectors.visible_opportunities(user)
    if kind == "user":
        return selectors.filtered(visible, owner_id=pk)
    return selectors.filtered(visible, division_id=pk)


@require_GET
def analytics(request):
    """The funnel, conversions, days per stage, win rate, forecast and the comparison of two pipelines."""
    _require_section(request.user)
    form = AnalyticsFilterForm(request.GET, user=request.user)
    period = form.period_range() or this_year()
    queryset = selectors.filtered(
        selectors.visible_opportunities(request.user), owner_id=form.owner_id(), division_id=form.division_id()
    )
    first_month, months = forecast_months(period, timezone.localdate())
    funnel = pipeline_analytics.funnel(queryset, period)
    stage_times = pipeline_analytics.days_per_stage(queryset, period)
    forecast = pipeline_analytics.forecast_by_month(queryset, first_month, months)
    # the won and closed amounts, the pipeline and the weighted forecast are sums of amounts: shown only to who
    # may see them; the counts are of visible records and stay
    amounts = shows_amounts(request.user, "analytics.amount")
    comparison = None
    compared = form.compared()
    if len(compared) == 2:
        pipelines = [_pipeline(request.user, kind, pk) for _, kind, pk in compared]
        started, rows = pipeline_analytics.compare(pipelines, period)
        comparison = {"labels": [label for label, _, _ in compared], "started": started, "rows": rows}
    context = {
        "section": services.section(),
        "form": form,
        "period": period,
        "funnel": funnel,
        "stage_times": stage_times,
        "win_rate": pipeline_analytics.win_rate(queryset, period),
        "forecast": forecast,
        "comparison": comparison,
        "amounts": amounts,
        "charts": _charts(funnel, stage_times, forecast if amounts else None, comparison),
        "currency": Currency.objects.base(),
    }
    return render(request, "opportunities/analytics.html", context)


def forecast_months(period: Period, today: datetime.date) -> tuple[datetime.date, int]:
    """The forecast covers the period's months and at least the next six (two years at most)."""
    first = min(period.start, today).replace(day=1)
    last = max(period.last_day, pipeline_analytics.add_months(today.replace(day=1), 6))
    return first, min((last.year - first.year) * 12 + last.month - first.month + 1, 24)


def _charts(funnel, stage_times, forecast, comparison) -> dict:
    """The figures the charts draw (pipeline-charts.js), the same as the tables show (no forecast without it)."""
    charts = {
        "funnel": {
            "labels": [row.stage.name for row in funnel],
            "counts": [row.count for row in funnel],
            "reached": [row.reached for row in funnel],
        },
        "days": {
            "labels": [row.stage.name for row in stage_times],
            "average": [_number(row.average_days) for row in stage_times],
            "bottleneck": [row.is_bottleneck for row in stage_times],
        },
    }
    if forecast is not None:
        charts["forecast"] = {
            "labels": [f"{row.month:%b %Y}" for row in forecast],
            "weighted": [_number(row.weighted) for row in forecast],
            "pipeline": [_number(row.pipeline) for row in forecast],
            "won": [_number(row.won) for row in forecast],
        }
    if comparison:
        charts["comparison"] = {
            "labels": [row.stage.name for row in comparison["rows"]],
            "series": [
                {"label": label, "reached": [row.reached[index] for row in comparison["rows"]]}
                for index, label in enumerate(comparison["labels"])
            ],
        }
    return charts


def this_year() -> Period:
    today = timezone.localdate()
    return Period(datetime.date(today.year, 1, 1), datetime.date(today.year + 1, 1, 1))


def _number(value):
    return None if value is None else float(value)

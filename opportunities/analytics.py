"""Sales pipeline analytics (reference §12.4): the funnel of the opportunities started in a period, the stage
conversions, the average days per stage (the bottleneck), the win rate and the weighted forecast by month.

Each function takes opportunities already narrowed by `crm.access.visible` (and the page's filters) and computes
in the database; none reads a record the queryset does not hold. Percentages are Decimal with one decimal place,
money Decimal in the base currency.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import (
    Avg,
    Case,
    Count,
    DateField,
    DecimalField,
    DurationField,
    ExpressionWrapper,
    F,
    IntegerField,
    Max,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone

from crm.core.money import quantize

from .forms import Period
from .models import OpportunityStage, StageHistory

TENTH = Decimal("0.1")
SECONDS_PER_DAY = Decimal(86400)


def percent(part, whole) -> Decimal | None:
    """part / whole in percent, one decimal place; None when there is nothing to divide by."""
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(TENTH, rounding=ROUND_HALF_UP)


def funnel_stages() -> list[OpportunityStage]:
    """The stages of the funnel, in pipeline order: active, shown in the funnel (Closed won is, lost is not)."""
    return list(OpportunityStage.objects.in_funnel().order_by("position", "pk"))


# --- the funnel ---------------------------------------------------------------------------------------------


@dataclass
class FunnelRow:
    stage: OpportunityStage
    #: started in the period and furthest at this stage by the period's end
    count: int
    #: started in the period and got at least as far as this stage
    reached: int
    #: reached this stage / reached the previous one, in %
    stage_conversion: Decimal | None
    #: reached this stage / started in the period, in %
    from_first: Decimal | None


@dataclass
class Funnel:
    started: int
    rows: list[FunnelRow]

    def __iter__(self):
        return iter(self.rows)


def started_in(queryset: QuerySet, period: Period) -> QuerySet:
    start, end = period.datetimes()
    return queryset.filter(created_at__gte=start, created_at__lt=end)


def _position_of(stage_field: str, positions: dict[int, int]) -> Case:
    """The funnel position of the stage in `stage_field`, NULL for a stage outside the funnel: the few stages are
    read once, so no row joins the stages table."""
    whens = [When(**{stage_field: pk}, then=Value(position)) for pk, position in positions.items()]
    return Case(*whens, default=None, output_field=IntegerField()) if whens else Value(None, IntegerField())


def furthest_positions(queryset: QuerySet, period: Period, stages: list[OpportunityStage]) -> dict[int | None, int]:
    """{position of the furthest funnel stage reached by the period's end: opportunities} for the opportunities
    started in the period, in one query: one pass over them and their stage history, grouped by opportunity (the
    furthest of each), then counted per position. The stage history says how far each went; without funnel
    history before the period's end an opportunity counts at its current stage if that is in the funnel, else
    under None."""
    end = period.datetimes()[1]
    positions = {stage.pk: stage.position for stage in stages}
    reached = Max(_position_of("stage_history__stage_id", positions), filter=Q(stage_history__started_at__lt=end))
    furthest = (
        started_in(queryset, period)
        .order_by()
        # the current stage's as an aggregate too (the same on every history row of the opportunity), so that
        # the opportunities are grouped by their primary key alone, in the order the join reads them
        .annotate(furthest=Coalesce(reached, Max(_position_of("stage_id", positions))))
        .values("pk", "furthest")
    )
    distinct = sorted(set(positions.values()))
    counts = furthest.aggregate(
        nowhere=Count("pk", filter=Q(furthest__isnull=True)),
        **{f"at_{position}": Count("pk", filter=Q(furthest=position)) for position in distinct},
    )
    result: dict[int | None, int] = {position: counts[f"at_{position}"] for position in distinct}
    result[None] = counts["nowhere"]
    return {position: count for position, count in result.items() if count}


def funnel(queryset: QuerySet, period: Period, stages: list[OpportunityStage] | None = None) -> Funnel:
    """Number of opportunities per stage, stage-to-stage conversion and conversion from the first stage."""
    stages = funnel_stages() if stages is None else stages
    by_position = furthest_positions(queryset, period, stages)
    started = sum(by_position.values())
    counts = [sum(n for position, n in by_position.items() if position == stage.position) for stage in stages]
    rows, previous = [], None
    for index, stage in enumerate(stages):
        reached = sum(counts[index:])
        rows.append(
            FunnelRow(
                stage=stage,
                count=counts[index],
                reached=reached,
                stage_conversion=None if previous is None else percent(reached, previous),
                from_first=percent(reached, started),
            )
        )
        previous = reached
    return Funnel(started=started, rows=rows)


# --- time per stage ---------------------------------------------------------------------------------------------


@dataclass
class StageTime:
    stage: OpportunityStage
    #: visits of the stage started in the period
    visits: int
    average_days: Decimal | None
    is_bottleneck: bool = False


def days_per_stage(queryset: QuerySet, period: Period, now: datetime.datetime | None = None) -> list[StageTime]:
    """Average days spent at each open stage of the funnel, over the stage visits that began in the period (a
    visit still going counts up to now). The slowest stage is the bottleneck."""
    now = now or timezone.now()
    start, end = period.datetimes()
    stages = [stage for stage in funnel_stages() if not stage.is_final]
    duration = ExpressionWrapper(Coalesce("ended_at", Value(now)) - F("started_at"), output_field=DurationField())
    history = StageHistory.objects.filter(stage__in=stages, started_at__gte=start, started_at__lt=end)
    if queryset.query.where:  # narrowed by rights or filters: only the visits of its opportunities
        history = history.filter(opportunity__in=queryset.order_by().values("pk"))
    rows = (
        history.order_by()
        .values("stage_id")
        .annotate(visits=Count("id"), average=Avg(duration, output_field=DurationField()))
    )
    found = {row["stage_id"]: row for row in rows}
    result = []
    for stage in stages:
        row = found.get(stage.pk)
        average = None
        if row and row["average"] is not None:
            seconds = Decimal(row["average"].total_seconds())
            average = (seconds / SECONDS_PER_DAY).quantize(TENTH, rounding=ROUND_HALF_UP)
        result.append(StageTime(stage=stage, visits=row["visits"] if row else 0, average_days=average))
    slowest = max((r for r in result if r.average_days is not None), key=lambda r: r.average_days, default=None)
    if slowest is not None:
        slowest.is_bottleneck = True
    return result


# --- win rate ---------------------------------------------------------------------------------------------------


@dataclass
class WinRate:
    closed: int
    won: int
    closed_amount: Decimal
    won_amount: Decimal
    by_count: Decimal | None
    by_amount: Decimal | None


def win_rate(queryset: QuerySet, period: Period) -> WinRate:
    """Won / closed among the opportunities closed in the period, by count and by amount (one query)."""
    won = Q(stage__is_successful=True)
    figures = queryset.filter(stage__is_final=True, closed_on__gte=period.start, closed_on__lt=period.end).aggregate(
        closed=Count("id"),
        won=Count("id", filter=won),
        closed_amount=Sum("amount_base"),
        won_amount=Sum("amount_base", filter=won),
    )
    closed_amount, won_amount = quantize(figures["closed_amount"] or 0), quantize(figures["won_amount"] or 0)
    return WinRate(
        closed=figures["closed"],
        won=figures["won"],
        closed_amount=closed_amount,
        won_amount=won_amount,
        by_count=percent(figures["won"], figures["closed"]),
        by_amount=percent(won_amount, closed_amount),
    )


# --- forecast -----------------------------------------------------------------------------------------------------


@dataclass
class ForecastMonth:
    month: datetime.date
    #: open opportunities closing this month: count, amount and amount × probability
    open_count: int
    pipeline: Decimal
    weighted: Decimal
    #: won (closed as won this month)
    won: Decimal


def add_months(day: datetime.date, months: int) -> datetime.date:
    index = day.year * 12 + day.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


def forecast_by_month(queryset: QuerySet, start: datetime.date, months: int = 12) -> list[ForecastMonth]:
    """For each month from `start`'s: the weighted amount (amount in base currency × probability) of the open
    opportunities closing that month, and the amount won that month (one grouped query)."""
    first = start.replace(day=1)
    end = add_months(first, months)
    weighted_cents = DecimalField(max_digits=24, decimal_places=2)
    # one pass over both: the open closing in the months (by closing date) and the won in them (by the day won)
    is_open = Q(stage__is_final=False, close_date__gte=first, close_date__lt=end)
    is_won = Q(stage__is_final=True, stage__is_successful=True, closed_on__gte=first, closed_on__lt=end)
    day = Case(When(is_won, then=F("closed_on")), default=F("close_date"), output_field=DateField())
    rows = (
        queryset.filter(is_open | is_won)
        .order_by()
        .annotate(month=TruncMonth(day))
        .values("month")
        .annotate(
            count=Count("id", filter=is_open),
            pipeline=Sum("amount_base", filter=is_open),
            weighted=Sum(F("amount_base") * F("probability"), filter=is_open, output_field=weighted_cents),
            won=Sum("amount_base", filter=is_won),
        )
    )
    by_month = {_month(row["month"]): row for row in rows}
    result = []
    for index in range(months):
        month = add_months(first, index)
        row = by_month.get(month, {})
        result.append(
            ForecastMonth(
                month=month,
                open_count=row.get("count", 0),
                pipeline=quantize(row.get("pipeline") or 0),
                weighted=quantize(Decimal(row.get("weighted") or 0) / 100),
                won=quantize(row.get("won") or 0),
            )
        )
    return result


def _month(value) -> datetime.date:
    return value.date() if isinstance(value, datetime.datetime) else value


# --- comparison -------------------------------------------------------------------------------------------------


@dataclass
class ComparisonRow:
    stage: OpportunityStage
    counts: list[int]
    reached: list[int]
    conversions: list[Decimal | None]

    @property
    def pairs(self) -> list[tuple[int, Decimal | None]]:
        """(reached, conversion from the first stage) per pipeline, as the table shows them."""
        return list(zip(self.reached, self.conversions, strict=True))


def compare(querysets: list[QuerySet], period: Period) -> tuple[list[int], list[ComparisonRow]]:
    """The funnels of several pipelines (two owners, two divisions) side by side: (started per pipeline, rows)."""
    stages = funnel_stages()
    funnels = [funnel(queryset, period, stages) for queryset in querysets]
    rows = [
        ComparisonRow(
            stage=stage,
            counts=[f.rows[index].count for f in funnels],
            reached=[f.rows[index].reached for f in funnels],
            conversions=[f.rows[index].from_first for f in funnels],
        )
        for index, stage in enumerate(stages)
    ]
    return [f.started for f in funnels], rows

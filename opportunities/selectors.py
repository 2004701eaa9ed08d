"""Reads of the pipeline pages: the opportunities a user may see narrowed by the filters, the kanban's columns
(counts and sums in one grouped query, the first cards of every column in one window query) and the next page of
one column (keyset paging on the closing date and id)."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection
from django.db.models import Count, F, Func, IntegerField, OuterRef, Q, QuerySet, Sum, Window
from django.db.models.functions import RowNumber

from crm import access
from crm.access.models import Role
from crm.core.money import quantize

from .forms import Period
from .models import Opportunity, OpportunityStage

KANBAN_PAGE_SIZE = 25
#: the order of a column's cards: soonest closing first, undated last (matches opportunity_kanban_idx, read
#: backwards)
CARD_ORDER = (F("close_date").asc(nulls_last=True), F("id").asc())


@dataclass
class Column:
    stage: OpportunityStage
    count: int = 0
    total: Decimal = Decimal("0.00")
    cards: list[Opportunity] = field(default_factory=list)

    @property
    def has_more(self) -> bool:
        return len(self.cards) < self.count


def visible_opportunities(user) -> QuerySet:
    """Every opportunity `user` may read: the one gate of every figure on the pipeline pages."""
    return access.visible(user, Opportunity.objects.all())


def filtered(
    queryset: QuerySet,
    *,
    owner_id: int | None = None,
    division_id: int | None = None,
    period: Period | None = None,
    date_field: str = "close_date",
    need_type_id: int | None = None,
) -> QuerySet:
    """Narrow opportunities by owner, division (and the units under it), a period of `date_field` and need type."""
    if owner_id is not None:
        queryset = queryset.filter(owner_id=owner_id)
    if division_id is not None:
        queryset = queryset.filter(division_id__in=division_and_below(division_id))
    if need_type_id is not None:
        queryset = queryset.filter(need_type_id=need_type_id)
    if period is not None:
        start, end = period.datetimes() if date_field == "created_at" else (period.start, period.end)
        queryset = queryset.filter(**{f"{date_field}__gte": start, f"{date_field}__lt": end})
    return queryset


def division_and_below(division_id: int) -> list[int]:
    """The unit and every unit under it in the role tree (one query)."""
    children = defaultdict(list)
    for pk, parent_id in Role.objects.values_list("pk", "parent_id"):
        children[parent_id].append(pk)
    found, frontier = [division_id], [division_id]
    while frontier:
        frontier = [child for parent in frontier for child in children[parent] if child not in found]
        found += frontier
    return found


def kanban_stages() -> list[OpportunityStage]:
    """A column per active stage, final ones included: they are where a deal is closed."""
    return list(OpportunityStage.objects.active().order_by("position", "pk"))


def column_totals(queryset: QuerySet) -> dict[int, tuple[int, Decimal]]:
    """{stage id: (count, sum of amount in base currency)}, in one grouped query."""
    rows = queryset.order_by().values("stage_id").annotate(count=Count("id"), total=Sum("amount_base"))
    return {row["stage_id"]: (row["count"], quantize(row["total"] or 0)) for row in rows}


def cards(queryset: QuerySet) -> QuerySet:
    """What a card shows: the customer, the owner and the currency come with it."""
    return queryset.select_related("account", "contact", "owner", "currency").only(
        "name",
        "stage_id",
        "amount",
        "close_date",
        "stage_started_at",
        "version",
        "account__name",
        "contact__full_name",
        "owner__first_name",
        "owner__last_name",
        "owner__username",
        "currency__code",
    )


def first_cards(queryset: QuerySet, stage_ids: list[int], per_column: int = KANBAN_PAGE_SIZE) -> dict[int, list]:
    """The first `per_column` cards of every column in one query.

    On PostgreSQL each stage picks its ids with a short backward scan of opportunity_kanban_idx (an array
    subquery per stage row, unnested); elsewhere row_number() over a partition by stage numbers every matching
    row, which is fine at the sizes SQLite serves."""
    if not stage_ids:
        return {}
    model = queryset.model
    if connection.vendor == "postgresql":
        from django.contrib.postgres.expressions import ArraySubquery

        first_ids = ArraySubquery(
            queryset.filter(stage_id=OuterRef("pk")).order_by(*CARD_ORDER).values("pk")[:per_column]
        )
        per_stage = OpportunityStage.objects.filter(pk__in=stage_ids).annotate(
            card=Func(first_ids, function="unnest", output_field=IntegerField())
        )
        chosen = model._default_manager.filter(pk__in=per_stage.values("card"))
    else:
        numbered = queryset.filter(stage_id__in=stage_ids).annotate(
            row=Window(RowNumber(), partition_by=[F("stage_id")], order_by=list(CARD_ORDER))
        )
        chosen = numbered.filter(row__lte=per_column)
    by_stage: dict[int, list] = defaultdict(list)
    for card in cards(chosen).order_by("stage_id", *CARD_ORDER):
        by_stage[card.stage_id].append(card)
    return by_stage


def columns(queryset: QuerySet, per_column: int = KANBAN_PAGE_SIZE) -> list[Column]:
    """The kanban: one column per active stage with its count, sum and first cards (three queries in all)."""
    stages = kanban_stages()
    totals = column_totals(queryset)
    first = first_cards(queryset, [stage.pk for stage in stages], per_column)
    result = []
    for stage in stages:
        count, total = totals.get(stage.pk, (0, Decimal("0.00")))
        result.append(Column(stage=stage, count=count, total=total, cards=first.get(stage.pk, [])))
    return result


def after(close_date: datetime.date | None, pk: int) -> Q:
    """The cards after (close_date, pk) in the column order: undated cards come last."""
    if close_date is None:
        return Q(close_date__isnull=True, pk__gt=pk)
    return Q(close_date__gt=close_date) | Q(close_date=close_date, pk__gt=pk) | Q(close_date__isnull=True)


def column_page(
    queryset: QuerySet,
    stage: OpportunityStage,
    *,
    close_date: datetime.date | None = None,
    pk: int | None = None,
    size: int = KANBAN_PAGE_SIZE,
) -> tuple[list[Opportunity], bool]:
    """The next `size` cards of one column after the card (close_date, pk) (from the top without `pk`), and
    whether more follow."""
    queryset = queryset.filter(stage=stage)
    if pk is not None:
        queryset = queryset.filter(after(close_date, pk))
    page = list(cards(queryset).order_by(*CARD_ORDER)[: size + 1])
    return page[:size], len(page) > size


def editable_ids(user, opportunities: list[Opportunity]) -> set[int]:
    """Which of these cards the user may move (one query)."""
    ids = [o.pk for o in opportunities]
    if not ids:
        return set()
    return set(
        access.visible(user, Opportunity.objects.filter(pk__in=ids), "edit").order_by().values_list("pk", flat=True)
    )

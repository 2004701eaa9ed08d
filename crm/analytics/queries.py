"""The SQL of the tiles: the records a tile reads (the section's list, as the viewer may see it, with the tile's
filters and folder and those of the page it is on), and one aggregate query over them, grouped or not."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from urllib.parse import urlencode

from django.contrib.auth import get_user_model
from django.db import models
from django.db.models import Avg, Count, Max, Min, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Trunc
from django.http import QueryDict
from django.utils import timezone

from crm.core.money import quantize
from crm.sections.registry import Section
from crm.sections.selectors import ListQuery

from .fields import FUNCTIONS, FieldRef

AGGREGATES = {"count": Count, "sum": Sum, "avg": Avg, "min": Min, "max": Max}
#: list parameters that are no filter of the records (how the list is shown)
NOT_FILTERS = ("page", "per_page", "sort", "format", "view", "reset")
OTHERS = "Others"


@dataclass(frozen=True)
class Measure:
    """A function of a field (no field: count the records)."""

    function: str
    field: FieldRef | None = None
    label: str = ""

    @property
    def title(self) -> str:
        if self.label:
            return self.label
        if self.field is None:
            return "Number of records"
        return f"{FUNCTIONS[self.function]} {self.field.label.lower()}"

    @property
    def is_money(self) -> bool:
        return self.field is not None and self.field.kind == "money" and self.function != "count"

    def aggregate(self, **extra):
        if self.function == "count" or self.field is None:
            # COUNT(*) where it can (Django has no COUNT(*) FILTER): a grouping's index alone can answer it
            return Count("pk", **extra) if extra else Count("*")
        return AGGREGATES[self.function](self.field.expression, **extra)

    def clean(self, value):
        """The figure as the page shows it: money quantised, an average of numbers to two places."""
        if value is None:
            return None if self.function in ("avg", "min", "max") else (Decimal("0.00") if self.is_money else 0)
        if self.is_money or isinstance(value, Decimal | float) and self.function == "avg":
            return quantize(value)
        return value


def parameters(filters: str, folder: int | None = None, extra: QueryDict | None = None) -> QueryDict:
    """A tile's filters (a list's query string) with its folder, then the page's own filters over them."""
    params = QueryDict(filters or "", mutable=True)
    for key in NOT_FILTERS:
        params.pop(key, None)
    if folder:
        params["folder"] = str(folder)
    if extra is not None:
        for key, values in extra.lists():
            if key not in NOT_FILTERS and any(v != "" for v in values):
                params.setlist(key, values)
    return params


def records(section: Section, viewer, params: QueryDict) -> tuple[models.QuerySet, list[str]]:
    """The records of the section's list with these parameters as `viewer` may see them, unordered, with the
    warnings of the parameters that were ignored. The list's own machinery reads them, so a tile counts exactly
    what its drill-down list shows."""
    query = ListQuery(section, viewer, params)
    if not any(params.values()):
        from crm import access

        return access.visible(viewer, section.model._default_manager.all()), []
    queryset = query.queryset().order_by()
    # the list's joins are for showing rows; an aggregate needs none of them
    queryset.query.select_related = False
    return queryset, query.warnings


def list_url(section: Section, params: QueryDict, **narrower) -> str:
    """The section's list filtered to exactly the records of a bar, slice or figure."""
    query = params.copy()
    for key, value in narrower.items():
        query[key] = value
    pairs = [(k, v) for k, values in query.lists() for v in values if v != ""]
    return f"{section.url('list')}?{urlencode(pairs)}" if pairs else f"{section.url('list')}?folder="


# --- the groups ------------------------------------------------------------------------------------------------------


@dataclass
class Group:
    key: object
    label: str
    values: list
    #: the list parameters that narrow to this group (None: the group cannot be listed, e.g. "Others")
    narrower: dict | None = None


@dataclass
class Grouped:
    groups: list[Group]
    measures: list[Measure]
    others: Group | None = None
    total_groups: int = 0
    rows: list = field(default_factory=list)

    @property
    def all_groups(self) -> list[Group]:
        return [*self.groups, *([self.others] if self.others else [])]


def _label_fields(related) -> list[str]:
    if related is get_user_model():
        return ["first_name", "last_name", "username"]
    names = {f.name for f in related._meta.concrete_fields}
    for candidate in ("name", "full_name", "title", "code"):
        if candidate in names:
            return [candidate]
    ordering = [o.lstrip("-") for o in (related._meta.ordering or []) if isinstance(o, str)]
    return [o for o in ordering[:1] if o in names] or ["pk"]


def _local_date(value) -> datetime.date | None:
    if value is None:
        return None
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value


def _step_end(start: datetime.date, step: str) -> datetime.date:
    if step == "day":
        return start + datetime.timedelta(days=1)
    if step == "week":
        return start + datetime.timedelta(days=7)
    months = {"month": 1, "quarter": 3, "year": 12}[step]
    index = start.year * 12 + start.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


def _date_label(start: datetime.date, step: str) -> str:
    if step == "day":
        return start.strftime("%d %b %Y")
    if step == "week":
        return f"Week of {start:%d %b %Y}"
    if step == "month":
        return start.strftime("%b %Y")
    if step == "quarter":
        return f"Q{(start.month - 1) // 3 + 1} {start.year}"
    return str(start.year)


def group_expression(group: FieldRef, step: str) -> tuple[dict, list[str], dict]:
    """({alias: expression} to group on, [value names]: the key first, then the label's, {label alias:
    expression}: what names each group, read after the grouping)."""
    if group.is_date:
        zone = timezone.get_current_timezone() if group.kind == "datetime" else None
        key = Trunc(group.expression, step, output_field=models.DateField(), tzinfo=zone)
        return {"group_key": key}, ["group_key"], {}
    if group.is_relation:
        # the label of each group read by the group's key, for the rows shown only (PostgreSQL evaluates such
        # output columns after the sort and limit): no join of every record to the related table
        related = group.model_field.related_model
        labels = {
            f"group_label_{i}": GroupLabel(
                related._base_manager.filter(pk=OuterRef(group.name)).order_by().values(name)[:1]
            )
            for i, name in enumerate(_label_fields(related))
        }
        return {"group_key": models.F(group.name)}, ["group_key", *labels], labels
    return {"group_key": group.expression}, ["group_key"], {}


class GroupLabel(Subquery):
    """A value of the related row a group's key points at. It reads the key only, which the query groups by
    already: nothing to add to the GROUP BY (grouping by the label would read it for every group)."""

    def get_group_by_cols(self):
        return []


def _label(group: FieldRef, row: dict, names: list[str], step: str) -> str:
    key = row["group_key"]
    if key is None:
        return f"No {group.label.lower()}"
    if group.is_date:
        return _date_label(_local_date(key), step)
    if group.is_relation:
        parts = [str(row[name]) for name in names[1:] if row.get(name) not in (None, "")]
        if group.kind == "owner" and len(parts) == 3:
            parts = parts[:2]  # the full name; the login only when there is none
        return " ".join(parts) or str(key)
    if group.kind == "bool":
        return "Yes" if key else "No"
    choices = dict(group.choices)
    return str(choices.get(key, key))


def _narrower(group: FieldRef, key, step: str) -> dict:
    if key is None:
        return {f"{group.name}__isnull": "true"}
    if group.is_date:
        start = _local_date(key)
        return {f"{group.name}__gte": start.isoformat(), f"{group.name}__lt": _step_end(start, step).isoformat()}
    if group.kind == "bool":
        return {group.name: "true" if key else "false"}
    return {group.name: str(key)}


def grouped(
    queryset: models.QuerySet, group: FieldRef, measures: list[Measure], *, step: str = "month", top: int = 10
) -> Grouped:
    """One query: each measure per value of `group`. Dates come in date order, every step there is; other
    groupings the largest first, the first `top` of them with the rest added up as "Others" (the database adds
    them up: a window over the groups gives the totals)."""
    aliases, names, labels = group_expression(group, step)
    values = {f"value_{i}": m.aggregate() for i, m in enumerate(measures)}
    # grouped by the key alone: the labels come with the aggregates, out of the GROUP BY
    rows = queryset.order_by().annotate(**aliases).values("group_key").annotate(**values, **labels)
    if group.is_date:
        rows = list(rows.order_by(models.F("group_key").asc(nulls_last=True)))
        others = None
        total_groups = len(rows)
    else:
        order = [models.F("value_0").desc(nulls_last=True), models.F("group_key").asc()]
        # the totals over every group, for "Others": count and sum add up; an average is their quotient; a minimum
        # or maximum of the rest is read from the groups after the first `top` (a window in the rows' own order)
        window = {"groups_total": OverAllGroups(Count("*"), function="COUNT")}
        for i, measure in enumerate(measures):
            if measure.function in ("count", "sum"):
                window[f"total_{i}"] = OverAllGroups(measure.aggregate())
            elif measure.function == "avg":
                values[f"sum_{i}"] = Sum(measure.field.expression)
                values[f"count_{i}"] = Count(measure.field.expression)
                window[f"total_sum_{i}"] = OverAllGroups(Sum(measure.field.expression))
                window[f"total_count_{i}"] = OverAllGroups(Count(measure.field.expression))
            else:
                ordering = [
                    measures[0].aggregate().desc(nulls_last=True),
                    models.OrderBy(next(iter(aliases.values()))),
                ]
                window[f"rest_{i}"] = OverTheRest(measure.aggregate(), ordering, function=measure.function, top=top)
        rows = queryset.order_by().annotate(**aliases).values("group_key").annotate(**values, **window, **labels)
        rows = list(rows.order_by(*order)[:top])
        total_groups = rows[0]["groups_total"] if rows else 0
        others = _others(rows, measures, total_groups) if total_groups > len(rows) else None
    groups = [
        Group(
            key=row["group_key"],
            label=_label(group, row, names, step),
            values=[m.clean(row[f"value_{i}"]) for i, m in enumerate(measures)],
            narrower=_narrower(group, row["group_key"], step),
        )
        for row in rows
    ]
    return Grouped(groups=groups, measures=measures, others=others, total_groups=total_groups)


class OverAllGroups(models.Func):
    """`SUM(aggregate) OVER ()`: an aggregate of a grouped query added up over all its groups, on every row (so
    the first `top` rows also say what the others add up to)."""

    function = "SUM"
    template = "%(function)s(%(expressions)s) OVER ()"
    contains_over_clause = True


class OverTheRest(models.Func):
    """`MIN(aggregate) OVER (ORDER BY <the groups' order> ROWS BETWEEN <top> FOLLOWING AND UNBOUNDED FOLLOWING)`:
    on the first row, the minimum (or maximum) over the groups after the first `top`, which is what "Others"
    holds. Only a minimum or maximum needs it: ordering the window sorts every group."""

    contains_over_clause = True

    def __init__(self, aggregate, ordering: list, *, function: str, top: int):
        super().__init__(aggregate, *ordering)
        self.function = {"min": "MIN", "max": "MAX"}[function]
        self.top = max(1, int(top))

    def _resolve_output_field(self):
        return self.get_source_expressions()[0].output_field

    def as_sql(self, compiler, connection, **extra_context):
        aggregate, *ordering = self.get_source_expressions()
        sql, params = compiler.compile(aggregate)
        params = list(params)
        parts = []
        for expression in ordering:
            part, part_params = compiler.compile(expression)
            parts.append(part)
            params.extend(part_params)
        frame = f"ROWS BETWEEN {self.top} FOLLOWING AND UNBOUNDED FOLLOWING"
        return f"{self.function}({sql}) OVER (ORDER BY {', '.join(parts)} {frame})", params


def _others(rows: list[dict], measures: list[Measure], total_groups: int) -> Group:
    values = []
    for i, measure in enumerate(measures):
        if measure.function in ("count", "sum"):
            shown = sum((row[f"value_{i}"] or 0) for row in rows)
            values.append(measure.clean((rows[0][f"total_{i}"] or 0) - shown))
        elif measure.function == "avg":
            rest_sum = (rows[0][f"total_sum_{i}"] or 0) - sum((row[f"sum_{i}"] or 0) for row in rows)
            rest_count = (rows[0][f"total_count_{i}"] or 0) - sum((row[f"count_{i}"] or 0) for row in rows)
            values.append(measure.clean(Decimal(rest_sum) / rest_count if rest_count else None))
        else:
            values.append(measure.clean(rows[0][f"rest_{i}"]))
    return Group(key=None, label=f"{OTHERS} ({total_groups - len(rows)})", values=values, narrower=None)


def totals(queryset: models.QuerySet, measures: list[Measure], **conditions: Q) -> dict[str, list]:
    """One query: each measure over `queryset`, once per named condition ({"": Q()} for all of it)."""
    conditions = conditions or {"all": Q()}
    expressions = {}
    for name, condition in conditions.items():
        for i, measure in enumerate(measures):
            extra = {"filter": condition} if condition else {}
            expressions[f"{name}_{i}"] = measure.aggregate(**extra)
    row = queryset.order_by().aggregate(**expressions)
    return {name: [m.clean(row[f"{name}_{i}"]) for i, m in enumerate(measures)] for name in conditions}

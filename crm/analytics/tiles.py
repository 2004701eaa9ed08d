"""The generic tile kinds: chart, metric, gauge, list and goal. Each computes over the records the viewer may see
(crm.access.visible, through the section's list), in one aggregate query, and links each figure to the list of
exactly its records."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db.models import Q
from django.utils import timezone

from crm import access
from crm.core.formats import money, number
from crm.sections import registry
from crm.sections.filters import preset_range

from . import queries
from .fields import HiddenField, MissingField, TileProblem, resolve
from .forms import ChartForm, GaugeForm, GoalTileForm, ListForm, MetricForm
from .kinds import TileKind, TileRequest, TileResult, register
from .models import Goal
from .queries import Measure

# --- the records a tile reads ------------------------------------------------------------------------------------


class Source:
    """The section, list parameters and records of a tile, for its viewer and its page."""

    def __init__(self, request: TileRequest, *, keep_joins: bool = False):
        settings = request.settings
        try:
            self.section = registry.get(settings.get("section", ""))
        except KeyError:
            raise MissingField("section") from None
        if not access.can(request.viewer, "read", self.section):
            raise TileProblem(f"You may not see {self.section.title.lower()}, so this tile cannot show them.")
        self.viewer = request.viewer
        self.params = queries.parameters(
            settings.get("filters", ""), settings.get("folder"), request.params_for(self.section.name)
        )
        narrower = relation_to(self.section, request.record)
        if narrower:
            self.params[narrower] = str(request.record.pk)
        self.queryset, self.warnings = queries.records(self.section, request.viewer, self.params)
        if narrower:  # also here: the record's rows only, whatever the list's filters make of it
            self.queryset = self.queryset.filter(**{narrower: request.record.pk})
        if keep_joins:
            self.queryset = self.section.get_queryset().filter(pk__in=self.queryset.values("pk"))

    def field(self, name: str):
        return resolve(self.section, name, self.viewer)

    def measure(self, function: str, name: str = "") -> Measure:
        if function not in queries.AGGREGATES:
            raise MissingField(function)
        return Measure(function, self.field(name) if function != "count" else None)

    def url(self, **narrower) -> str:
        return queries.list_url(self.section, self.params, **narrower)


def relation_to(section, record) -> str:
    """The foreign key of `section`'s model that points at `record`'s model (an opportunity's account), or ""."""
    if record is None:
        return ""
    model = type(record)._meta.concrete_model
    keys = [f.name for f in section.opts.concrete_fields if f.many_to_one and f.related_model is model]
    if section.model is model:
        return "pk"
    return keys[0] if keys else ""


def _display(value, measure: Measure) -> str:
    if value is None:
        return "—"
    if measure.is_money:
        return money(value)
    return number(value, 1 if measure.function == "avg" else None)


def _float(value):
    return None if value is None else float(value)


# --- chart -------------------------------------------------------------------------------------------------------


def chart(request: TileRequest) -> TileResult:
    source = Source(request)
    settings = request.settings
    group = source.field(settings.get("group_by", ""))
    measures = [source.measure(settings.get("function", "count"), settings.get("field", ""))]
    for n in ("2", "3"):
        if settings.get(f"function_{n}"):
            measures.append(source.measure(settings[f"function_{n}"], settings.get(f"field_{n}", "")))
    step = settings.get("step", "month")
    result = queries.grouped(source.queryset, group, measures, step=step, top=int(settings.get("top", 10)))
    groups = result.all_groups
    links = [source.url(**g.narrower) if g.narrower is not None else "" for g in groups]
    chart_type = settings.get("chart_type", "column")
    # amounts and counts on one scale would flatten one of them: the figures that are no money get an axis of
    # their own beside the money's (where series are drawn against an axis side by side)
    two_axes = (
        chart_type not in ("pie", "doughnut", "scatter", "funnel")
        and not settings.get("stacked")
        and len({m.is_money for m in measures}) == 2
    )
    data = {
        "type": chart_type,
        "labels": [g.label for g in groups],
        "datasets": [
            {
                "label": m.title,
                "data": [_float(g.values[i]) for g in groups],
                "money": m.is_money,
                "axis": "second" if two_axes and not m.is_money else "first",
            }
            for i, m in enumerate(measures)
        ],
        "links": links,
        "stacked": bool(settings.get("stacked")),
        "legend": bool(settings.get("legend", True)),
    }
    headers = [group.label, *(m.title for m in measures)]
    rows = [[g.label, *g.values] for g in groups]
    shown = [
        {"label": g.label, "link": link, "values": [_display(v, m) for v, m in zip(g.values, measures, strict=True)]}
        for g, link in zip(groups, links, strict=True)
    ]
    context = {
        "headers": headers,
        "shown": shown,
        "as_table": bool(settings.get("as_table")),
        "warnings": source.warnings,
        "list_url": source.url(),
        "empty": not groups,
    }
    return TileResult("analytics/tiles/_chart.html", context, headers, rows, chart=data)


# --- metric and gauge -------------------------------------------------------------------------------------------


def previous_range(preset: str, start: datetime.date, end: datetime.date) -> tuple[datetime.date, datetime.date]:
    months = {"this_month": 1, "this_quarter": 3, "this_year": 12}.get(preset)
    if months:
        index = start.year * 12 + start.month - 1 - months
        return datetime.date(index // 12, index % 12 + 1, 1), start
    return start - (end - start), start


PREVIOUS_NAMES = {
    "today": "yesterday",
    "this_week": "last week",
    "this_month": "last month",
    "this_quarter": "last quarter",
    "this_year": "last year",
}


def _bounds(field, start: datetime.date, end: datetime.date) -> tuple:
    if field.kind == "datetime":
        zone = timezone.get_current_timezone()
        return tuple(datetime.datetime.combine(day, datetime.time.min, tzinfo=zone) for day in (start, end))
    return start, end


def _within(field, start, end) -> Q:
    low, high = _bounds(field, start, end)
    return Q(**{f"{field.name}__gte": low, f"{field.name}__lt": high})


def metric_figures(request: TileRequest) -> dict:
    """The value (in the period, with the previous period's beside it), in one query."""
    source = Source(request)
    settings = request.settings
    measure = source.measure(settings.get("function", "count"), settings.get("field", ""))
    preset = settings.get("period", "")
    figures = {"measure": measure, "source": source, "warnings": source.warnings}
    if preset and settings.get("date_field"):
        date_field = source.field(settings["date_field"])
        start, end = preset_range(preset)
        previous_start, previous_end = previous_range(preset, start, end)
        queryset = source.queryset.filter(_within(date_field, previous_start, end))
        values = queries.totals(
            queryset,
            [measure],
            current=_within(date_field, start, end),
            previous=_within(date_field, previous_start, previous_end),
        )
        value, previous = values["current"][0], values["previous"][0]
        figures.update(
            value=value,
            previous=previous,
            change=_change(value, previous),
            previous_name=PREVIOUS_NAMES.get(preset, "the period before"),
            url=source.url(**{f"{date_field.name}__gte": start.isoformat(), f"{date_field.name}__lt": end.isoformat()}),
        )
    else:
        figures.update(value=queries.totals(source.queryset, [measure])["all"][0], url=source.url())
    return figures


def _change(value, previous) -> Decimal | None:
    if value is None or not previous:
        return None
    return ((Decimal(value) - Decimal(previous)) * 100 / abs(Decimal(previous))).quantize(Decimal("0.1"))


def metric(request: TileRequest) -> TileResult:
    figures = metric_figures(request)
    measure = figures["measure"]
    context = {
        "value": _display(figures["value"], measure),
        "change": figures.get("change"),
        "previous": _display(figures["previous"], measure) if "previous" in figures else None,
        "previous_name": figures.get("previous_name", ""),
        "url": figures["url"],
        "label": measure.title,
        "warnings": figures["warnings"],
    }
    headers = [measure.title, *(["Previous period"] if "previous" in figures else [])]
    row = [figures["value"], *([figures["previous"]] if "previous" in figures else [])]
    return TileResult("analytics/tiles/_metric.html", context, headers, [row])


def gauge(request: TileRequest) -> TileResult:
    figures = metric_figures(request)
    measure = figures["measure"]
    settings = request.settings
    minimum, maximum = Decimal(settings.get("minimum", "0")), Decimal(settings.get("maximum", "100"))
    span = (maximum - minimum) or Decimal(1)

    def share(value) -> float:
        return float(max(Decimal(0), min(Decimal(100), (Decimal(value) - minimum) * 100 / span)))

    bands, previous = [], minimum
    for part in settings.get("bands", "").split(","):
        if ":" not in part:
            continue
        upto, colour = part.split(":", 1)
        upto = min(Decimal(upto), maximum)
        if upto > previous:
            bands.append(
                {
                    "start": share(previous),
                    "width": share(upto) - share(previous),
                    "colour": colour,
                    "upto": number(upto),
                }
            )
            previous = upto
    value = figures["value"] or 0
    context = {
        "value": _display(figures["value"], measure),
        "position": share(value),
        "bands": bands,
        "minimum": number(minimum),
        "maximum": number(maximum),
        "label": measure.title,
        "url": figures["url"],
        "warnings": figures["warnings"],
    }
    return TileResult(
        "analytics/tiles/_gauge.html", context, [measure.title, "Minimum", "Maximum"], [[value, minimum, maximum]]
    )


# --- list -------------------------------------------------------------------------------------------------------


def record_list(request: TileRequest) -> TileResult:
    source = Source(request, keep_joins=True)
    settings = request.settings
    section, viewer = source.section, request.viewer
    readable = section.readable_fields(viewer)
    by_path = {c.path: c for c in section.all_columns()}
    columns = []
    for path in settings.get("columns", []) or ["__str__"]:
        column = by_path.get(path)
        if column is None:
            raise MissingField(path)
        if column.path != "__str__" and column.name not in readable:
            raise HiddenField(column.label)
        columns.append(column)
    sort = settings.get("sort", "")
    order = ["-pk"]
    if sort:
        column = by_path.get(sort)
        if column is None or not column.sort_key:
            raise MissingField(sort)
        if column.name not in readable:
            raise HiddenField(column.label)
        descending = settings.get("descending", True)
        order = [f"-{column.sort_key}" if descending else column.sort_key, "-pk" if descending else "pk"]
    limit = max(1, min(50, int(settings.get("limit", 10))))
    objects = list(source.queryset.order_by(*order)[:limit])
    from crm.sections.export import cell_value

    context = {
        "section": section.name,
        "columns": columns,
        "objects": objects,
        "list_url": source.url(),
        "warnings": source.warnings,
    }
    rows = [[cell_value(obj, c) for c in columns] for obj in objects]
    return TileResult("analytics/tiles/_list.html", context, [str(c.label) for c in columns], rows)


# --- goal -------------------------------------------------------------------------------------------------------


def goal_progress(request: TileRequest) -> TileResult:
    from crm.access.models import Membership
    from crm.access.principal import principal_for

    viewer = request.viewer
    today = timezone.localdate()
    goals = Goal.objects.filter(period_start__lte=today, period_end__gt=today).select_related("owner", "division")
    if request.settings.get("scope", "mine") == "mine":
        roles = sorted(principal_for(viewer).role_ids) if not viewer.is_superuser else []
        goals = goals.filter(Q(owner=viewer) | Q(division_id__in=roles))
    goals = list(goals[:20])
    shown, by_section = [], {}
    for goal in goals:
        by_section.setdefault(goal.section, []).append(goal)
    for section_name, section_goals in by_section.items():
        conditions, measures, entries = {}, [], []
        for goal in section_goals:
            entry = {"goal": goal, "problem": "", "value": None, "percent": 0, "url": ""}
            entries.append(entry)
            try:
                source = Source(TileRequest(settings={"section": section_name, "filters": goal.filters}, viewer=viewer))
                measure = source.measure(goal.function, goal.field)
                date_field = source.field(goal.date_field)
            except TileProblem as problem:
                entry["problem"] = str(problem)
                continue
            members = Membership.objects.filter(
                Q(role=goal.division) | Q(role__parent=goal.division) | Q(role__parent__parent=goal.division)
            ).values("user_id")
            whose = Q(owner=goal.owner) if goal.owner_id else Q(owner__in=members)
            condition = whose & _within(date_field, goal.period_start, goal.period_end)
            key = f"goal{goal.pk}"
            conditions[key] = condition
            measures.append(measure)
            entry.update(key=key, measure=measure, source=source, date_field=date_field)
        if not conditions:
            shown.extend(entries)
            continue
        # one query for the section's goals: each goal's measure over its owner's records in its period
        expressions = {
            entry["key"]: entry["measure"].aggregate(filter=conditions[entry["key"]])
            for entry in entries
            if "key" in entry
        }
        first = next(entry for entry in entries if "key" in entry)
        row = first["source"].queryset.order_by().aggregate(**expressions)
        for entry in entries:
            if "key" not in entry:
                continue
            goal, measure = entry["goal"], entry["measure"]
            value = measure.clean(row[entry["key"]]) or 0
            entry["value"] = _display(value, measure)
            entry["raw"] = value
            entry["percent"] = float(min(Decimal(100), Decimal(value) * 100 / goal.target))
            entry["target"] = money(goal.target) if measure.is_money else number(goal.target)
            owner_param = {"owner": str(goal.owner_id)} if goal.owner_id else {}
            entry["url"] = entry["source"].url(
                **owner_param,
                **{
                    f"{goal.date_field}__gte": goal.period_start.isoformat(),
                    f"{goal.date_field}__lt": goal.period_end.isoformat(),
                },
            )
        shown.extend(entries)
    # what the template needs, and nothing that cannot be kept in the cache
    shown = [{k: v for k, v in entry.items() if k not in ("measure", "source", "date_field", "key")} for entry in shown]
    rows = [[e["goal"].name, e.get("raw"), e["goal"].target] for e in shown]
    return TileResult("analytics/tiles/_goal.html", {"entries": shown}, ["Goal", "Achieved", "Target"], rows)


def _can_set_up(user) -> bool:
    return access.can(user, "analytics_setup")


register(TileKind("chart", "Chart", "bi-bar-chart", ChartForm, chart, position=10, default_size=(6, 4)))
register(TileKind("metric", "Metric", "bi-123", MetricForm, metric, position=20, default_size=(3, 2)))
register(TileKind("gauge", "Gauge", "bi-speedometer2", GaugeForm, gauge, position=30, default_size=(3, 2)))
register(TileKind("list", "List", "bi-list-ol", ListForm, record_list, position=40, default_size=(6, 4)))
register(TileKind("goal", "Goals", "bi-bullseye", GoalTileForm, goal_progress, position=45, default_size=(4, 3)))


def stages_result(
    labels: list[str], series: list[tuple[str, list]], links: list[str], *, first_header: str
) -> TileResult:
    """A funnel tile (a pipeline's stages, a lead funnel) drawn like a chart: for kinds that sections register."""
    data = {
        "type": "funnel",
        "labels": labels,
        "datasets": [
            {"label": label, "data": [_float(v) for v in values], "money": False, "axis": "first"}
            for label, values in series
        ],
        "links": links,
        "stacked": False,
        "legend": len(series) > 1,
    }
    headers = [first_header, *(label for label, _ in series)]
    rows = [[label, *(values[i] for _, values in series)] for i, label in enumerate(labels)]
    shown = [
        {
            "label": label,
            "link": links[i],
            "values": [number(values[i]) if values[i] is not None else "—" for _, values in series],
        }
        for i, label in enumerate(labels)
    ]
    context = {"headers": headers, "shown": shown, "as_table": False, "warnings": [], "empty": not labels}
    return TileResult("analytics/tiles/_chart.html", context, headers, rows, chart=data)


def demo_tiles(context) -> list:
    """The goals on the demo home dashboards (crm.analytics.demo): the team's for the managers, one's own for the
    reps."""
    from .demo import MANAGERS, REPS, DemoTiles

    return [
        DemoTiles(MANAGERS, [("goal", 6, 4, {"title": "Goals", "scope": "all"})], position=45),
        DemoTiles(REPS, [("goal", 6, 3, {"title": "My goals", "scope": "mine"})], position=90),
    ]

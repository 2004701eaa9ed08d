"""The projects' dashboard tiles: planned against actual hours per project, each employee's load per week with
over-allocation, and margin by project. Each reads the projects of the tile's list (its filters, folder, page)
as the viewer may see them (`crm.access.visible`, through `crm.analytics.tiles.Source`), in a fixed number of
queries."""

from __future__ import annotations

from dataclasses import replace

from django import forms

from crm import access
from crm.analytics.fields import TileProblem
from crm.analytics.forms import TileForm
from crm.analytics.kinds import TileKind, TileRequest, TileResult, register
from crm.analytics.tiles import Source
from crm.core.formats import money, number
from crm.sections import registry

from .analytics import weekly_load
from .selectors import financials

#: a tile compares at most this many projects (the largest by planned hours)
MAX_PROJECTS = 20


class ProjectsTileForm(TileForm):
    fixed_section = "projects"
    stored = (*TileForm.stored, "limit")
    limit = forms.TypedChoiceField(
        label="Projects shown", choices=[(n, str(n)) for n in (5, 10, 20)], coerce=int, initial=10
    )


class LoadTileForm(TileForm):
    fixed_section = "projects"
    stored = (*TileForm.stored, "weeks")
    weeks = forms.TypedChoiceField(label="Weeks", choices=[(n, str(n)) for n in (4, 8, 12)], coerce=int, initial=8)


def _source(request: TileRequest) -> Source:
    return Source(replace(request, settings={**request.settings, "section": "projects"}))


def _limit(request: TileRequest) -> int:
    try:
        return max(1, min(MAX_PROJECTS, int(request.settings.get("limit", 10))))
    except (TypeError, ValueError):
        return 10


def _projects(source: Source, limit: int) -> list:
    return list(source.queryset.order_by("-planned_hours", "-pk")[:limit])


def _columns(
    projects: list, series: list[tuple[str, list]], *, is_money: bool, warnings: list[str], list_url: str
) -> TileResult:
    """Projects side by side, a bar per series: the chart, its table and the download."""
    show = money if is_money else number
    links = [project.get_absolute_url() for project in projects]
    data = {
        "type": "column",
        "labels": [project.name for project in projects],
        "datasets": [
            {"label": label, "data": [float(value) for value in values], "money": is_money} for label, values in series
        ],
        "links": links,
        "stacked": False,
        "legend": True,
    }
    headers = ["Project", *(label for label, _ in series)]
    rows = [[project.name, *(values[i] for _, values in series)] for i, project in enumerate(projects)]
    shown = [
        {"label": project.name, "link": links[i], "values": [show(values[i]) for _, values in series]}
        for i, project in enumerate(projects)
    ]
    context = {
        "headers": headers,
        "shown": shown,
        "as_table": False,
        "warnings": warnings,
        "list_url": list_url,
        "empty": not projects,
    }
    return TileResult("analytics/tiles/_chart.html", context, headers, rows, chart=data)


def planned_actual_hours(request: TileRequest) -> TileResult:
    source = _source(request)
    for name in ("planned_hours", "actual_hours"):
        if not access.can_read_value(request.viewer, source.section, name):
            label = source.section.model._meta.get_field(name).verbose_name
            raise TileProblem(f"The {label} of projects are hidden from you, so this tile cannot show them.")
    projects = _projects(source, _limit(request))
    series = [
        ("Planned hours", [project.planned_hours for project in projects]),
        ("Actual hours", [project.actual_hours for project in projects]),
    ]
    return _columns(projects, series, is_money=False, warnings=source.warnings, list_url=source.url())


def margin_by_project(request: TileRequest) -> TileResult:
    source = _source(request)
    projects = _projects(source, _limit(request))
    money_of = financials(projects)
    series = [
        ("Planned margin", [money_of[project.pk].margin.planned for project in projects]),
        ("Actual margin", [money_of[project.pk].margin.actual for project in projects]),
    ]
    return _columns(projects, series, is_money=True, warnings=source.warnings, list_url=source.url())


def employee_load(request: TileRequest) -> TileResult:
    source = _source(request)
    try:
        weeks = max(1, min(12, int(request.settings.get("weeks", 8))))
    except (TypeError, ValueError):
        weeks = 8
    load = weekly_load(request.viewer, weeks=weeks, projects=source.queryset)
    headers = ["Employee", *(f"{monday:%d %b}" for monday in load["weeks"])]
    rows = [[row["name"], *row["hours"]] for row in load["rows"]]
    shown = [
        {
            "name": row["name"],
            "cells": [
                {"hours": number(hours), "over": over} for hours, over in zip(row["hours"], row["over"], strict=True)
            ],
        }
        for row in load["rows"]
    ]
    context = {
        "headers": headers,
        "shown": shown,
        "capacity": [number(hours) for hours in load["capacity"]],
        "warnings": source.warnings,
        "list_url": source.url(),
        "any_over": any(any(row["over"]) for row in load["rows"]),
    }
    return TileResult("projects/tiles/_load.html", context, headers, rows)


def _may_read_projects(user) -> bool:
    return access.can(user, "read", registry.get("projects"))


register(
    TileKind(
        "project_hours",
        "Projects: planned vs actual hours",
        "bi-hourglass-split",
        ProjectsTileForm,
        planned_actual_hours,
        position=80,
        default_size=(6, 4),
        available=_may_read_projects,
    )
)
register(
    TileKind(
        "project_load",
        "Projects: load per employee and week",
        "bi-person-workspace",
        LoadTileForm,
        employee_load,
        position=81,
        default_size=(6, 4),
        available=_may_read_projects,
    )
)
register(
    TileKind(
        "project_margin",
        "Projects: margin by project",
        "bi-cash-stack",
        ProjectsTileForm,
        margin_by_project,
        position=82,
        default_size=(6, 4),
        available=_may_read_projects,
    )
)

"""The projects' dashboard tiles: planned against actual hours per project, the load of each employee per week
with over-allocation marked, and margin by project; a rep sees only the numbers of the projects they may see, and
each tile costs the same queries whatever the number of projects."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from crm.analytics import render, services
from crm.analytics.kinds import TileRequest
from crm.analytics.models import Dashboard, Tile
from projects.models import CashFlow, Project
from projects.selectors import week_of
from projects.services import work
from tests.factories import (
    ContactFactory,
    EmployeeRateFactory,
    ProjectFactory,
    ProjectTaskFactory,
    ResourceFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def dashboard(ada):
    """ada's (the administrator's) company-wide dashboard; the tests add the tiles."""
    return services.save_dashboard(user=ada, data={"name": "Delivery", "sharing": Dashboard.Sharing.COMPANY})


def add_tile(dashboard, kind, **settings):
    data = {"title": kind, "section": "projects", **settings}
    return services.save_tile(user=dashboard.owner, tab=dashboard.tabs.first(), kind_name=kind, data=data)


def figures(tile, viewer):
    return render.compute(tile, TileRequest(settings=tile.settings, viewer=viewer), use_cache=False)


def project_of(owner, name, planned, actual):
    monday = week_of(timezone.localdate())
    project = ProjectFactory(owner=owner, name=name, start_date=monday)
    Project.objects.filter(pk=project.pk).update(planned_hours=Decimal(planned), actual_hours=Decimal(actual))
    return project


@pytest.fixture
def projects(alice, bob):
    """alice's "Intranet" (40 h planned, 12 worked) and bob's "Warehouse" (100 planned, 120 worked)."""
    return project_of(alice, "Intranet", "40", "12"), project_of(bob, "Warehouse", "100", "120")


def series(result) -> dict:
    """{project: [value of each dataset]} from a column tile."""
    data = result.chart
    return {
        label: [dataset["data"][index] for dataset in data["datasets"]] for index, label in enumerate(data["labels"])
    }


def test_the_hours_tile_puts_planned_and_actual_hours_side_by_side(ada, dashboard, projects):
    tile = add_tile(dashboard, "project_hours", limit="10")

    result = figures(tile, ada)

    assert series(result) == {"Warehouse": [100.0, 120.0], "Intranet": [40.0, 12.0]}
    assert result.chart["links"][0] == projects[1].get_absolute_url()
    assert result.headers == ["Project", "Planned hours", "Actual hours"]


def test_the_margin_tile_is_revenue_less_outflow_and_labour(ada, alice, dashboard, projects):
    intranet, _ = projects
    task = ProjectTaskFactory(owner=alice, project=intranet)
    contact = ContactFactory(owner=alice, user=alice)
    EmployeeRateFactory(contact=contact, amount=Decimal("40"), valid_from=intranet.start_date)
    ResourceFactory(task=task, contact=contact, planned_hours=Decimal("10"))
    work.log_time(user=alice, task=task, day=task.start_date, hours="4")
    CashFlow.objects.create(project=intranet, amount=Decimal("2000"), status=CashFlow.Status.COMPLETED)
    tile = add_tile(dashboard, "project_margin", limit="10")

    result = figures(tile, ada)

    # planned: 2,000 budgeted less 10 h at 40; actual: 2,000 received less 4 h at 40
    assert series(result)["Intranet"] == [1600.0, 1840.0]
    assert result.rows[[row[0] for row in result.rows].index("Intranet")][1:] == [
        Decimal("1600.00"),
        Decimal("1840.00"),
    ]


def test_the_load_tile_marks_a_week_planned_beyond_its_hours(ada, alice, dashboard, projects):
    intranet, _ = projects
    monday = intranet.start_date
    contact = ContactFactory(owner=alice, user=alice, given_name="Alice", surname="Archer")
    # 60 h over Monday to Friday of this week: 20 more than its 40 working hours
    task = ProjectTaskFactory(owner=alice, project=intranet, start_date=monday, due_date=monday + datetime.timedelta(4))
    ResourceFactory(task=task, contact=contact, planned_hours=Decimal("60"))
    tile = add_tile(dashboard, "project_load", weeks="4")

    result = figures(tile, ada)

    row = next(row for row in result.context["shown"] if row["name"] == str(contact))
    assert row["cells"][0] == {"hours": "60", "over": True}
    assert [cell["over"] for cell in row["cells"][1:]] == [False, False, False]
    assert result.context["capacity"][0] == "40"


def test_a_rep_sees_only_the_numbers_of_the_projects_they_may_see(ada, alice, bob, dashboard, projects, record_rights):
    intranet, warehouse = projects
    for owner, project in ((alice, intranet), (bob, warehouse)):
        contact = ContactFactory(owner=owner, user=owner)
        task = ProjectTaskFactory(owner=owner, project=project, start_date=project.start_date)
        ResourceFactory(task=task, contact=contact, planned_hours=Decimal("8"))
        CashFlow.objects.create(project=project, amount=Decimal("500"), status=CashFlow.Status.COMPLETED)
    hours = add_tile(dashboard, "project_hours", limit="10")
    margin = add_tile(dashboard, "project_margin", limit="10")
    load = add_tile(dashboard, "project_load", weeks="4")

    assert set(series(figures(hours, alice))) == {"Intranet"}
    assert set(series(figures(margin, alice))) == {"Intranet"}
    assert [row["name"] for row in figures(load, alice).context["shown"]] == [str(alice.employee_contact)]
    assert set(series(figures(hours, ada))) == {"Intranet", "Warehouse"}
    assert len(figures(load, ada).context["shown"]) == 2


def test_hidden_hours_are_not_shown_and_the_tile_says_why(ada, alice, dashboard, projects):
    from crm.access.models import ColumnRight
    from crm.access.services import ensure_all_employees

    ColumnRight.objects.create(
        section="projects", field_name="actual_hours", role=ensure_all_employees(), access=ColumnRight.Access.HIDDEN
    )
    tile = add_tile(dashboard, "project_hours", limit="10")

    result = figures(tile, alice)

    assert result.template == "analytics/tiles/_problem.html" and "actual hours" in result.context["message"]
    assert set(series(figures(tile, ada))) == {"Intranet", "Warehouse"}  # who may see them still does


def count(client, tile) -> int:
    url = reverse("analytics:tile", args=[tile.pk])
    Tile.objects.filter(pk=tile.pk).update(modified_at=timezone.now())  # its figures afresh, not from the cache
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200 and "_problem" not in response.templates[0].name
    return len(queries)


@pytest.mark.parametrize(
    ("kind", "tile_settings", "budget"),
    [
        # the figures in one query: the projects, or the resources of their open tasks (load)
        ("project_hours", {"limit": "20"}, 5),
        ("project_load", {"weeks": "8"}, 5),
        # the projects, then their cash flows, resources, logged time, tasks with activity hours, and the rates
        ("project_margin", {"limit": "20"}, 10),
    ],
)
def test_a_projects_tile_costs_the_same_queries_at_any_size(client, ada, alice, dashboard, kind, tile_settings, budget):
    contact = ContactFactory(owner=alice, user=alice)
    tile = add_tile(dashboard, kind, **tile_settings)
    client.force_login(alice)

    def grow(size):
        for index in range(size):
            project = project_of(alice, f"Project {Project.objects.count() + 1}", "10", str(index))
            task = ProjectTaskFactory(owner=alice, project=project)
            ResourceFactory(task=task, contact=contact, planned_hours=Decimal("8"))
            EmployeeRateFactory(contact=ContactFactory(owner=alice), amount=Decimal("10"))
            CashFlow.objects.create(project=project, amount=Decimal("100"), status=CashFlow.Status.COMPLETED)

    grow(2)
    count(client, tile)  # warm the process's caches (access rules, content types)
    small = count(client, tile)
    grow(12)
    # session, user, the tile with its tab and dashboard, the figures, the bell's unread count: the same at 2 and at
    # 14 projects
    assert count(client, tile) == small
    assert small <= budget

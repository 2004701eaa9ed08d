"""The projects' analytics: planned against actual hours per project and per task, each employee's planned load
per week with over-allocation, projects by status and type, and margin by project; all over the projects (and
tasks) the user may see."""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from decimal import Decimal

from django.utils import timezone

from crm import access

from .calendar import calendar
from .models import Project, ProjectTask, Resource
from .selectors import ZERO, financials, task_tree, week_of

#: the analytics read at most this many projects
MAX_PROJECTS = 200
WEEKS = 8


def visible_projects(user):
    return access.visible(user, Project.objects.select_related("type")).order_by("-start_date", "-pk")[:MAX_PROJECTS]


def weekly_load(user, weeks: int = WEEKS, today: datetime.date | None = None, projects=None) -> dict:
    """{"weeks": [monday...], "rows": [{"name", "hours": [...], "over": [...]}], "capacity": [...]}: the expected
    hours of each employee's resources on open projects (of `projects`, a queryset, when given), spread evenly
    over the task's working days."""
    hours_calendar = calendar()
    first = week_of(today or timezone.localdate())
    mondays = [first + datetime.timedelta(weeks=offset) for offset in range(weeks)]
    last = mondays[-1] + datetime.timedelta(days=6)
    open_projects = Project.objects.open()
    if projects is not None:
        open_projects = open_projects.filter(pk__in=projects.values("pk"))
    tasks = access.visible(user, ProjectTask.objects.filter(project__in=open_projects.values("pk")))
    resources = (
        Resource.objects.filter(task__in=tasks.filter(due_date__gte=first, start_date__lte=last), contact__isnull=False)
        .select_related("contact", "task")
        .only("planned_hours", "contact__full_name", "task__start_date", "task__due_date")
    )
    load: dict[str, list[Decimal]] = defaultdict(lambda: [ZERO] * weeks)
    for resource in resources:
        task = resource.task
        working = hours_calendar.working_days_between(task.start_date, task.due_date)
        if not working or not resource.planned_hours:
            continue
        per_day = resource.planned_hours / working
        for index, monday in enumerate(mondays):
            start, end = max(monday, task.start_date), min(monday + datetime.timedelta(days=6), task.due_date)
            load[str(resource.contact)][index] += per_day * hours_calendar.working_days_between(start, end)
    capacity = [hours_calendar.week_capacity(monday) for monday in mondays]
    rows = [
        {
            "name": name,
            "hours": [value.quantize(Decimal("0.1")) for value in values],
            "over": [value > capacity[i] for i, value in enumerate(values)],
        }
        for name, values in sorted(load.items())
    ]
    return {"weeks": mondays, "rows": rows, "capacity": capacity}


def overview(user, project_id: int | None = None) -> dict:
    projects = list(visible_projects(user))
    by_status = Counter(project.get_status_display() for project in projects)
    by_type = Counter(str(project.type) for project in projects)
    money = financials(projects[:50])
    chosen = next((p for p in projects if p.pk == project_id), projects[0] if projects else None)
    task_rows = [row for row in task_tree(user, chosen) if row.depth == 0] if chosen else []
    return {
        "projects": projects,
        "hours": [(p, p.planned_hours, p.actual_hours, p.actual_hours - p.planned_hours) for p in projects],
        "by_status": sorted(by_status.items()),
        "by_type": sorted(by_type.items()),
        "margins": [(p, money[p.pk]) for p in projects[:50]],
        "chosen": chosen,
        "task_rows": task_rows,
        "load": weekly_load(user),
        "charts": {
            "hours": {
                "labels": [p.name for p in projects[:20]],
                "planned": [float(p.planned_hours) for p in projects[:20]],
                "actual": [float(p.actual_hours) for p in projects[:20]],
            },
            "tasks": {
                "labels": [row.task.name for row in task_rows[:30]],
                "planned": [float(row.planned) for row in task_rows[:30]],
                "actual": [float(row.actual) for row in task_rows[:30]],
            },
            "status": {
                "labels": [k for k, _ in sorted(by_status.items())],
                "counts": [v for _, v in sorted(by_status.items())],
            },
            "margin": {
                "labels": [p.name for p in projects[:20]],
                "planned": [float(money[p.pk].margin.planned) for p in projects[:20]],
                "actual": [float(money[p.pk].margin.actual) for p in projects[:20]],
            },
        },
    }

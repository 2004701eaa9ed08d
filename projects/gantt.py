"""The Gantt chart's data: the visible tasks of one or more projects in tree order, their dependencies, which of
them the user may move, and the critical path (the tasks with no slack before the project's last due date)."""

from __future__ import annotations

import datetime
from collections import defaultdict, deque

from django.urls import reverse
from django.utils import timezone

from crm import access

from .models import Project, ProjectTask, TaskDependency
from .selectors import task_tree


def critical_tasks(tasks: list[ProjectTask], links: list[TaskDependency]) -> set[int]:
    """Tasks whose latest allowed finish (backwards from the last due date of their project, through the
    dependencies and their lags) is their due date: delaying one delays the project."""
    by_id = {task.pk: task for task in tasks}
    successors, indegree = defaultdict(list), defaultdict(int)
    for link in links:
        if link.predecessor_id in by_id and link.successor_id in by_id:
            successors[link.predecessor_id].append(link)
            indegree[link.successor_id] += 1
    order, queue = [], deque(pk for pk in by_id if not indegree[pk])
    while queue:
        current = queue.popleft()
        order.append(current)
        for link in successors[current]:
            indegree[link.successor_id] -= 1
            if not indegree[link.successor_id]:
                queue.append(link.successor_id)
    ends: dict[int, datetime.date] = {}
    for task in tasks:
        ends[task.project_id] = max(ends.get(task.project_id, task.due_date), task.due_date)
    latest_finish: dict[int, datetime.date] = {}
    for pk in reversed(order):
        task = by_id[pk]
        finish = ends[task.project_id]
        for link in successors[pk]:
            successor = by_id[link.successor_id]
            latest_start = latest_finish[successor.pk] - (successor.due_date - successor.start_date)
            finish = min(finish, latest_start - datetime.timedelta(days=1 + link.lag_days))
        latest_finish[pk] = finish
    return {pk for pk, finish in latest_finish.items() if finish <= by_id[pk].due_date}


def gantt_data(user, projects: list[Project]) -> dict:
    """Everything the chart draws, as JSON-ready values."""
    rows = task_tree(user, projects)
    tasks = [row.task for row in rows]
    ids = {task.pk for task in tasks}
    project_ids = [project.pk for project in projects]
    # by project, not by a list of thousands of ids; the links between tasks not shown are left out here
    links = [
        link
        for link in TaskDependency.objects.filter(successor__project_id__in=project_ids).only(
            "predecessor_id", "successor_id", "lag_days"
        )
        if link.predecessor_id in ids and link.successor_id in ids
    ]
    movable = access.visible(user, ProjectTask.objects.filter(project_id__in=project_ids), "edit")
    editable = set(movable.values_list("pk", flat=True))
    critical = critical_tasks(tasks, links)
    names = {project.pk: project.name for project in projects}
    # one reverse each, not one per task: the chart of a big project has thousands
    task_url = reverse("project_tasks:detail", args=[0]).replace("/0/", "/{}/")
    move_url = reverse("projects:task_reschedule", args=[0]).replace("/0/", "/{}/")
    return {
        "today": timezone.localdate().isoformat(),
        "projects": [
            {
                "id": project.pk,
                "name": project.name,
                "start": project.start_date.isoformat(),
                "due": project.due_date.isoformat() if project.due_date else None,
                "url": project.get_absolute_url(),
            }
            for project in projects
        ],
        "tasks": [
            {
                "id": row.task.pk,
                "project": row.task.project_id,
                "project_name": names.get(row.task.project_id, ""),
                "parent": row.task.parent_id,
                "depth": row.depth,
                "summary": row.has_children,
                "name": row.task.name,
                "start": row.task.start_date.isoformat(),
                "due": row.task.due_date.isoformat(),
                "deadline": row.task.deadline.isoformat() if row.task.deadline else None,
                "completion": row.task.completion,
                "version": row.task.version,
                "critical": row.task.pk in critical,
                "editable": row.task.pk in editable,
                "url": task_url.format(row.task.pk),
                "move_url": move_url.format(row.task.pk),
            }
            for row in rows
        ],
        "links": [{"from": link.predecessor_id, "to": link.successor_id, "lag": link.lag_days} for link in links],
    }

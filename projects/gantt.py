"""The Gantt chart's data: the visible tasks of one or more projects in tree order (a parent as a summary bar over
its subtree), their dependencies, which of them the user may move, and the critical path.

A big project has thousands of tasks: the data is read as plain rows (`values_list`, no model instances), in a
fixed number of queries, and every step over it is linear.
"""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.urls import reverse
from django.utils import timezone

from crm import access

from .calendar import calendar
from .models import Project, ProjectTask, TaskDependency
from .selectors import visible_tasks

#: what the chart reads of a task, in this order
FIELDS = ("pk", "project_id", "parent_id", "name", "start_date", "due_date", "deadline", "completion", "version")


def critical_path(
    spans: dict[int, tuple[int, int]], links: list[tuple[int, int, int]], parents: dict[int, int] | None = None
) -> set[int]:
    """The tasks with zero total float: the chain of finish-to-start dependencies (with their lags) that decides
    when the last task finishes.

    `spans` maps a task to its (start, due) as day numbers, both days included; `links` are (predecessor,
    successor, lag in days); `parents` maps a subtask to its summary task. A task starts no earlier than its own
    start (its bar) nor than the day after its predecessors' finish plus the lag (forward pass); its latest finish
    is the day before the latest start of its successors minus the lag, or the last finish of all (backward pass).

    A summary task is two milestones, its start and its finish: a dependency on it holds back its start, so every
    subtask; one from it waits for its finish, so for every subtask. Both passes follow one topological order of
    this network: O(tasks + links). Tasks in a cycle (refused when a dependency is added) are left out."""
    parents = {child: parent for child, parent in (parents or {}).items() if child in spans and parent in spans}
    # nodes are list positions: the tasks first (a summary's node is its finish), then one start per summary
    ids = list(spans)
    position = {pk: index for index, pk in enumerate(ids)}
    summaries = {position[parent] for parent in parents.values()}
    start_of = {index: len(ids) + offset for offset, index in enumerate(sorted(summaries))}
    size = len(ids) + len(start_of)
    starts = [0] * size
    lengths = [0] * size
    for index, pk in enumerate(ids):
        first, last = spans[pk]
        starts[index] = first
        if index in start_of:
            starts[start_of[index]] = first  # both milestones: no length of their own
        else:
            lengths[index] = last - first
    # an edge (target, offset): `target` starts no earlier than this node's finish plus offset
    edges: list[list[tuple[int, int]]] = [[] for _ in range(size)]
    for predecessor, successor, lag in links:
        if predecessor in position and successor in position:
            target = position[successor]
            edges[position[predecessor]].append((start_of.get(target, target), 1 + lag))
    for child, parent in parents.items():
        child_index, parent_index = position[child], position[parent]
        edges[start_of[parent_index]].append((start_of.get(child_index, child_index), 0))
        edges[child_index].append((parent_index, 0))
    waiting = [0] * size
    for targets in edges:
        for target, _ in targets:
            waiting[target] += 1
    order = [node for node in range(size) if not waiting[node]]
    for current in order:  # grows while it is read: Kahn's algorithm
        for target, _ in edges[current]:
            waiting[target] -= 1
            if not waiting[target]:
                order.append(target)
    if not order:
        return set()
    earliest_finish = [0] * size
    for node in order:
        earliest_finish[node] = finish = starts[node] + lengths[node]
        for target, offset in edges[node]:
            if starts[target] < finish + offset:
                starts[target] = finish + offset
    end = max(earliest_finish[node] for node in order)
    latest_start = [0] * size
    critical = set()
    for node in reversed(order):
        latest = end
        for target, offset in edges[node]:
            if latest_start[target] - offset < latest:
                latest = latest_start[target] - offset
        latest_start[node] = latest - lengths[node]
        if latest <= earliest_finish[node] and node < len(ids):
            critical.add(ids[node])
    return critical


def working_days(
    spans: dict[int, tuple[int, int]], links: list[tuple[int, int, int]]
) -> tuple[dict[int, tuple[int, int]], list[tuple[int, int, int]]]:
    """The spans and links of the critical path counted in working days of the company's calendar: a gap of a
    weekend (or a holiday) between a task and its successor is no float, since nobody would work it. Dates given
    as day numbers (ordinals); a link's lag stays in calendar days, as the schedule applies it."""
    if not spans:
        return {}, []
    hours = calendar()
    first = min(start for start, _ in spans.values())
    last = max(due for _, due in spans.values()) + 2 + max((abs(link[2]) for link in links), default=0)
    first -= max((abs(link[2]) for link in links), default=0)
    # before[k]: the working days from `first` up to the day first + k, that day excluded
    before = [0]
    for ordinal in range(first, last + 1):
        before.append(before[-1] + hours.is_working_day(datetime.date.fromordinal(ordinal)))

    def start_index(day: int) -> int:  # the working day a task starting on `day` starts on
        return before[day - first]

    def finish_index(day: int) -> int:  # the last working day up to `day`
        return before[day + 1 - first] - 1

    working = {}
    for pk, (start, due) in spans.items():
        begin = start_index(start)
        working[pk] = (begin, max(begin, finish_index(due)))
    # the successor may start on the first working day from the predecessor's due date + 1 + lag
    shifted = [
        (predecessor, successor, start_index(spans[predecessor][1] + 1 + lag) - finish_index(spans[predecessor][1]) - 1)
        for predecessor, successor, lag in links
    ]
    return working, shifted


def gantt_data(user, projects: list[Project]) -> dict:
    """Everything the chart draws, as JSON-ready values, in three queries: the visible tasks, the ones the user
    may edit, and the dependencies."""
    project_ids = [project.pk for project in projects]
    rows = list(visible_tasks(user, project_ids).order_by("position", "pk").values_list(*FIELDS))
    movable = access.visible(user, ProjectTask.objects.filter(project_id__in=project_ids), "edit")
    editable = set(movable.values_list("pk", flat=True))
    by_id = {row[0]: row for row in rows}
    children: dict[int, list[int]] = defaultdict(list)
    roots: dict[int, list[int]] = defaultdict(list)
    for pk, project_id, parent_id, *_ in rows:
        # a task whose parent the user may not see is shown as a root
        (children[parent_id] if parent_id in by_id else roots[project_id]).append(pk)

    ordered: list[tuple[int, int]] = []  # (task, depth), depth first in sibling order
    for project_id in project_ids:
        stack = [(pk, 0) for pk in reversed(roots[project_id])]
        while stack:
            pk, depth = stack.pop()
            ordered.append((pk, depth))
            stack.extend((child, depth + 1) for child in reversed(children[pk]))

    # a summary bar spans its subtree: children come after their parent, so summing backwards sees them first
    spans: dict[int, tuple[int, int]] = {}
    for pk, _ in reversed(ordered):
        kids = children[pk]
        if kids:
            spans[pk] = (min(spans[child][0] for child in kids), max(spans[child][1] for child in kids))
        else:
            row = by_id[pk]
            spans[pk] = (row[4].toordinal(), row[5].toordinal())

    # by project, not by a list of thousands of ids; the links between tasks not shown are left out
    links = [
        link
        for link in TaskDependency.objects.filter(successor__project_id__in=project_ids).values_list(
            "predecessor_id", "successor_id", "lag_days"
        )
        if link[0] in by_id and link[1] in by_id
    ]
    parents = {pk: row[2] for pk, row in by_id.items() if row[2] in by_id}
    critical = critical_path(*working_days(spans, links), parents)
    for pk, _ in reversed(ordered):  # a summary is critical when a task of its subtree is
        if pk not in critical and any(child in critical for child in children[pk]):
            critical.add(pk)

    day = datetime.date.fromordinal
    tasks = []
    for pk, depth in ordered:
        _, project_id, parent_id, name, _, _, deadline, completion, version = by_id[pk]
        start, due = spans[pk]
        tasks.append(
            {
                "id": pk,
                "project": project_id,
                "parent": parent_id if parent_id in by_id else None,
                "depth": depth,
                "summary": bool(children[pk]),
                "name": name,
                "start": day(start).isoformat(),
                "due": day(due).isoformat(),
                "deadline": deadline.isoformat() if deadline else None,
                "completion": completion,
                "version": version,
                "critical": pk in critical,
                "editable": pk in editable,
            }
        )
    return {
        "today": timezone.localdate().isoformat(),
        # one address pattern for all tasks, not one per task: "{id}" stands for the task's id
        "urls": {
            "task": reverse("project_tasks:detail", args=[0]).replace("/0/", "/{id}/"),
            "move": reverse("projects:task_reschedule", args=[0]).replace("/0/", "/{id}/"),
        },
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
        "tasks": tasks,
        "links": [{"from": link[0], "to": link[1], "lag": link[2]} for link in links],
    }

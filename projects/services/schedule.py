"""Task dates and the dependencies between tasks.

A finish-to-start dependency makes the successor start after the predecessor's due date plus its lag: moving a
task pushes what depends on it (and what depends on that), keeping each pushed task's length; moving it to start
before a predecessor ends is refused, naming the predecessor and its end. A push past the project's due date is
refused; one past a task's deadline is saved and said (which task, by how many days).

A summary task (one with subtasks) counts as the Gantt draws it, spanning its subtree: a dependency into it holds
back every subtask, one from it waits for the end of its whole subtree (of every level below). Its own dates are
kept equal to that span whenever a push changes it.

Every change of dates goes through `task_saved`, the section's after_save hook, so the form, the Gantt's drag and
"Shift timeframe" obey the same rules. Schedule changes of one project are serialised on the project's row.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Max

from crm import access
from crm.core.formats import short_date
from crm.sections import registry
from crm.sections import services as section_services
from crm.sections.details import record_detail_change, update_record_fields
from crm.sections.services import StaleRecordError

from ..calendar import calendar
from ..models import MAX_LAG_DAYS, Project, ProjectTask, TaskDependency

#: "Shift timeframe" moves by at most this many days at once
MAX_SHIFT_DAYS = 3650


def section():
    return registry.get("project_tasks")


@dataclass
class ScheduleResult:
    """What a change of dates did: the tasks it moved besides the one changed, and its warnings."""

    moved: list[ProjectTask] = field(default_factory=list)
    messages: list[str] = field(default_factory=list)


# --- the after_save hook ------------------------------------------------------------------------------------------


def task_saved(*, user, obj: ProjectTask, previous: dict | None) -> None:
    if previous is not None and "project" in previous:
        raise ValidationError({"project": "A task stays in its project: copy the project to start another."})
    project = Project.objects.select_for_update().get(pk=obj.project_id)
    if previous is not None and {"start_date", "due_date"} & set(previous) and obj.children.exists():
        raise ValidationError({"start_date": summary_dates_message(obj)})
    values = {"duration_hours": calendar().working_hours_between(obj.start_date, obj.due_date)}
    if previous is None or "parent" in previous:
        values["position"] = _next_position(obj)
    update_record_fields(obj, values, bump_version=False)
    result = ScheduleResult()
    if previous is None or {"start_date", "due_date", "parent"} & set(previous):
        # a task put under another summary is held by that summary's predecessors, and both summaries' spans change
        former = [previous["parent"]] if previous and previous.get("parent") else []
        result = propagate(project=project, changed={obj.pk: obj}, former_parents=former)
    obj.schedule = result


def summary_dates_message(task: ProjectTask) -> str:
    return (
        f"“{task.name}” has subtasks: its dates are theirs, from the first start to the last due date, as the Gantt "
        "draws it. Change the subtasks' dates, or use Shift timeframe to move them all."
    )


def _next_position(task: ProjectTask) -> int:
    siblings = ProjectTask.objects.filter(project_id=task.project_id, parent_id=task.parent_id).exclude(pk=task.pk)
    return (siblings.aggregate(last=Max("position"))["last"] or 0) + 1


#: what the schedule reads of a task
TASK_FIELDS = ("pk", "name", "parent_id", "start_date", "due_date", "deadline", "version", "project_id")


def propagate(
    *,
    project: Project,
    changed: dict[int, ProjectTask],
    after_predecessors: bool = True,
    former_parents: Iterable[int] = (),
) -> ScheduleResult:
    """Push the successors of the `changed` tasks (already saved with their new dates) as their dependencies
    require, and save them; refuse (`after_predecessors`) a changed task that would start before one of its
    predecessors, or a predecessor of one of its summary tasks, has finished. The changed tasks keep their dates.
    A summary task pushed this way (one of its subtasks moved) gets its subtree's span as its own dates;
    `former_parents` (the summaries a changed task has just left) are measured again too. The caller holds the
    project's row lock.

    In three queries whatever the size of the project: its links, its tasks, one update (in batches of 500)."""
    links = list(
        TaskDependency.objects.filter(predecessor__project=project).only("predecessor_id", "successor_id", "lag_days")
    )
    former_parents = [pk for pk in former_parents if pk not in changed]
    touched = any(link.predecessor_id in changed or link.successor_id in changed for link in links)
    if touched or former_parents or any(task.parent_id for task in changed.values()):
        tasks = ProjectTask.objects.filter(project=project)
    else:  # no dependency nor summary touches the changed tasks: only their own deadlines are checked
        tasks = ProjectTask.objects.none()
    tasks = {task.pk: task for task in tasks.only(*TASK_FIELDS)}
    tasks.update(changed)
    moved = _push(tasks, links, changed, after_predecessors, former_parents)
    for task in [*changed.values(), *moved]:
        if project.due_date and task.due_date > project.due_date:
            days = (task.due_date - project.due_date).days
            cause = "" if task.pk in changed else " by its dependencies"
            raise ValidationError(
                f"“{task.name}” would be pushed{cause} to end on {short_date(task.due_date)}, {days} day(s) after the "
                f"project's due date ({short_date(project.due_date)})."
            )
    hours = calendar()
    for task in moved:
        task.duration_hours = hours.working_hours_between(task.start_date, task.due_date)
        task.version += 1
    ProjectTask.objects.bulk_update(moved, ["start_date", "due_date", "duration_hours", "version"], batch_size=500)
    messages = [
        f"“{task.name}” now ends on {short_date(task.due_date)}, {(task.due_date - task.deadline).days} day(s) "
        f"after its deadline ({short_date(task.deadline)})."
        for task in [*changed.values(), *moved]
        if task.deadline and task.due_date > task.deadline
    ]
    if project.deadline:
        late = [task for task in [*changed.values(), *moved] if task.due_date > project.deadline]
        for task in late:
            days = (task.due_date - project.deadline).days
            messages.append(
                f"“{task.name}” ends {days} day(s) after the project's deadline ({short_date(project.deadline)})."
            )
    return ScheduleResult(moved=moved, messages=messages)


class _Network:
    """The project's schedule as the Gantt's critical path sees it. Every task has a start node (2 * i) and a
    finish node (2 * i + 1): a task's start leads to its finish (its length); a summary task has no length of its
    own, its start leads to its subtasks' starts and their finishes lead to its finish; a dependency leads from the
    predecessor's finish to the successor's start (1 + lag days later). So a dependency into a summary holds back
    every subtask, and one from it waits for the whole subtree."""

    def __init__(self, parents: dict[int, int | None], links: list[TaskDependency]):
        self.ids = list(parents)
        self.index = {pk: i for i, pk in enumerate(self.ids)}
        #: an edge is (target node, the dependency or None for the task's own length and the tree)
        self.edges: list[list[tuple[int, TaskDependency | None]]] = [[] for _ in range(2 * len(self.ids))]
        self.summaries: set[int] = set()
        for pk, parent_id in parents.items():
            if parent_id in self.index:
                child, parent = self.index[pk], self.index[parent_id]
                self.summaries.add(parent)
                self.edges[2 * parent].append((2 * child, None))
                self.edges[2 * child + 1].append((2 * parent + 1, None))
        for i in range(len(self.ids)):
            if i not in self.summaries:
                self.edges[2 * i].append((2 * i + 1, None))
        for link in links:
            if link.predecessor_id in self.index and link.successor_id in self.index:
                start = 2 * self.index[link.successor_id]
                self.edges[2 * self.index[link.predecessor_id] + 1].append((start, link))

    def order(self) -> list[int]:
        """The nodes in topological order (Kahn's algorithm); the nodes of a cycle, and what follows them, are
        left out."""
        waiting = [0] * len(self.edges)
        for targets in self.edges:
            for target, _ in targets:
                waiting[target] += 1
        order = [node for node, count in enumerate(waiting) if not count]
        for node in order:  # grows while it is read
            for target, _ in self.edges[node]:
                waiting[target] -= 1
                if not waiting[target]:
                    order.append(target)
        return order

    def reaches(self, *, start_of: int, finish_of: int) -> bool:
        """Whether the start of task `start_of` leads to the finish of task `finish_of`."""
        target = 2 * self.index[finish_of] + 1
        seen, stack = set(), [2 * self.index[start_of]]
        while stack:
            node = stack.pop()
            if node == target:
                return True
            if node not in seen:
                seen.add(node)
                stack.extend(next_node for next_node, _ in self.edges[node])
        return False


def _push(
    tasks: dict[int, ProjectTask],
    links: list[TaskDependency],
    changed: dict[int, ProjectTask],
    after_predecessors: bool,
    former_parents: list[int],
) -> list[ProjectTask]:
    """One forward pass over the network in topological order. A task that is not changed moves only as far as a
    moving predecessor (a changed or pushed task, or one in a moving summary's subtree) asks, keeping its length;
    a changed task stays where it is and, with `after_predecessors`, is refused when any predecessor asks for a
    later start. Returns the tasks pushed and the summaries whose span they changed, with their new dates."""
    network = _Network({pk: task.parent_id for pk, task in tasks.items()}, links)
    ids, summaries = network.ids, network.summaries
    order = network.order()
    size = len(network.edges)
    placed = bytearray(size)
    for node in order:
        placed[node] = 1
    pushes: list[int | None] = [None] * size  # start nodes: the latest start the moving predecessors ask for
    # start nodes: the latest start any predecessor asks for, as (day, dependency, the task the dependency leads
    # into, the predecessor's finish day)
    bounds: list[tuple[int, TaskDependency, int, int] | None] = [None] * size
    days: list[int | None] = [None] * size  # a task's start day, a task's or summary's finish day
    firsts: list[int | None] = [None] * size  # finish nodes: the first start day of the task or subtree
    moving = bytearray(size)
    for pk in changed:
        moving[2 * network.index[pk] + 1] = 1  # a changed summary: what follows it is measured again
    for pk in former_parents:
        if pk in network.index:
            moving[2 * network.index[pk] + 1] = 1
    # a cycle is refused when a dependency is added (or a task moved under another): one that came in otherwise is
    # left out, as the critical path leaves it out, unless a changed task is in it or after it
    if any(not placed[2 * network.index[pk]] or not placed[2 * network.index[pk] + 1] for pk in changed):
        raise ValidationError("The dependencies of this project form a cycle.")
    for node in order:
        i, is_finish = divmod(node, 2)
        task = tasks[ids[i]]
        if not is_finish:
            if after_predecessors and task.pk in changed and bounds[node]:
                _refuse_start_before(tasks, task, bounds[node])
            if i not in summaries:
                start = task.start_date.toordinal()
                if task.pk in changed:
                    moving[node] = 1
                elif pushes[node] is not None and pushes[node] > start:
                    start, moving[node] = pushes[node], 1
                days[node] = start
            elif pushes[node] is not None:
                moving[node] = 1
        for target, link in network.edges[node]:
            if not placed[target]:
                continue
            if target % 2:  # a finish: the task's own, or its summary's, the latest of its subtasks'
                if is_finish:
                    day, first = days[node], firsts[node]
                else:
                    first = days[node]
                    day = first + (task.due_date - task.start_date).days
                if days[target] is None or day > days[target]:
                    days[target] = day
                if firsts[target] is None or first < firsts[target]:
                    firsts[target] = first
                moving[target] |= moving[node]
                continue
            if link is not None:  # a dependency: from a finish to a start
                finish = days[node]
                day = finish + 1 + link.lag_days
                bound, push = (day, link, ids[target // 2], finish), day if moving[node] else None
            else:  # a summary's start holds back its subtasks' starts
                bound, push = bounds[node], pushes[node]
            if bound is not None and (bounds[target] is None or bound[0] > bounds[target][0]):
                bounds[target] = bound
            if push is not None and (pushes[target] is None or push > pushes[target]):
                pushes[target] = push
    moved = []
    as_date = datetime.date.fromordinal
    for node in order:
        i, is_finish = divmod(node, 2)
        task = tasks[ids[i]]
        if task.pk in changed or not moving[node]:
            continue
        if i in summaries and is_finish:  # its stored dates follow its subtree's span, as the Gantt draws it
            start, due = as_date(firsts[node]), as_date(days[node])
        elif i not in summaries and not is_finish:
            start, due = as_date(days[node]), as_date(days[node]) + (task.due_date - task.start_date)
        else:
            continue
        if (start, due) != (task.start_date, task.due_date):
            task.start_date, task.due_date = start, due
            moved.append(task)
    return moved


def _refuse_start_before(tasks: dict[int, ProjectTask], task: ProjectTask, bound: tuple) -> None:
    """A task moved by hand (the form, the Gantt, "Shift timeframe", the API) may not start before a predecessor,
    its own or one of its summary tasks', has finished: only successors are pushed, so the move is refused,
    naming the predecessor and its end. Tasks moved together (a shifted subtree) are compared at their new
    dates."""
    earliest, link, into, finish = bound
    if task.start_date.toordinal() >= earliest:
        return
    predecessor, finish = tasks[link.predecessor_id], datetime.date.fromordinal(finish)
    if into == task.pk:
        whose = f"its predecessor “{predecessor.name}”"
    else:
        whose = f"“{predecessor.name}”, the predecessor of its summary task “{tasks[into].name}”,"
    lag = f" (and a lag of {link.lag_days} day(s) follows)" if link.lag_days else ""
    raise ValidationError(
        {
            "start_date": f"“{task.name}” cannot start on {short_date(task.start_date)}: {whose} ends on "
            f"{short_date(finish)}{lag}, so it can start on "
            f"{short_date(datetime.date.fromordinal(earliest))} at the earliest."
        }
    )


# --- moving tasks ---------------------------------------------------------------------------------------------


def reschedule(
    *, user, task: ProjectTask, start: datetime.date, due: datetime.date, expected_version: int
) -> tuple[ProjectTask, ScheduleResult]:
    """Move a task or change its length (the Gantt's drag): the same save as the form's. Raises StaleRecordError
    when someone changed the task meanwhile, ValidationError when the rules refuse."""
    if due < start:
        raise ValidationError({"due_date": "The task cannot end before it starts."})
    with transaction.atomic():
        # the project's row first: every schedule change of the project takes it in the same order
        Project.objects.select_for_update().filter(pk=task.project_id).first()
        saved = section_services.update_record(
            section=section(),
            user=user,
            obj=task,
            data={"start_date": start, "due_date": due},
            expected_version=expected_version,
        )
    return saved, getattr(saved, "schedule", ScheduleResult())


def shift(*, user, task: ProjectTask, days: int, expected_version: int | None = None) -> ScheduleResult:
    """ "Shift timeframe": move the task and all its subtasks by `days` (negative: earlier), then their successors.
    With `expected_version` (a summary bar dragged in the Gantt), raises StaleRecordError when someone changed the
    task meanwhile."""
    if not access.can(user, "edit", task):
        raise PermissionDenied("You may not change this task.")
    if days == 0:
        raise ValidationError({"days": "Shift by at least one day, forward or back."})
    if abs(days) > MAX_SHIFT_DAYS:
        raise ValidationError({"days": f"Shift by at most {MAX_SHIFT_DAYS} days."})
    delta = datetime.timedelta(days=days)
    with transaction.atomic():
        project = Project.objects.select_for_update().get(pk=task.project_id)
        if expected_version is not None:
            current = ProjectTask.objects.get(pk=task.pk)
            if current.version != expected_version:
                raise StaleRecordError(current)
        subtree = subtree_ids(project_id=project.pk, root_id=task.pk)
        moved = {row.pk: row for row in ProjectTask.objects.filter(pk__in=subtree).only(*TASK_FIELDS)}
        for row in moved.values():
            row.start_date += delta
            row.due_date += delta
        first = min(row.start_date for row in moved.values())
        if first < project.start_date:
            raise ValidationError(
                {
                    "days": f"The tasks would start on {short_date(first)}, before the project starts "
                    f"({short_date(project.start_date)})."
                }
            )
        hidden = [pk for pk in moved if pk not in _editable(user, moved)]
        if hidden:
            raise PermissionDenied("Some of the subtasks are not yours to change.")
        result = propagate(project=project, changed=moved)  # checks the project's due date before writing
        hours = calendar()
        for row in moved.values():
            row.duration_hours = hours.working_hours_between(row.start_date, row.due_date)
        ProjectTask.objects.bulk_update(list(moved.values()), ["start_date", "due_date", "duration_hours"])
        ProjectTask.objects.filter(pk__in=list(moved)).update(version=F("version") + 1)
        record_detail_change(
            user=user, record=task, label="Timeframe", old="", new=f"shifted by {days} day(s) with its subtasks"
        )
    result.moved = [*moved.values(), *result.moved]
    return result


def _editable(user, tasks: dict) -> set[int]:
    queryset = ProjectTask.objects.filter(pk__in=list(tasks))
    return set(access.visible(user, queryset, "edit").values_list("pk", flat=True))


def subtree_ids(*, project_id: int, root_id: int) -> list[int]:
    """The task and all its subtasks, found in one query over the project's tree."""
    children = defaultdict(list)
    for pk, parent_id in ProjectTask.objects.filter(project_id=project_id).values_list("pk", "parent_id"):
        children[parent_id].append(pk)
    found, stack = [], [root_id]
    while stack:
        current = stack.pop()
        found.append(current)
        stack.extend(children[current])
    return found


# --- dependencies -----------------------------------------------------------------------------------------------


def add_dependency(
    *, user, predecessor: ProjectTask, successor: ProjectTask, lag_days: int = 0, dependency=None
) -> tuple[TaskDependency, ScheduleResult]:
    """Make `successor` start after `predecessor` finishes (plus the lag), and push it if it starts too early."""
    if not access.can(user, "edit", successor):
        raise PermissionDenied("You may not change this task.")
    if predecessor.project_id != successor.project_id:
        raise ValidationError({"predecessor": "Both tasks must belong to the same project."})
    if predecessor.pk == successor.pk:
        raise ValidationError({"predecessor": "A task cannot depend on itself."})
    if abs(lag_days) > MAX_LAG_DAYS:
        raise ValidationError({"lag_days": f"The lag is at most {MAX_LAG_DAYS} days either way."})
    with transaction.atomic():
        project = Project.objects.select_for_update().get(pk=successor.project_id)
        links = TaskDependency.objects.filter(successor__project=project)
        if dependency is not None:
            links = links.exclude(pk=dependency.pk)
        links = list(links.only("predecessor_id", "successor_id", "lag_days"))
        if _reaches(links, start=successor.pk, target=predecessor.pk):
            raise ValidationError(
                {"predecessor": f"“{predecessor}” already depends on “{successor}”: the dependency would make a cycle."}
            )
        parents = dict(ProjectTask.objects.filter(project=project).values_list("pk", "parent_id"))
        if _is_ancestor(parents, successor.pk, of=predecessor.pk) or _is_ancestor(
            parents, predecessor.pk, of=successor.pk
        ):
            raise ValidationError({"predecessor": "A task cannot depend on its own parent or subtask."})
        # a dependency into a summary holds its subtasks, one from it waits for them: a cycle may pass through the tree
        if _Network(parents, links).reaches(start_of=successor.pk, finish_of=predecessor.pk):
            raise ValidationError(
                {
                    "predecessor": f"“{predecessor}” already depends on “{successor}” through a summary task: the "
                    "dependency would make a cycle."
                }
            )
        if dependency is None:
            if TaskDependency.objects.filter(predecessor=predecessor, successor=successor).exists():
                raise ValidationError({"predecessor": f"“{successor}” already follows “{predecessor}”."})
            dependency = TaskDependency(predecessor=predecessor, successor=successor)
        dependency.predecessor, dependency.lag_days = predecessor, lag_days
        dependency.full_clean()
        dependency.save()
        current = ProjectTask.objects.get(pk=predecessor.pk)
        # the predecessor has not moved: a start of it before its own predecessors' end, if the plan had one
        # already, is no reason to refuse this link
        result = propagate(project=project, changed={current.pk: current}, after_predecessors=False)
        record_detail_change(user=user, record=successor, label="Predecessors", old="", new=str(dependency))
    return dependency, result


def _reaches(links: list[TaskDependency], *, start: int, target: int) -> bool:
    successors = defaultdict(list)
    for link in links:
        successors[link.predecessor_id].append(link.successor_id)
    seen, stack = set(), [start]
    while stack:
        current = stack.pop()
        if current == target:
            return True
        if current in seen:
            continue
        seen.add(current)
        stack.extend(successors[current])
    return False


def _is_ancestor(parents: dict[int, int | None], pk: int, *, of: int) -> bool:
    """Whether task `pk` is a summary task above task `of` (the tree is checked for cycles when a task moves)."""
    parent_id, depth = parents.get(of), 0
    while parent_id is not None and depth <= len(parents):
        if parent_id == pk:
            return True
        parent_id, depth = parents.get(parent_id), depth + 1
    return False


def add_dependency_row(*, detail, user, record: ProjectTask, data: dict) -> TaskDependency:
    """The Predecessors detail's add: the same rules as every dependency."""
    predecessor = data.get("predecessor")
    if predecessor is None:
        raise ValidationError({"predecessor": "Choose the task that must finish first."})
    dependency, _ = add_dependency(
        user=user, predecessor=predecessor, successor=record, lag_days=data.get("lag_days") or 0
    )
    return dependency


def change_dependency_row(*, detail, user, record: ProjectTask, row: TaskDependency, data: dict) -> TaskDependency:
    predecessor = data.get("predecessor") or row.predecessor
    dependency, _ = add_dependency(
        user=user, predecessor=predecessor, successor=record, lag_days=data.get("lag_days") or 0, dependency=row
    )
    return dependency

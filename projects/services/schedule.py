"""Task dates and the dependencies between tasks.

A finish-to-start dependency makes the successor start after the predecessor's due date plus its lag: moving a
task pushes what depends on it (and what depends on that), keeping each pushed task's length; moving it to start
before a predecessor ends is refused, naming the predecessor and its end. A push past the project's due date is
refused; one past a task's deadline is saved and said (which task, by how many days).

Every change of dates goes through `task_saved`, the section's after_save hook, so the form, the Gantt's drag and
"Shift timeframe" obey the same rules. Schedule changes of one project are serialised on the project's row.
"""

from __future__ import annotations

import datetime
from collections import defaultdict, deque
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
    values = {"duration_hours": calendar().working_hours_between(obj.start_date, obj.due_date)}
    if previous is None or "parent" in previous:
        values["position"] = _next_position(obj)
    update_record_fields(obj, values, bump_version=False)
    result = ScheduleResult()
    if previous is None or "start_date" in previous or "due_date" in previous:
        result = propagate(project=project, changed={obj.pk: obj})
    obj.schedule = result


def _next_position(task: ProjectTask) -> int:
    siblings = ProjectTask.objects.filter(project_id=task.project_id, parent_id=task.parent_id).exclude(pk=task.pk)
    return (siblings.aggregate(last=Max("position"))["last"] or 0) + 1


def propagate(*, project: Project, changed: dict[int, ProjectTask], after_predecessors: bool = True) -> ScheduleResult:
    """Push the successors of the `changed` tasks (already saved with their new dates) as their dependencies
    require, and save them; refuse (`after_predecessors`) a changed task that would start before one of its
    predecessors has finished. The caller holds the project's row lock."""
    links = list(
        TaskDependency.objects.filter(predecessor__project=project).only("predecessor_id", "successor_id", "lag_days")
    )
    if any(link.predecessor_id in changed or link.successor_id in changed for link in links):
        tasks = ProjectTask.objects.filter(project=project)
    else:  # no dependency touches the changed tasks: only their own deadlines are checked
        tasks = ProjectTask.objects.none()
    tasks = {
        task.pk: task
        for task in tasks.only("pk", "name", "start_date", "due_date", "deadline", "version", "project_id")
    }
    tasks.update(changed)
    successors = defaultdict(list)
    for link in links:
        successors[link.predecessor_id].append(link)
    pushed: dict[int, ProjectTask] = {}
    queue = deque(changed)
    steps = 0
    while queue:
        steps += 1
        if steps > 10 * len(tasks) + 10:  # only a cycle loops: dependencies are checked for cycles when added
            raise ValidationError("The dependencies of this project form a cycle.")
        predecessor = tasks[queue.popleft()]
        for link in successors[predecessor.pk]:
            successor = tasks[link.successor_id]
            earliest = link.earliest_start(predecessor.due_date)
            if successor.start_date >= earliest:
                continue
            shift = earliest - successor.start_date
            successor.start_date += shift
            successor.due_date += shift
            pushed[successor.pk] = successor
            queue.append(successor.pk)
    pushed = {pk: task for pk, task in pushed.items() if pk not in changed}
    if after_predecessors:
        _refuse_start_before_predecessors(tasks, changed, links)
    for task in [*changed.values(), *pushed.values()]:
        if project.due_date and task.due_date > project.due_date:
            days = (task.due_date - project.due_date).days
            cause = "" if task.pk in changed else " by its dependencies"
            raise ValidationError(
                f"“{task.name}” would be pushed{cause} to end on {short_date(task.due_date)}, {days} day(s) after the "
                f"project's due date ({short_date(project.due_date)})."
            )
    hours = calendar()
    for task in pushed.values():
        task.duration_hours = hours.working_hours_between(task.start_date, task.due_date)
        task.version += 1
    ProjectTask.objects.bulk_update(
        list(pushed.values()), ["start_date", "due_date", "duration_hours", "version"], batch_size=500
    )
    messages = [
        f"“{task.name}” now ends on {short_date(task.due_date)}, {(task.due_date - task.deadline).days} day(s) "
        f"after its deadline ({short_date(task.deadline)})."
        for task in [*changed.values(), *pushed.values()]
        if task.deadline and task.due_date > task.deadline
    ]
    if project.deadline:
        late = [task for task in [*changed.values(), *pushed.values()] if task.due_date > project.deadline]
        for task in late:
            days = (task.due_date - project.deadline).days
            messages.append(
                f"“{task.name}” ends {days} day(s) after the project's deadline ({short_date(project.deadline)})."
            )
    return ScheduleResult(moved=list(pushed.values()), messages=messages)


def _refuse_start_before_predecessors(tasks: dict[int, ProjectTask], changed: dict, links: list) -> None:
    """A task moved by hand (the form, the Gantt, "Shift timeframe", the API) may not start before a predecessor
    has finished: only successors are pushed, so the move is refused, naming the predecessor and its end. Tasks
    moved together (a shifted subtree) are compared at their new dates."""
    for link in links:
        task = changed.get(link.successor_id)
        if task is None:
            continue
        predecessor = tasks[link.predecessor_id]
        earliest = link.earliest_start(predecessor.due_date)
        if task.start_date < earliest:
            lag = f" (and a lag of {link.lag_days} day(s) follows)" if link.lag_days else ""
            raise ValidationError(
                {
                    "start_date": f"“{task.name}” cannot start on {short_date(task.start_date)}: its predecessor "
                    f"“{predecessor.name}” ends on {short_date(predecessor.due_date)}{lag}, so it can start on "
                    f"{short_date(earliest)} at "
                    "the earliest."
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
        moved = {
            row.pk: row
            for row in ProjectTask.objects.filter(pk__in=subtree).only(
                "pk", "name", "start_date", "due_date", "deadline", "version", "project_id"
            )
        }
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
        if _reaches(links, start=successor.pk, target=predecessor.pk):
            raise ValidationError(
                {"predecessor": f"“{predecessor}” already depends on “{successor}”: the dependency would make a cycle."}
            )
        if predecessor.pk in subtree_ids(project_id=project.pk, root_id=successor.pk) or successor.pk in subtree_ids(
            project_id=project.pk, root_id=predecessor.pk
        ):
            raise ValidationError({"predecessor": "A task cannot depend on its own parent or subtask."})
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


def _reaches(links, *, start: int, target: int) -> bool:
    successors = defaultdict(list)
    for predecessor_id, successor_id in links.values_list("predecessor_id", "successor_id"):
        successors[predecessor_id].append(successor_id)
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

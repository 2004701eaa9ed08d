"""Logged work: time entries and completed activities become the actual hours of the task, of the resource who
did them and of the project, in the transaction that saves them; the planned hours are the resources'.

Totals are changed by increments in SQL (`F() + hours`), so two people logging time on one task at once both
count; one person's day is checked against 24 hours under a lock on that person's row.
"""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Q, Sum

from crm import access

from ..models import MAX_HOURS_PER_DAY, Project, ProjectTask, Resource, TimeEntry
from .projects import refresh_completion

HOUR = Decimal("0.01")
#: the fields of an activity whose change can change the hours it adds to a task
ACTIVITY_FIELDS = frozenset({"status", "start", "due", "duration", "owner", "connected_id", "connected_type"})


def parse_hours(raw) -> Decimal:
    """Hours as typed ("1.5", "1,5", "" for none)."""
    text = str(raw if raw is not None else "").strip().replace(",", ".")
    if not text:
        return Decimal("0")
    try:
        hours = Decimal(text)
    except InvalidOperation:
        raise ValidationError({"hours": f"“{raw}” is not a number of hours."})
    if not hours.is_finite():
        raise ValidationError({"hours": f"“{raw}” is not a number of hours."})
    return hours.quantize(HOUR)


def _check_hours(hours: Decimal, *, allow_zero: bool = False) -> None:
    if hours < 0:
        raise ValidationError({"hours": "Hours cannot be negative."})
    if hours == 0 and not allow_zero:
        raise ValidationError({"hours": "Log at least a few minutes."})
    if hours > MAX_HOURS_PER_DAY:
        raise ValidationError({"hours": f"{hours} hours is more than a day has ({MAX_HOURS_PER_DAY})."})


def _lock_for_logging(*, user, task: ProjectTask, day: datetime.date) -> ProjectTask:
    """Authorise, then lock the person's row (one day's total at a time) and read the task and its project."""
    if not access.can(user, "edit", task):
        raise PermissionDenied("You may not log time on this task.")
    get_user_model().objects.select_for_update().filter(pk=user.pk).first()
    current = ProjectTask.objects.select_related("project").get(pk=task.pk)
    if current.project.status == Project.Status.COMPLETED:
        raise ValidationError(f"The project “{current.project}” is completed: no more time can be logged on it.")
    if current.status == ProjectTask.Status.CANCELLED:
        raise ValidationError(f"The task “{current}” is cancelled: no time can be logged on it.")
    return current


def _check_day_total(*, user, day: datetime.date, adding: Decimal, excluding: Q | None = None) -> None:
    entries = TimeEntry.objects.filter(user=user, day=day)
    if excluding is not None:
        entries = entries.exclude(excluding)
    logged = entries.aggregate(total=Sum("hours"))["total"] or Decimal("0")
    if logged + adding > MAX_HOURS_PER_DAY:
        raise ValidationError(
            {"hours": f"That makes {logged + adding} hours on {day}: nobody works more than 24 hours in a day."}
        )


def log_time(*, user, task: ProjectTask, day: datetime.date, hours, note: str = "") -> TimeEntry:
    """Log `hours` the user worked on `task` on `day`; the task's, the resource's and the project's actual hours
    grow with it in the same transaction."""
    hours = hours if isinstance(hours, Decimal) else parse_hours(hours)
    _check_hours(hours)
    with transaction.atomic():
        current = _lock_for_logging(user=user, task=task, day=day)
        _check_day_total(user=user, day=day, adding=hours)
        entry = TimeEntry(user=user, task=current, day=day, hours=hours, note=note.strip()[:500])
        entry.clean_fields(exclude=["user", "task"])  # both just read: no query to check they exist
        entry.save()
        add_actual_hours(task=current, user_id=user.pk, hours=hours, automatic=current.project.completion_automatic)
    return entry


def set_day_hours(*, user, task: ProjectTask, day: datetime.date, hours) -> Decimal:
    """The timesheet's cell: what the user worked on `task` on `day` becomes `hours` (0 removes it). Returns the
    change."""
    hours = hours if isinstance(hours, Decimal) else parse_hours(hours)
    _check_hours(hours, allow_zero=True)
    with transaction.atomic():
        current = _lock_for_logging(user=user, task=task, day=day)
        cell = TimeEntry.objects.filter(user=user, task=current, day=day)
        before = cell.aggregate(total=Sum("hours"))["total"] or Decimal("0")
        if before == hours:
            return Decimal("0")
        _check_day_total(user=user, day=day, adding=hours, excluding=Q(task=current))
        cell.delete()
        if hours:
            TimeEntry.objects.create(user=user, task=current, day=day, hours=hours)
        add_actual_hours(task=current, user_id=user.pk, hours=hours - before)
    return hours - before


def delete_entry(*, user, entry: TimeEntry) -> None:
    """Remove one's own entry; the totals shrink with it."""
    if entry.user_id != user.pk:
        raise PermissionDenied("Only who logged the time can remove it.")
    with transaction.atomic():
        current = _lock_for_logging(user=user, task=entry.task, day=entry.day)
        deleted, _ = TimeEntry.objects.filter(pk=entry.pk).delete()
        if deleted:
            add_actual_hours(task=current, user_id=user.pk, hours=-entry.hours)


def add_actual_hours(*, task: ProjectTask, user_id: int | None, hours: Decimal, automatic: bool = True) -> None:
    """Add `hours` (negative: remove) to the task, to the resource of the person who worked them and to the
    project, as increments in SQL; a project that calculates its completion (`automatic`) follows."""
    if not hours:
        return
    ProjectTask.objects.filter(pk=task.pk).update(actual_hours=F("actual_hours") + hours)
    if user_id is not None:
        Resource.objects.filter(task_id=task.pk, contact__user_id=user_id).update(
            actual_hours=F("actual_hours") + hours
        )
    Project.objects.filter(pk=task.project_id).update(actual_hours=F("actual_hours") + hours)
    if automatic:
        refresh_completion(task.project_id)


# --- planned hours: the resources' -------------------------------------------------------------------------------


def resources_changed(*, user, record: ProjectTask) -> None:
    """The Resources detail's after_write: the task's and the project's planned hours are the resources' sums,
    and a resource added after its person logged time gets their hours."""
    recount_task(record)


def recount_task(task: ProjectTask) -> None:
    """Recount a task's planned hours and its resources' actual hours from the rows, then the project's."""
    for resource in Resource.objects.filter(task=task).select_related("contact"):
        user_id = resource.contact.user_id if resource.contact_id else None
        actual = Decimal("0")
        if user_id is not None:
            actual = TimeEntry.objects.filter(task=task, user_id=user_id).aggregate(total=Sum("hours"))["total"] or 0
            actual += _activity_hours(task, owner_id=user_id)
        if resource.actual_hours != actual:
            Resource.objects.filter(pk=resource.pk).update(actual_hours=actual)
    planned = Resource.objects.filter(task=task).aggregate(total=Sum("planned_hours"))["total"] or Decimal("0")
    ProjectTask.objects.filter(pk=task.pk).update(planned_hours=planned)
    recount_project(task.project_id)


def recount_project(project_id: int) -> None:
    totals = ProjectTask.objects.filter(project_id=project_id).aggregate(
        planned=Sum("planned_hours"), actual=Sum("actual_hours")
    )
    Project.objects.filter(pk=project_id).update(
        planned_hours=totals["planned"] or 0, actual_hours=totals["actual"] or 0
    )
    refresh_completion(project_id)


# --- completed activities -----------------------------------------------------------------------------------------


def _task_type() -> ContentType:
    return ContentType.objects.get_for_model(ProjectTask)


def _activity_hours(task: ProjectTask, owner_id: int | None = None) -> Decimal:
    from activities.models import Activity

    activities = Activity.objects.filter(
        connected_type=_task_type(), connected_id=task.pk, status=Activity.Status.COMPLETED
    )
    if owner_id is not None:
        activities = activities.filter(owner_id=owner_id)
    minutes = activities.aggregate(total=Sum("duration"))["total"] or 0
    return (Decimal(minutes) / 60).quantize(HOUR)


def activity_saved(*, user, obj, previous: dict | None) -> None:
    """Chained to the activities section's after_save: an activity connected to a project task counts, once
    completed, with its actual duration; reopened, moved or reconnected, the hours follow."""
    task_type = _task_type()
    task_ids = set()
    if obj.connected_type_id == task_type.pk and obj.connected_id:
        task_ids.add(obj.connected_id)
    if previous and ("connected_id" in previous or "connected_type" in previous):
        old_type = previous.get("connected_type", obj.connected_type_id)
        old_type = getattr(old_type, "pk", old_type)
        old_id = previous.get("connected_id", obj.connected_id)
        if old_type == task_type.pk and old_id:
            task_ids.add(old_id)
    if not task_ids:
        return
    relevant = previous is None or ACTIVITY_FIELDS & set(previous)
    if not relevant:
        return
    for task in ProjectTask.objects.select_for_update().filter(pk__in=sorted(task_ids)):
        hours = _activity_hours(task)
        delta = hours - task.activity_hours
        if delta:
            ProjectTask.objects.filter(pk=task.pk).update(activity_hours=hours, actual_hours=F("actual_hours") + delta)
            Project.objects.filter(pk=task.project_id).update(actual_hours=F("actual_hours") + delta)
        recount_task(task)

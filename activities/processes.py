"""Process tasks: the activities a section's business process creates (the lead handoff task, the tasks of an
opportunity stage), and the outcomes that move the process on.

A section declares its tasks once (in its AppConfig.ready):

    register_task(ProcessTask(
        key="leads.handoff",
        title="Contact the customer and specify the need, budget and decision makers",
        outcomes=(Outcome("proceed", "Proceed to handoff", form_class=HandoffForm), Outcome("later", "Rescheduled")),
        on_outcome=leads.services.handoff_outcome,   # on_outcome(*, user, record, activity, outcome, data)
    ))

and its services call `start(...)` and `cancel_open(...)`. The record page's action panel lists the open process
tasks connected to the record with one button per outcome; `complete(...)` closes the task with the outcome and
runs the section's `on_outcome` in the same transaction, so a refused outcome leaves the task open.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django import forms
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from crm import access

from .models import Activity


@dataclass(frozen=True)
class Outcome:
    """A result button of a process task; `form_class` asks for more (notes, dates) before it is applied."""

    code: str
    label: str
    form_class: type[forms.Form] | None = None
    style: str = "outline-primary"


@dataclass(frozen=True)
class ProcessTask:
    key: str
    title: str
    outcomes: Sequence[Outcome] = (Outcome("done", "Done", style="success"),)
    on_outcome: Callable | None = None
    type: str = Activity.Type.TASK
    notes: str = ""

    def outcome(self, code: str) -> Outcome | None:
        return next((o for o in self.outcomes if o.code == code), None)


_tasks: dict[str, ProcessTask] = {}


def register_task(task: ProcessTask) -> ProcessTask:
    _tasks[task.key] = task
    return task


def get_task(key: str) -> ProcessTask | None:
    return _tasks.get(key)


def _connected(record):
    return Activity.objects.filter(
        connected_type=ContentType.objects.get_for_model(record), connected_id=record.pk
    ).process_tasks()


def start(
    *,
    user,
    record,
    key: str,
    owner=None,
    due: datetime.datetime | None = None,
    title: str = "",
    notes: str = "",
    extra: dict | None = None,
) -> Activity:
    """Create the process task `key` connected to `record`, owned by `owner` (default: the record's owner).

    The process creates its own tasks: the user moving the process on need not be allowed to create activities
    themselves, so the row is written directly (the change log and default participants still follow)."""
    from crm.sections.services import ChangeLogEntry, log_change

    from .selectors import connection_fields

    task = _tasks[key]
    start_at = timezone.now().replace(second=0, microsecond=0)
    owner = owner or getattr(record, "owner", None) or user
    activity = Activity(
        title=(title or task.title)[:500],
        type=task.type,
        owner=owner,
        created_by=user,
        modified_by=user,
        start=start_at,
        due=max(due or start_at + datetime.timedelta(days=1), start_at),
        notes=notes or task.notes,
        process_task=key,
        **{**connection_fields(record), **(extra or {})},
    )
    activity.full_clean(exclude=["owner", "created_by", "modified_by"])
    activity.save()
    access.record_created(user=user, obj=activity)
    log_change(obj=activity, user=user, action=ChangeLogEntry.Action.CREATE, changes=[])
    return activity


def cancel_open(*, user, record, prefix: str = "") -> int:
    """Cancel the open process tasks of `record` whose key starts with `prefix`; tasks made by hand stay."""
    tasks = _connected(record).open()
    if prefix:
        tasks = tasks.filter(process_task__startswith=prefix)
    return tasks.update(status=Activity.Status.CANCELED, modified_by=user, modified_at=timezone.now())


def close_open(*, user, record, key: str, result: str) -> int:
    """Complete the open process tasks `key` of `record` whose work was done elsewhere (the order a won deal's task
    asks for was created), with `result` as their result. The process closes them: no right to edit is asked."""
    return (
        _connected(record)
        .open()
        .filter(process_task=key)
        .update(status=Activity.Status.COMPLETED, result_details=result, modified_by=user, modified_at=timezone.now())
    )


def open_tasks(record) -> list[Activity]:
    """The open process tasks of `record`, oldest first, with their declarations (`activity.declaration`)."""
    result = []
    for activity in _connected(record).open().select_related("owner").order_by("start", "pk"):
        activity.declaration = _tasks.get(activity.process_task)
        if activity.declaration is not None:
            result.append(activity)
    return result


def complete(*, user, activity: Activity, outcome: str, data: dict | None = None) -> Activity:
    """Close the process task with `outcome` and run what the process does for it, in one transaction.

    The user must be allowed to edit the record the task belongs to. A task closed meanwhile (two clicks, two
    users) is refused: the outcome runs once."""
    task = _tasks.get(activity.process_task)
    if task is None or task.outcome(outcome) is None:
        raise ValidationError("This is not an outcome of the task.")
    record = activity.connected
    if record is None or not access.can(user, "edit", record):
        raise PermissionDenied("You may not move this record's process on.")
    with transaction.atomic():
        locked = Activity.objects.select_for_update().get(pk=activity.pk)
        if locked.is_final:
            raise ValidationError(f"“{locked.title}” is already {locked.get_status_display().lower()}.")
        chosen = task.outcome(outcome)
        Activity.objects.filter(pk=locked.pk).update(
            status=Activity.Status.COMPLETED,
            result_details=chosen.label,
            modified_by=user,
            modified_at=timezone.now(),
            version=locked.version + 1,
        )
        if task.on_outcome is not None:
            task.on_outcome(user=user, record=record, activity=locked, outcome=outcome, data=data or {})
    locked.refresh_from_db()
    return locked


# --- the action panel ------------------------------------------------------------------------------------------


def action_panel():
    """The record page's panel of open process tasks with their outcome buttons (a `Card` for Section.panels)."""
    from crm.sections.details import Card

    def context(user, record) -> dict | None:
        tasks = open_tasks(record)
        if not tasks:
            return None
        return {"tasks": tasks, "can_edit": access.can(user, "edit", record)}

    return Card("activities/_action_panel.html", context)


def task_for_outcome(user, pk: int) -> Activity:
    """A process task whose record the user may edit; anything else is the same 404."""
    from django.http import Http404

    activity = Activity.objects.process_tasks().filter(pk=pk).first()
    record = activity.connected if activity is not None else None
    if record is None or not access.can(user, "edit", record):
        raise Http404("No such task.")
    activity.declaration = _tasks.get(activity.process_task)
    if activity.declaration is None:
        raise Http404("No such task.")
    return activity

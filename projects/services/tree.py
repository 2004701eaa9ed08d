"""The project's task tree: add a root task or a subtask, reorder siblings, move a task under another parent.

A task is created and re-parented by the section services (so through the model's checks: the same project, no
cycle, inside the project's dates); the order among siblings is the tree's own.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from crm import access
from crm.sections import services as section_services

from ..models import Project, ProjectTask
from .schedule import section

#: a task without dates asked lasts this long
DEFAULT_DAYS = 5


def add_task(
    *, user, project: Project, name: str, parent: ProjectTask | None = None, data: dict | None = None
) -> ProjectTask:
    """A new task at the end of its siblings: dated like its parent (or from the project's start) unless told."""
    if not access.can(user, "edit", project):
        raise PermissionDenied("You may not change this project's structure.")
    if parent is not None and parent.project_id != project.pk:
        raise ValidationError({"parent": "The parent must be a task of the same project."})
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": "Name the task."})
    values = dict(data or {})
    start = values.get("start_date") or (parent.start_date if parent else max(project.start_date, timezone.localdate()))
    if project.due_date and start > project.due_date:
        start = project.start_date
    due = values.get("due_date") or start + datetime.timedelta(days=DEFAULT_DAYS - 1)
    if project.due_date and due > project.due_date and not values.get("due_date"):
        due = max(start, project.due_date)
    values.update(project=project, parent=parent, name=name[:250], start_date=start, due_date=due)
    values.setdefault("owner", user)
    return section_services.create_record(section=section(), user=user, data=values)


def move(*, user, task: ProjectTask, direction: str) -> ProjectTask:
    """Move a task one place up or down among its siblings."""
    if direction not in ("up", "down"):
        raise ValidationError("Move a task up or down.")
    if not access.can(user, "edit", task):
        raise PermissionDenied("You may not change this task.")
    with transaction.atomic():
        Project.objects.select_for_update().filter(pk=task.project_id).first()
        siblings = list(
            ProjectTask.objects.filter(project_id=task.project_id, parent_id=task.parent_id)
            .order_by("position", "pk")
            .only("pk", "position")
        )
        index = next(i for i, sibling in enumerate(siblings) if sibling.pk == task.pk)
        other = index - 1 if direction == "up" else index + 1
        if 0 <= other < len(siblings):
            siblings[index], siblings[other] = siblings[other], siblings[index]
        changed = []
        for position, sibling in enumerate(siblings, start=1):
            if sibling.position != position:
                sibling.position = position
                changed.append(sibling)
        ProjectTask.objects.bulk_update(changed, ["position"])
    task.position = next(s.position for s in siblings if s.pk == task.pk)
    return task


def move_to_parent(*, user, task: ProjectTask, parent: ProjectTask | None, expected_version: int) -> ProjectTask:
    """Put a task (with its subtasks) under another parent, or make it a root task: the same save as the
    form's, so a cycle or another project's parent is refused with the reason."""
    if parent is not None and parent.project_id != task.project_id:
        raise ValidationError({"parent": "The parent must be a task of the same project."})
    return section_services.update_record(
        section=section(), user=user, obj=task, data={"parent": parent}, expected_version=expected_version
    )

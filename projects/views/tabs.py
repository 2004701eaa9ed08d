"""The record tabs of a project (Structure, Resources, Financial indicators) and of a task (Time), and the htmx
actions that answer with the tab they changed."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from crm import access
from crm.sections.services import StaleRecordError

from .. import selectors
from ..models import CashFlow, CashFlowCategory, ProjectTask, TimeEntry
from ..services import projects as project_services
from ..services import tree, work
from .common import get_project, get_task, reason

#: up to this many tasks, the Structure tab lists them as choices (the parent of a new task, the task worked on)
MAX_CHOICES = 300
#: a big tree is shown this many rows at a time (the hours of each row still add up its whole subtree)
ROWS_SHOWN = 200


def _parse_day(raw: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat((raw or "").strip())
    except ValueError:
        raise ValidationError({"day": "Give the day as a date."})


def _log_posted_time(request, task: ProjectTask) -> TimeEntry:
    """A time entry as a form posts it (day, hours, note), from the project's Structure or the task's Time tab."""
    return work.log_time(
        user=request.user,
        task=task,
        day=_parse_day(request.POST.get("day", "")),
        hours=request.POST.get("hours", ""),
        note=request.POST.get("note", ""),
    )


# --- Structure ------------------------------------------------------------------------------------------------------


def structure_tab(request, section, project, *, error: str = "", message: str = ""):
    rows = selectors.task_tree(request.user, project)
    raw = request.GET.get("shown", "")
    shown = min(max(int(raw), ROWS_SHOWN), 100_000) if raw.isdigit() else ROWS_SHOWN
    context = {
        "object": project,
        "rows": rows[:shown],
        "more": len(rows) - shown if len(rows) > shown else 0,
        "shown_next": shown + ROWS_SHOWN,
        # a big tree is not repeated in lists of choices: its rows' buttons choose
        "choices": len(rows) <= MAX_CHOICES,
        "tab_url": reverse("projects:tab", args=[project.pk, "project_tasks"]),
        "can_edit": access.can(request.user, "edit", project) and not project.is_completed,
        "can_log": not project.is_completed,
        "error": error,
        "message": message,
        "today": timezone.localdate(),
    }
    return render(request, "projects/_structure.html", context)


def _structure_after(request, project, action):
    try:
        message = action() or ""
    except StaleRecordError:
        return structure_tab(request, None, project, error="Someone changed the task meanwhile: try again.")
    except (ValidationError, PermissionDenied) as error:
        return structure_tab(request, None, project, error=reason(error))
    project.refresh_from_db()
    return structure_tab(request, None, project, message=message)


@require_POST
def add_task(request, pk: int):
    project = get_project(request.user, pk, "edit")
    raw_parent = request.POST.get("parent", "")
    parent = get_task(request.user, int(raw_parent)) if raw_parent.isdigit() else None

    def action():
        task = tree.add_task(user=request.user, project=project, name=request.POST.get("name", ""), parent=parent)
        return f"“{task}” added."

    return _structure_after(request, project, action)


@require_POST
def move_task(request, pk: int):
    task = get_task(request.user, pk, "edit")

    def action():
        tree.move(user=request.user, task=task, direction=request.POST.get("direction", ""))

    return _structure_after(request, task.project, action)


@require_POST
def reparent_task(request, pk: int):
    task = get_task(request.user, pk, "edit")
    raw_parent = request.POST.get("parent", "")
    parent = get_task(request.user, int(raw_parent)) if raw_parent.isdigit() else None
    version = int(request.POST.get("version") or 0)

    def action():
        moved = tree.move_to_parent(user=request.user, task=task, parent=parent, expected_version=version)
        return f"“{moved}” moved {'under “' + str(parent) + '”' if parent else 'to the top level'}."

    return _structure_after(request, task.project, action)


@require_POST
def log_project_time(request, pk: int):
    project = get_project(request.user, pk)
    raw_task = request.POST.get("task", "")
    if not raw_task.isdigit():
        return structure_tab(request, None, project, error="Choose the task you worked on.")
    task = get_task(request.user, int(raw_task))
    if task.project_id != project.pk:
        raise Http404("No such task.")

    def action():
        entry = _log_posted_time(request, task)
        return f"{entry.hours} h logged on “{task}”."

    return _structure_after(request, project, action)


# --- Resources and Financial indicators -------------------------------------------------------------------------


def resources_tab(request, section, project):
    rows = selectors.project_resources(project)
    return render(request, "projects/_resources.html", {"object": project, "rows": rows})


def financial_tab(request, section, project, *, error: str = ""):
    figures = selectors.financials([project])[project.pk]
    context = {
        "object": project,
        "figures": figures,
        "flows": project.cash_flows.select_related("category"),
        "categories": CashFlowCategory.objects.active(),
        "directions": CashFlow.Direction.choices,
        "statuses": CashFlow.Status.choices,
        "can_edit": access.can(request.user, "edit", project),
        "error": error,
        "today": timezone.localdate(),
    }
    return render(request, "projects/_financial.html", context)


@require_POST
def add_cash_flow(request, pk: int):
    project = get_project(request.user, pk, "edit")
    category = CashFlowCategory.objects.filter(pk=request.POST.get("category") or 0).first()
    try:
        project_services.add_cash_flow(
            user=request.user,
            project=project,
            data={
                "direction": request.POST.get("direction", ""),
                "status": request.POST.get("status", ""),
                "date": _parse_day(request.POST.get("date", "")),
                "purpose": request.POST.get("purpose", "").strip()[:250],
                "amount": work.parse_hours(request.POST.get("amount", "")),
                "category": category,
            },
        )
    except (ValidationError, PermissionDenied) as error:
        return financial_tab(request, None, project, error=reason(error))
    return financial_tab(request, None, project)


@require_POST
def delete_cash_flow(request, pk: int):
    flow = get_object_or_404(CashFlow.objects.select_related("project"), pk=pk)
    project = get_project(request.user, flow.project_id, "edit")
    try:
        project_services.delete_cash_flow(user=request.user, flow=flow)
    except PermissionDenied as error:
        return financial_tab(request, None, project, error=reason(error))
    return financial_tab(request, None, project)


# --- a task's Time tab ---------------------------------------------------------------------------------------------


def time_tab(request, section, task: ProjectTask, *, error: str = "", message: str = ""):
    entries = task.time_entries.select_related("user")[:100]
    context = {
        "object": task,
        "entries": entries,
        "error": error,
        "message": message,
        "today": timezone.localdate(),
        "can_log": access.can(request.user, "edit", task) and not task.project.is_completed,
    }
    return render(request, "projects/_task_time.html", context)


@require_POST
def log_task_time(request, pk: int):
    task = get_task(request.user, pk)
    try:
        entry = _log_posted_time(request, task)
    except (ValidationError, PermissionDenied) as error:
        return time_tab(request, None, task, error=reason(error))
    task.refresh_from_db()
    return time_tab(request, None, task, message=f"{entry.hours} h logged.")


@require_POST
def delete_time_entry(request, pk: int):
    entry = get_object_or_404(TimeEntry, pk=pk, user=request.user)
    task = get_task(request.user, entry.task_id)
    try:
        work.delete_entry(user=request.user, entry=entry)
    except (ValidationError, PermissionDenied) as error:
        return time_tab(request, None, task, error=reason(error))
    return time_tab(request, None, task, message="Entry removed.")

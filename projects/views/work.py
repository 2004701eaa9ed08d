"""The weekly timesheet: the user's tasks by seven days; a changed cell is saved through the same service as a
time entry from the task (so the same refusals, each said next to its cell)."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from crm import access
from crm.sections import registry

from .. import selectors
from ..services import work
from .common import reason


def _week(raw: str) -> datetime.date:
    try:
        day = datetime.date.fromisoformat(raw) if raw else timezone.localdate()
    except ValueError:
        day = timezone.localdate()
    return selectors.week_of(day)


def timesheet(request):
    if not access.can(request.user, "read", registry.get("projects")):
        raise Http404("No such page.")
    monday = _week(request.GET.get("week") or request.POST.get("week", ""))
    errors: dict[str, str] = {}
    if request.method == "POST":
        rows = {row.task.pk: row for row in selectors.timesheet(request.user, monday)}
        saved = 0
        for key, raw in request.POST.items():
            if not key.startswith("h-"):
                continue
            _, task_id, offset = key.split("-", 2) if key.count("-") == 2 else ("", "", "")
            row = rows.get(int(task_id)) if task_id.isdigit() else None
            if row is None or not offset.isdigit() or int(offset) > 6:
                continue
            day = monday + datetime.timedelta(days=int(offset))
            try:
                hours = work.parse_hours(raw)
                if hours != row.cells[int(offset)]:
                    work.set_day_hours(user=request.user, task=row.task, day=day, hours=hours)
                    saved += 1
            except (ValidationError, PermissionDenied) as error:
                errors[key] = f"{row.task} on {day:%a %d %b}: {reason(error)}"
        if not errors:
            messages.success(request, f"Timesheet saved ({saved} change{'s' if saved != 1 else ''}).")
            return redirect(f"{reverse('projects:timesheet')}?week={monday.isoformat()}")
    rows = selectors.timesheet(request.user, monday)
    days = [monday + datetime.timedelta(days=offset) for offset in range(7)]
    totals = [sum((row.cells[i] for row in rows), start=selectors.ZERO) for i in range(7)]
    context = {
        "rows": rows,
        "days": days,
        "totals": totals,
        "week_total": sum(totals, start=selectors.ZERO),
        "monday": monday,
        "previous": monday - datetime.timedelta(days=7),
        "next": monday + datetime.timedelta(days=7),
        "errors": errors,
        "posted": request.POST if errors else {},
        "today": timezone.localdate(),
    }
    return render(request, "projects/timesheet.html", context)

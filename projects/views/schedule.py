"""The Gantt chart (one project, or the projects the list's filters select), its data, a task's drag, and
"Shift timeframe"."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from crm import access
from crm.sections import registry
from crm.sections.selectors import ListQuery
from crm.sections.services import StaleRecordError

from ..gantt import gantt_data
from ..models import ProjectTask
from ..services import schedule
from .common import get_project, get_task, reason

#: the Gantt over several projects draws at most this many
MAX_PROJECTS = 50


def _section(user):
    section = registry.get("projects")
    if not access.can(user, "read", section):
        raise Http404("No such page.")
    return section


def _filtered_projects(request) -> list:
    section = _section(request.user)
    params = request.GET.copy()
    params.pop("zoom", None)
    return list(ListQuery(section, request.user, params).queryset()[:MAX_PROJECTS])


def gantt(request, pk: int):
    project = get_project(request.user, pk)
    context = {"object": project, "data_url": reverse("projects:gantt_data", args=[project.pk]), "projects": [project]}
    return render(request, "projects/gantt.html", context)


def gantt_data_view(request, pk: int):
    project = get_project(request.user, pk)
    return JsonResponse(gantt_data(request.user, [project]))


def gantt_list(request):
    projects = _filtered_projects(request)
    query = request.GET.urlencode()
    context = {
        "object": None,
        "projects": projects,
        "data_url": reverse("projects:gantt_list_data") + (f"?{query}" if query else ""),
        "list_query": query,
        "limit": MAX_PROJECTS,
    }
    return render(request, "projects/gantt.html", context)


def gantt_list_data(request):
    return JsonResponse(gantt_data(request.user, _filtered_projects(request)))


def _date(raw: str, name: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(raw or "")
    except ValueError:
        raise ValidationError({name: "Give a date."})


def _moved(tasks) -> list[dict]:
    return [
        {"id": t.pk, "start": t.start_date.isoformat(), "due": t.due_date.isoformat(), "version": t.version}
        for t in tasks
    ]


@require_POST
def reschedule(request, pk: int):
    """A bar dragged (moved), its end dragged (the due date), or a summary bar moved by `shift` days (the task
    with its subtree, through "Shift timeframe"): the same services as the forms'. Answers the tasks that moved
    with their new versions, or why not (409 when stale: the bar snaps back)."""
    task = get_task(request.user, pk, "edit")
    try:
        version = int(request.POST.get("version", ""))
        if "shift" in request.POST:
            result = schedule.shift(
                user=request.user, task=task, days=int(request.POST["shift"]), expected_version=version
            )
            # versions were raised in SQL: read what the chart needs afresh
            fields = ("pk", "start_date", "due_date", "version")
            moved = list(ProjectTask.objects.filter(pk__in=[t.pk for t in result.moved]).only(*fields))
        else:
            saved, result = schedule.reschedule(
                user=request.user,
                task=task,
                start=_date(request.POST.get("start", ""), "start"),
                due=_date(request.POST.get("due", ""), "due"),
                expected_version=version,
            )
            moved = [saved, *result.moved]
    except StaleRecordError:
        return JsonResponse(
            {"ok": False, "message": "Someone changed this task meanwhile: the chart shows it as it is now."},
            status=409,
        )
    except ValueError:
        return JsonResponse({"ok": False, "message": "The move could not be read."}, status=400)
    except (ValidationError, PermissionDenied) as error:
        return JsonResponse({"ok": False, "message": reason(error)}, status=400)
    # the task itself first: the chart tells how many others followed it
    moved.sort(key=lambda t: t.pk != task.pk)
    return JsonResponse({"ok": True, "tasks": _moved(moved), "messages": result.messages})


def shift(request, pk: int):
    task = get_task(request.user, pk, "edit")
    if request.method == "POST":
        try:
            days = int(request.POST.get("days", "0") or 0)
            if request.POST.get("direction") == "back":
                days = -days
            result = schedule.shift(user=request.user, task=task, days=days)
        except ValueError:
            messages.error(request, "Give the number of days.")
        except (ValidationError, PermissionDenied) as error:
            messages.error(request, reason(error))
        else:
            messages.success(request, f"“{task}” and {len(result.moved) - 1} other task(s) moved.")
            for text in result.messages:
                messages.warning(request, text)
            return redirect(task.get_absolute_url())
    return render(request, "projects/task_shift.html", {"object": task})

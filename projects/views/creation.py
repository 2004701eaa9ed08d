"""Pages that make a project: from a won opportunity, from an order, or as a copy of another project."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone

from crm import access
from crm.sections import registry

from ..services import creation
from .common import get_project, reason


def _may_create(user) -> None:
    if not access.can(user, "create", registry.get("projects")):
        raise Http404("No such page.")


def _create(request, source, kind: str, make):
    if request.method == "POST":
        try:
            project = make()
        except (ValidationError, PermissionDenied) as error:
            messages.error(request, reason(error))
        else:
            messages.success(request, f"Project “{project}” created from {kind} “{source}”.")
            return redirect(project.get_absolute_url())
    lines = list(source.lines.select_related("product").order_by("position", "pk"))
    return render(request, "projects/project_from.html", {"source": source, "kind": kind, "lines": lines})


def from_opportunity(request, opportunity: int):
    _may_create(request.user)
    found = access.get_object_or_404(request.user, registry.get("opportunities").get_queryset(), pk=opportunity)
    return _create(
        request, found, "opportunity", lambda: creation.create_from_opportunity(user=request.user, opportunity=found)
    )


def from_order(request, order: int):
    _may_create(request.user)
    found = access.get_object_or_404(request.user, registry.get("orders").get_queryset(), pk=order)
    return _create(request, found, "order", lambda: creation.create_from_order(user=request.user, order=found))


def copy(request, pk: int):
    _may_create(request.user)
    project = get_project(request.user, pk)
    if request.method == "POST":
        try:
            start = datetime.date.fromisoformat(request.POST.get("start", ""))
            made = creation.copy_project(
                user=request.user, project=project, start=start, name=request.POST.get("name", "")
            )
        except ValueError:
            messages.error(request, "Give the new start date.")
        except (ValidationError, PermissionDenied) as error:
            messages.error(request, reason(error))
        else:
            messages.success(request, f"“{made}” copied from “{project}”, dates shifted to start on {start}.")
            return redirect(made.get_absolute_url())
    return render(request, "projects/project_copy.html", {"object": project, "today": timezone.localdate()})

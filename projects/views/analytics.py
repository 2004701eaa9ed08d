"""The projects' analytics page."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import render

from crm import access
from crm.sections import registry

from ..analytics import overview


def analytics(request):
    if not access.can(request.user, "read", registry.get("projects")):
        raise Http404("No such page.")
    raw = request.GET.get("project", "")
    return render(request, "projects/analytics.html", overview(request.user, int(raw) if raw.isdigit() else None))

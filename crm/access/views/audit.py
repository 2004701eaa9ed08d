"""The audit log: newest first, filtered by kind, paged by id (no count over a long log)."""

from __future__ import annotations

from django.shortcuts import render

from ..models import AuditEntry
from .common import manage_users_required

PAGE_SIZE = 100


@manage_users_required
def audit_log(request):
    entries = AuditEntry.objects.select_related("actor")
    kind = request.GET.get("kind", "")
    if kind in AuditEntry.Kind.values:
        entries = entries.filter(kind=kind)
    before = request.GET.get("before", "")
    if before.isdigit():
        entries = entries.filter(id__lt=int(before))
    rows = list(entries.order_by("-id")[: PAGE_SIZE + 1])
    older = rows[PAGE_SIZE - 1].pk if len(rows) > PAGE_SIZE else None
    context = {
        "entries": rows[:PAGE_SIZE],
        "kinds": AuditEntry.Kind.choices,
        "kind": kind,
        "older": older,
        "screen": "access:audit",
    }
    return render(request, "access/audit.html", context)

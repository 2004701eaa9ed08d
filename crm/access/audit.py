"""Writing the audit log: changes of roles and rights, logins, failed logins, lock-outs."""

from __future__ import annotations

from .models import AuditEntry


def client_ip(request) -> str | None:
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def record(*, kind: str, actor=None, summary: str, details: dict | None = None, request=None, actor_name: str = ""):
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    return AuditEntry.objects.create(
        kind=kind,
        actor=actor,
        actor_name=(actor_name or (actor.get_username() if actor is not None else ""))[:150],
        summary=summary[:500],
        details=details or {},
        ip_address=client_ip(request),
    )

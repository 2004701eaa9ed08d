"""Users and delegations: activating, deactivating and locking out (which ends the sessions at once), and giving
one user's rights to another until an end date."""

from __future__ import annotations

from datetime import datetime
from importlib import import_module

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from .. import audit, snapshot
from ..api import is_administrator
from ..models import AuditEntry, Delegation, UserSession
from .base import authorise, authorise_administrator


def delegate(
    *, user, delegator, delegate, ends_at: datetime, starts_at: datetime | None = None, reason: str = ""
) -> Delegation:
    """Give `delegate` the rights of `delegator` until `ends_at`. A user may delegate their own rights; an
    administrator may delegate anyone's (a user manager who is none would lend themselves more than they hold)."""
    if user.pk != delegator.pk:
        authorise_administrator(user, "Delegating someone else's rights")
    starts_at = starts_at or timezone.now()
    if delegator.pk == delegate.pk:
        raise ValidationError("A user cannot delegate to themselves.")
    if ends_at <= starts_at:
        raise ValidationError("The delegation must end after it starts.")
    if not delegate.is_active:
        raise ValidationError(f"{delegate.get_username()} is not active.")
    if delegator.is_superuser and not user.is_superuser:
        raise PermissionDenied("Only a superuser can delegate a superuser's rights.")
    with transaction.atomic():
        delegation = Delegation.objects.create(
            delegator=delegator,
            delegate=delegate,
            starts_at=starts_at,
            ends_at=ends_at,
            reason=reason[:250],
            created_by=user,
        )
        audit.record(
            kind=AuditEntry.Kind.DELEGATION,
            actor=user,
            summary=f"{delegate.get_username()} has the rights of {delegator.get_username()} "
            f"until {timezone.localtime(ends_at):%Y-%m-%d %H:%M}",
            details={"delegation": delegation.pk, "delegator": delegator.pk, "delegate": delegate.pk},
        )
        snapshot.bump()
    return delegation


def revoke_delegation(*, user, delegation: Delegation) -> None:
    if user.pk != delegation.delegator_id:
        authorise(user)
    if delegation.revoked_at is not None:
        return
    with transaction.atomic():
        delegation.revoked_at = timezone.now()
        delegation.save(update_fields=["revoked_at"])
        audit.record(
            kind=AuditEntry.Kind.DELEGATION,
            actor=user,
            summary=f"Ended the delegation {delegation}",
            details={"delegation": delegation.pk},
        )
        snapshot.bump()


# --- users ------------------------------------------------------------------------------------------------------


def _check_target(user, target) -> None:
    authorise(user)
    if target.pk == user.pk:
        raise ValidationError("You cannot deactivate or lock out yourself.")
    if target.is_superuser and not user.is_superuser:
        raise PermissionDenied("Only a superuser can change a superuser.")
    if is_administrator(target) and not is_administrator(user):
        raise PermissionDenied("Only an administrator can change an administrator.")


def end_sessions(*, target) -> int:
    """End every session `target` logged in with, whatever the session engine."""
    store = import_module(settings.SESSION_ENGINE).SessionStore
    keys = list(UserSession.objects.filter(user=target).values_list("session_key", flat=True))
    for key in keys:
        store(session_key=key).delete()
    UserSession.objects.filter(user=target).delete()
    return len(keys)


def set_user_active(*, user, target, active: bool) -> None:
    """Activate or deactivate a user; deactivating ends their sessions."""
    _check_target(user, target)
    with transaction.atomic():
        get_user_model().objects.filter(pk=target.pk).update(is_active=active)
        target.is_active = active
        if not active:
            end_sessions(target=target)
        else:
            from axes.utils import reset

            reset(username=target.get_username())
        audit.record(
            kind=AuditEntry.Kind.USER,
            actor=user,
            summary=f"{'Activated' if active else 'Deactivated'} {target.get_username()}",
            details={"user": target.pk, "active": active},
        )
        snapshot.bump()


def lock_out(*, user, target) -> int:
    """Lock a user out at once: deactivated, and every open session ended. Returns how many sessions ended."""
    _check_target(user, target)
    with transaction.atomic():
        get_user_model().objects.filter(pk=target.pk).update(is_active=False)
        target.is_active = False
        ended = end_sessions(target=target)
        audit.record(
            kind=AuditEntry.Kind.LOCKOUT,
            actor=user,
            summary=f"Locked out {target.get_username()} ({ended} session(s) ended)",
            details={"user": target.pk, "sessions": ended},
        )
        snapshot.bump()
    return ended

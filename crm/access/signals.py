"""Receivers: the audit log of logins, failed logins and throttling (auth and axes signals), the sessions a user
opened (so a lock-out can end them), and dropping the cached rules whenever a rule changes by any path (services,
Django admin, shell)."""

from __future__ import annotations

from axes.signals import user_locked_out
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from . import audit, snapshot
from .models import (
    AuditEntry,
    ColumnRight,
    DefaultGrantRule,
    Delegation,
    Membership,
    ObjectRight,
    OperationRight,
    RecordGrant,
    Role,
    SectionAccess,
    UserSession,
)

RULE_MODELS = (Role, Membership, ObjectRight, OperationRight, SectionAccess, DefaultGrantRule, ColumnRight, Delegation)


def _rules_changed(sender, **kwargs) -> None:
    snapshot.bump()


def _grants_changed(sender, **kwargs) -> None:
    snapshot.grants_changed()


def _user_saved(sender, instance, created, update_fields=None, **kwargs) -> None:
    # whether a user is active decides whether their delegates get their rights
    if not created and (update_fields is None or "is_active" in update_fields):
        snapshot.bump()


def connect() -> None:
    for model in RULE_MODELS:
        post_save.connect(_rules_changed, sender=model, dispatch_uid=f"crm.access.rules.save.{model.__name__}")
        post_delete.connect(_rules_changed, sender=model, dispatch_uid=f"crm.access.rules.delete.{model.__name__}")
    # a record shared or unshared by any path (a service, the Django admin, the shell)
    post_save.connect(_grants_changed, sender=RecordGrant, dispatch_uid="crm.access.grants.save")
    post_delete.connect(_grants_changed, sender=RecordGrant, dispatch_uid="crm.access.grants.delete")
    m2m_changed.connect(_rules_changed, sender=Role.linked_roles.through, dispatch_uid="crm.access.rules.links")
    post_save.connect(_user_saved, sender=get_user_model(), dispatch_uid="crm.access.user.save")


@receiver(user_logged_in, dispatch_uid="crm.access.logged_in")
def _logged_in(sender, request, user, **kwargs) -> None:
    session_key = getattr(getattr(request, "session", None), "session_key", None)
    if session_key:
        UserSession.objects.create(user=user, session_key=session_key)
    audit.record(kind=AuditEntry.Kind.LOGIN, actor=user, summary=f"{user.get_username()} logged in", request=request)


@receiver(user_logged_out, dispatch_uid="crm.access.logged_out")
def _logged_out(sender, request, user, **kwargs) -> None:
    if user is None:
        return
    session_key = getattr(getattr(request, "session", None), "session_key", None)
    if session_key:
        UserSession.objects.filter(user=user, session_key=session_key).delete()
    audit.record(kind=AuditEntry.Kind.LOGOUT, actor=user, summary=f"{user.get_username()} logged out", request=request)


@receiver(user_login_failed, dispatch_uid="crm.access.login_failed")
def _login_failed(sender, credentials, request=None, **kwargs) -> None:
    username = str(credentials.get("username", ""))[:150]
    audit.record(
        kind=AuditEntry.Kind.LOGIN_FAILED,
        summary=f"Failed login as “{username}”",
        actor_name=username,
        request=request,
    )


@receiver(user_locked_out, dispatch_uid="crm.access.throttled")
def _throttled(sender, request=None, username=None, ip_address=None, **kwargs) -> None:
    audit.record(
        kind=AuditEntry.Kind.THROTTLED,
        summary=f"Logins as “{username or ''}” throttled after repeated failures",
        actor_name=str(username or "")[:150],
        details={"ip_address": ip_address},
        request=request,
    )

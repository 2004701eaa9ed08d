"""Records shared by hand with a user or a role (the default grant rules need no rows: they are applied live from
the owner's roles), and what goes with a deleted record."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from . import audit, snapshot
from .models import AuditEntry, Level, RecordGrant, Role


def _content_type(obj) -> ContentType:
    return ContentType.objects.get_for_model(obj, for_concrete_model=True)


def remove_all_grants(*, obj) -> None:
    RecordGrant.objects.filter(content_type=_content_type(obj), object_id=obj.pk).delete()
    snapshot.grants_changed()


def default_grants_of(obj) -> list[tuple[Role, str]]:
    """The roles the default rules grant `obj` to by its owner's roles, with their levels (for display)."""
    from crm.sections import registry

    from .principal import roles_of

    section = registry.for_model(obj)
    if section is None or getattr(obj, "owner_id", None) is None:
        return []
    rules = snapshot.snapshot()
    owner_roles = roles_of(obj.owner_id)
    levels: dict[int, int] = {}
    for rule in rules.default_rules.get(section.name, ()):
        if rule.author_role_id in owner_roles:
            levels[rule.grantee_role_id] = max(levels.get(rule.grantee_role_id, 0), rule.level)
    roles = Role.objects.in_bulk(list(levels))
    return [(roles[role_id], Level(level).label.lower()) for role_id, level in levels.items() if role_id in roles]


def may_share(user, obj) -> bool:
    """Who has full rights on a record (owner, author, managers, a delete grant) may share it; so may admins.
    Judged as if the section used record rights, so that nobody can grant themselves a record while it is off."""
    from . import api
    from .principal import principal_for

    if api.can(user, "manage_users"):
        return True
    if not api.can(user, "delete", obj):
        return False
    return api._record_allows(principal_for(user), obj, "delete")


def share_record(*, user, obj, level: int, grantee_user=None, grantee_role: Role | None = None) -> RecordGrant:
    """Share `obj` with a user or a role at `level`; an earlier share with the same grantee is replaced."""
    if not may_share(user, obj):
        raise PermissionDenied("You may not share this record.")
    if (grantee_user is None) == (grantee_role is None):
        raise ValidationError("Share with either a user or a role.")
    if level not in Level.values:
        raise ValidationError("Choose read, edit or delete.")
    if grantee_user is not None and not grantee_user.is_active:
        raise ValidationError("The user is not active.")
    content_type = _content_type(obj)
    with transaction.atomic():
        RecordGrant.objects.filter(
            content_type=content_type, object_id=obj.pk, user=grantee_user, role=grantee_role
        ).delete()
        grant = RecordGrant.objects.create(
            content_type=content_type,
            object_id=obj.pk,
            user=grantee_user,
            role=grantee_role,
            level=level,
            granted_by=user,
        )
        audit.record(
            kind=AuditEntry.Kind.GRANT,
            actor=user,
            summary=f"Shared {content_type.model} “{obj}” with {grantee_user or grantee_role} "
            f"({Level(level).label.lower()})",
            details={"content_type": content_type.pk, "object_id": obj.pk, "grant": grant.pk, "level": level},
        )
    snapshot.grants_changed()
    return grant


def revoke_grant(*, user, grant: RecordGrant, obj) -> None:
    """Stop sharing `obj` with a grant's user or role."""
    if not may_share(user, obj) or grant.object_id != obj.pk or grant.content_type_id != _content_type(obj).pk:
        raise PermissionDenied("You may not change who sees this record.")
    with transaction.atomic():
        audit.record(
            kind=AuditEntry.Kind.GRANT,
            actor=user,
            summary=f"Stopped sharing “{obj}” with {grant.user or grant.role}",
            details={"content_type": grant.content_type_id, "object_id": obj.pk, "grant": grant.pk},
        )
        grant.delete()
    snapshot.grants_changed()

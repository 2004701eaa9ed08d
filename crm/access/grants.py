"""Records shared by hand with a user or a role (the default grant rules need no rows: they are applied live from
the owner's roles), and what goes with a deleted record."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max, Q

from . import api, audit, snapshot
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


def sharing_level(user, obj) -> int:
    """The highest level `user` may share `obj` at, 0 when they may not share it. Who has full rights on it
    (owner, author, managers, a delete share with delegation permitted; administrators) shares at any level;
    who holds a share with delegation permitted shares on up to that share's level (Creatio's "Granted /
    Delegation permitted"); nobody else, whatever else they may do with the record."""
    from .principal import principal_for

    if api.has_full_rights(user, obj):
        return Level.DELETE
    if not api.can(user, "read", obj):
        return 0
    principal = principal_for(user)
    delegated = (
        RecordGrant.objects.filter(content_type=_content_type(obj), object_id=obj.pk, can_delegate=True)
        .filter(Q(user_id__in=sorted(principal.user_ids)) | Q(role_id__in=sorted(principal.role_ids)))
        .aggregate(level=Max("level"))["level"]
    )
    if not delegated:
        return 0
    # a share never lends more than the section's object rights allow
    section_actions = principal.object_actions(_section_name(obj))
    allowed = [level for action, level in api.LEVELS.items() if action in section_actions and level <= delegated]
    return max(allowed, default=0)


def _section_name(obj) -> str:
    from crm.sections import registry

    return registry.for_model(obj).name


def may_share(user, obj) -> bool:
    """May `user` share `obj` at all (see `sharing_level`)?"""
    return sharing_level(user, obj) > 0


def share_record(
    *, user, obj, level: int, grantee_user=None, grantee_role: Role | None = None, can_delegate: bool = False
) -> RecordGrant:
    """Share `obj` with a user or a role at `level`, with or without delegation permitted; an earlier share with
    the same grantee is replaced. Nobody shares more than they may (`sharing_level`), and only who has full
    rights lets the grantee share it on."""
    ceiling = sharing_level(user, obj)
    if not ceiling:
        raise PermissionDenied("You may not share this record.")
    if (grantee_user is None) == (grantee_role is None):
        raise ValidationError("Share with either a user or a role.")
    if level not in Level.values:
        raise ValidationError("Choose read, edit or delete.")
    if level > ceiling:
        raise PermissionDenied(f"You may share this record up to “{Level(ceiling).label.lower()}” only.")
    if can_delegate and not api.has_full_rights(user, obj):
        raise PermissionDenied("Only who has full rights on the record may let others share it on.")
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
            can_delegate=can_delegate,
            granted_by=user,
        )
        audit.record(
            kind=AuditEntry.Kind.GRANT,
            actor=user,
            summary=f"Shared {content_type.model} “{obj}” with {grantee_user or grantee_role} "
            f"({Level(level).label.lower()}{', delegation permitted' if can_delegate else ''})",
            details={
                "content_type": content_type.pk,
                "object_id": obj.pk,
                "grant": grant.pk,
                "level": level,
                "can_delegate": can_delegate,
            },
        )
    snapshot.grants_changed()
    return grant


def may_revoke(user, grant: RecordGrant, obj) -> bool:
    """Who has full rights on a record removes any of its shares; who shared it on removes the shares they gave."""
    if api.has_full_rights(user, obj):
        return True
    return grant.granted_by_id == user.pk and may_share(user, obj)


def revoke_grant(*, user, grant: RecordGrant, obj) -> None:
    """Stop sharing `obj` with a grant's user or role."""
    if grant.object_id != obj.pk or grant.content_type_id != _content_type(obj).pk or not may_revoke(user, grant, obj):
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

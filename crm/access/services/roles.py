"""Roles: the organisational tree, management and functional roles, and their members. A user manager who is no
administrator gives only the roles they hold, takes away none that restricts its members, and leaves the tree's
shape (which decides who manages whom) and the roles that carry rights to administrators."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import ProtectedError

from .. import audit, snapshot
from ..api import is_administrator
from ..models import AuditEntry, ColumnRight, DefaultGrantRule, Membership, ObjectRight, OperationRight, Role
from .base import authorise, check_may_give_role, check_may_take_role


def _check_place(*, kind: str, parent: Role | None, role: Role | None = None) -> None:
    if kind == Role.Kind.ALL_EMPLOYEES:
        raise ValidationError("There is only one “All employees” role.")
    if kind in (Role.Kind.FUNCTIONAL,) and parent is not None:
        raise ValidationError("A functional role stands outside the tree: it has no parent.")
    if kind == Role.Kind.MANAGEMENT and parent is None:
        raise ValidationError("A management role belongs to the unit it manages: choose the unit.")
    if parent is not None and parent.kind not in Role.UNIT_KINDS:
        raise ValidationError("The parent must be an organisation, a division or a department.")
    if role is not None and parent is not None:
        node = parent
        while node is not None:
            if node.pk == role.pk:
                raise ValidationError("A role cannot be moved below itself.")
            node = node.parent
    if kind == Role.Kind.MANAGEMENT:
        others = Role.objects.filter(kind=Role.Kind.MANAGEMENT, parent=parent)
        if role is not None:
            others = others.exclude(pk=role.pk)
        if others.exists():
            raise ValidationError(f"“{parent}” already has a management role.")


def _carries_rights(role: Role) -> bool:
    return (
        ObjectRight.objects.filter(role=role).exists()
        or OperationRight.objects.filter(role=role).exists()
        or ColumnRight.objects.filter(role=role).exists()
        or DefaultGrantRule.objects.filter(models.Q(author_role=role) | models.Q(grantee_role=role)).exists()
    )


def create_role(*, user, name: str, kind: str, parent: Role | None = None, description: str = "") -> Role:
    authorise(user)
    name = name.strip()
    if not name:
        raise ValidationError("Give the role a name.")
    if kind not in Role.Kind.values:
        raise ValidationError("Unknown kind of role.")
    _check_place(kind=kind, parent=parent)
    if parent is not None:
        check_may_give_role(user, parent)
    with transaction.atomic():
        role = Role.objects.create(name=name[:150], kind=kind, parent=parent, description=description[:500])
        audit.record(
            kind=AuditEntry.Kind.ROLE,
            actor=user,
            summary=f"Created the {role.get_kind_display().lower()} “{role}”"
            + (f" under “{parent}”" if parent else ""),
            details={"role": role.pk, "kind": kind, "parent": parent.pk if parent else None},
        )
        snapshot.bump()
    return role


def update_role(*, user, role: Role, name: str, parent: Role | None, description: str = "") -> Role:
    authorise(user)
    name = name.strip()
    if not name:
        raise ValidationError("Give the role a name.")
    if role.is_builtin and parent is not None:
        raise ValidationError("“All employees” has no parent.")
    if not role.is_builtin:
        _check_place(kind=role.kind, parent=parent, role=role)
    if (parent.pk if parent else None) != role.parent_id and not is_administrator(user):
        raise PermissionDenied("Moving a role in the tree changes who manages whom: that is for administrators.")
    with transaction.atomic():
        before = {"name": role.name, "parent": role.parent_id}
        role.name, role.parent, role.description = name[:150], parent, description[:500]
        role.save(update_fields=["name", "parent", "description"])
        audit.record(
            kind=AuditEntry.Kind.ROLE,
            actor=user,
            summary=f"Changed the role “{role}”",
            details={"role": role.pk, "before": before, "after": {"name": role.name, "parent": role.parent_id}},
        )
        snapshot.bump()
    return role


def delete_role(*, user, role: Role) -> None:
    authorise(user)
    if role.is_builtin:
        raise ValidationError("“All employees” cannot be deleted.")
    if not is_administrator(user) and _carries_rights(role):
        raise PermissionDenied(f"“{role}” carries rights: only administrators delete it.")
    with transaction.atomic():
        name, pk = role.name, role.pk
        try:
            role.delete()
        except ProtectedError:
            raise ValidationError(f"“{name}” still has roles below it; move or delete them first.")
        audit.record(kind=AuditEntry.Kind.ROLE, actor=user, summary=f"Deleted the role “{name}”", details={"role": pk})
        snapshot.bump()


def set_linked_roles(*, user, role: Role, linked: list[Role]) -> None:
    """The organisational roles whose rights the members of a functional role get."""
    authorise(user)
    if role.kind != Role.Kind.FUNCTIONAL:
        raise ValidationError("Only a functional role links to organisational roles.")
    if any(other.kind in (Role.Kind.FUNCTIONAL, Role.Kind.ALL_EMPLOYEES) for other in linked):
        raise ValidationError("A functional role links to organisational and management roles only.")
    current = {other.pk: other for other in role.linked_roles.all()}
    for other in linked:
        if other.pk not in current:
            check_may_give_role(user, other)
    wanted = {other.pk for other in linked}
    for pk, other in current.items():
        if pk not in wanted:
            check_may_take_role(user, other)
    with transaction.atomic():
        role.linked_roles.set(linked)
        audit.record(
            kind=AuditEntry.Kind.ROLE,
            actor=user,
            summary=f"Linked the functional role “{role}” to {', '.join(map(str, linked)) or 'no role'}",
            details={"role": role.pk, "linked": [other.pk for other in linked]},
        )
        snapshot.bump()


def add_member(*, user, role: Role, member) -> Membership:
    authorise(user)
    check_may_give_role(user, role)
    if role.is_builtin:
        raise ValidationError("Every active user is in “All employees”.")
    with transaction.atomic():
        membership, created = Membership.objects.get_or_create(user=member, role=role)
        if created:
            audit.record(
                kind=AuditEntry.Kind.MEMBERSHIP,
                actor=user,
                summary=f"Added {member.get_username()} to “{role}”",
                details={"role": role.pk, "user": member.pk},
            )
            snapshot.bump()
    return membership


def remove_member(*, user, role: Role, member) -> None:
    authorise(user)
    check_may_take_role(user, role)
    with transaction.atomic():
        deleted, _ = Membership.objects.filter(user=member, role=role).delete()
        if deleted:
            audit.record(
                kind=AuditEntry.Kind.MEMBERSHIP,
                actor=user,
                summary=f"Removed {member.get_username()} from “{role}”",
                details={"role": role.pk, "user": member.pk},
            )
            snapshot.bump()

"""What the services share: the manage_users check and its ceiling (a user manager gives only the roles and
operation rights they hold themselves; administrators change how rights work), a section by name, the built-in
role."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError

from .. import snapshot
from ..api import can, is_administrator
from ..models import ColumnRight, OperationRight, Role


def authorise(user) -> None:
    if not can(user, "manage_users"):
        raise PermissionDenied("You may not manage users and roles.")


def authorise_administrator(user, what: str = "Changing how rights work") -> None:
    """Rights schemes (record rights on or off, object, column and default record rights) are for
    administrators: superusers and holders of the operation "administer"."""
    authorise(user)
    if not is_administrator(user):
        raise PermissionDenied(f"{what} is for administrators.")


def _own_snapshot(user):
    """The rules, and the roles `user` holds by their own memberships (not by a delegation: what someone lent
    them for a while is not theirs to give)."""
    from ..principal import roles_of

    return snapshot.snapshot(), roles_of(user.pk)


def holds_operation(user, operation: str) -> bool:
    """Does `user` hold `operation` by their own roles (superusers hold all)?"""
    if user.is_superuser:
        return True
    from ..api import _default_operation

    rules, role_ids = _own_snapshot(user)
    for _, role_id, allowed in rules.operation_rules.get(operation, ()):
        if role_id in role_ids:
            return allowed
    return _default_operation(operation)


def holds_role(user, role: Role) -> bool:
    """Does `user` get the rights of `role` by their own memberships (a member of it, of a unit below it, of a
    functional role linked to it, or of the management role above it)?"""
    if user.is_superuser:
        return True
    _, role_ids = _own_snapshot(user)
    return role.pk in role_ids


def restrictions_of(role: Role) -> list[str]:
    """What taking `role` away lifts: the operations it denies and the columns it hides or makes read-only (its
    members may get more without it)."""
    denied = [
        right.get_operation_display()
        for right in OperationRight.objects.filter(role=role, allowed=False).order_by("operation")
    ]
    columns = [
        f"{right.section}.{right.field_name}"
        for right in ColumnRight.objects.filter(role=role, access__lt=ColumnRight.Access.EDIT).order_by("id")
    ]
    return [*denied, *columns]


def check_may_give_role(user, role: Role) -> None:
    """A user manager gives (members, links) only the roles they hold themselves."""
    if is_administrator(user) or holds_role(user, role):
        return
    raise PermissionDenied(f"You may give only roles you hold yourself; you do not hold “{role}”.")


def check_may_take_role(user, role: Role) -> None:
    """Taking a role away must not lift a restriction (a denied operation, a hidden column): that is for
    administrators."""
    if is_administrator(user):
        return
    check_may_give_role(user, role)
    lifted = restrictions_of(role)
    if lifted:
        raise PermissionDenied(
            f"“{role}” restricts its members ({', '.join(lifted)}): only administrators take it away."
        )


def section_named(name: str):
    from crm.sections import registry

    try:
        return registry.get(name)
    except KeyError:
        raise ValidationError(f"There is no section {name!r}.")


def ensure_all_employees() -> Role:
    role, _ = Role.objects.get_or_create(kind=Role.Kind.ALL_EMPLOYEES, defaults={"name": "All employees"})
    return role

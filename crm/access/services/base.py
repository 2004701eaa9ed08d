"""What the services share: the manage_users check, a section by name, the built-in role."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError

from ..api import can
from ..models import Role


def authorise(user) -> None:
    if not can(user, "manage_users"):
        raise PermissionDenied("You may not manage users and roles.")


def section_named(name: str):
    from crm.sections import registry

    try:
        return registry.get(name)
    except KeyError:
        raise ValidationError(f"There is no section {name!r}.")


def ensure_all_employees() -> Role:
    role, _ = Role.objects.get_or_create(kind=Role.Kind.ALL_EMPLOYEES, defaults={"name": "All employees"})
    return role

"""The access API. Object, operation, record and column rights are answered here.

Until the roles and rights model lands every active employee has every right on every section (the
documented default: "All employees" may read, create, edit and delete), but each path already calls these
functions, so tightening them here tightens every path at once.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import models
from django.http import Http404

OBJECT_ACTIONS = ("read", "create", "edit", "delete")
OPERATIONS = (
    "export",
    "import",
    "merge_duplicates",
    "designer",
    "manage_users",
    "manage_lookups",
    "view_change_log",
    "see_all",
)


@dataclass(frozen=True)
class FieldAccess:
    """Which of a section's fields a user may see and which they may change."""

    readable: frozenset[str]
    writable: frozenset[str]
    hidden: frozenset[str] = field(default_factory=frozenset)

    def can_read(self, name: str) -> bool:
        return name in self.readable

    def can_write(self, name: str) -> bool:
        return name in self.writable


def _active(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def visible(user, queryset: models.QuerySet, action: str = "read") -> models.QuerySet:
    """Narrow `queryset` to the records `user` may `action` (read, edit or delete). Computed in SQL."""
    if not _active(user):
        return queryset.none()
    return queryset


def can(user, action: str, obj=None) -> bool:
    """May `user` do `action`? `obj` is a record, a model class, a Section, or None for an operation."""
    if not _active(user):
        return False
    if action in OPERATIONS:
        return True
    if action not in OBJECT_ACTIONS:
        raise ValueError(f"Unknown action {action!r}")
    return True


def fields_for(user, section, mode: str = "read") -> FieldAccess:
    """The fields of `section` that `user` may read and write (column rights)."""
    names = frozenset(section.field_names())
    if not _active(user):
        return FieldAccess(readable=frozenset(), writable=frozenset(), hidden=names)
    return FieldAccess(readable=names, writable=names)


def get_object_or_404(user, queryset_or_model, action: str = "read", **lookup):
    """The one permission-checked fetch: the same 404 whether the record is missing or forbidden."""
    queryset = queryset_or_model._default_manager.all() if isinstance(queryset_or_model, type) else queryset_or_model
    try:
        return visible(user, queryset, action).get(**lookup)
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        raise Http404("No such record.")


def record_created(*, user, obj) -> None:
    """Called by the section services after a record is created: applies default record grants."""


def owner_changed(*, user, obj, previous_owner_id) -> None:
    """Called by the section services after a record's owner changed: moves the default grants."""

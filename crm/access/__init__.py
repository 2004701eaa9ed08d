"""The one gate to CRM data: `visible`, `can`, `fields_for` (with `can_read_value` for what derives
from a field) and `get_object_or_404`.

Every list, detail page, form, export, import, search, dashboard, API call, feed post, attachment and lookup
asks this package, and nothing else decides who sees or changes what.
"""

from .api import (
    FieldAccess,
    can,
    can_read_value,
    fields_for,
    get_object_or_404,
    has_full_rights,
    is_administrator,
    managers_of,
    may_change_owner,
    owner_changeable,
    owner_changed,
    record_created,
    record_deleted,
    visible,
)

__all__ = [
    "FieldAccess",
    "can",
    "can_read_value",
    "fields_for",
    "get_object_or_404",
    "has_full_rights",
    "is_administrator",
    "managers_of",
    "may_change_owner",
    "owner_changeable",
    "owner_changed",
    "record_created",
    "record_deleted",
    "visible",
]

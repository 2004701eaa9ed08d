"""Changing roles, members, rights, delegations and users. Each service checks that the acting user may manage
users and roles, writes in one transaction, records what it did in the audit log and bumps the rules' version."""

from .base import ensure_all_employees
from .rights import (
    add_default_rule,
    remove_column_right,
    remove_default_rule,
    remove_object_right,
    remove_operation_right,
    set_column_right,
    set_object_right,
    set_operation_right,
    set_record_rights,
)
from .roles import add_member, create_role, delete_role, remove_member, set_linked_roles, update_role
from .users import delegate, end_sessions, lock_out, revoke_delegation, set_user_active

__all__ = [
    "add_default_rule",
    "add_member",
    "create_role",
    "delegate",
    "delete_role",
    "end_sessions",
    "ensure_all_employees",
    "lock_out",
    "remove_column_right",
    "remove_default_rule",
    "remove_member",
    "remove_object_right",
    "remove_operation_right",
    "revoke_delegation",
    "set_column_right",
    "set_linked_roles",
    "set_object_right",
    "set_operation_right",
    "set_record_rights",
    "set_user_active",
    "update_role",
]

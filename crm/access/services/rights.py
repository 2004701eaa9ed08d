"""Object, operation, record and column rights, and the default grant rules. The rights schemes (object, record
and column rights, default grants) are changed by administrators only; a user manager sets operation rights only
for the operations they hold themselves."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from .. import audit, snapshot
from ..api import is_administrator
from ..models import OPERATIONS as OPERATION_CHOICES
from ..models import (
    AuditEntry,
    ColumnRight,
    DefaultGrantRule,
    Level,
    ObjectRight,
    OperationRight,
    Role,
    SectionAccess,
)
from .base import authorise, authorise_administrator, holds_operation, section_named


def _check_operation_ceiling(user, operation: str) -> None:
    if not is_administrator(user) and not holds_operation(user, operation):
        raise PermissionDenied("You may set rules only for the operations you hold yourself.")


def _right_changed(user, summary: str, **details) -> None:
    audit.record(kind=AuditEntry.Kind.RIGHT, actor=user, summary=summary, details=details)
    snapshot.bump()


def set_object_right(
    *, user, section: str, role: Role, read: bool, create: bool, edit: bool, delete: bool
) -> ObjectRight:
    authorise_administrator(user)
    section_named(section)
    with transaction.atomic():
        right, _ = ObjectRight.objects.update_or_create(
            section=section,
            role=role,
            defaults={"can_read": read, "can_create": create, "can_edit": edit, "can_delete": delete},
        )
        actions = sorted(right.actions()) or ["nothing"]
        _right_changed(
            user, f"{section}: “{role}” may {', '.join(actions)}", section=section, role=role.pk, actions=actions
        )
    return right


def remove_object_right(*, user, right: ObjectRight) -> None:
    authorise_administrator(user)
    with transaction.atomic():
        right.delete()
        _right_changed(
            user, f"{right.section}: removed the rule of “{right.role}”", section=right.section, role=right.role_id
        )


def set_operation_right(*, user, operation: str, role: Role, allowed: bool, priority: int) -> OperationRight:
    authorise(user)
    if operation not in dict(OPERATION_CHOICES):
        raise ValidationError("Unknown operation.")
    _check_operation_ceiling(user, operation)
    with transaction.atomic():
        right, _ = OperationRight.objects.update_or_create(
            operation=operation, role=role, defaults={"allowed": allowed, "priority": priority}
        )
        _right_changed(
            user,
            f"{right.get_operation_display()}: “{role}” {'yes' if allowed else 'no'} (priority {priority})",
            operation=operation,
            role=role.pk,
            allowed=allowed,
            priority=priority,
        )
    return right


def remove_operation_right(*, user, right: OperationRight) -> None:
    authorise(user)
    _check_operation_ceiling(user, right.operation)
    with transaction.atomic():
        right.delete()
        _right_changed(
            user,
            f"{right.get_operation_display()}: removed the rule of “{right.role}”",
            operation=right.operation,
            role=right.role_id,
        )


def set_record_rights(*, user, section: str, enabled: bool) -> SectionAccess:
    authorise_administrator(user)
    section_named(section)
    with transaction.atomic():
        setting, _ = SectionAccess.objects.update_or_create(section=section, defaults={"use_record_rights": enabled})
        _right_changed(user, f"{section}: record rights {'on' if enabled else 'off'}", section=section, enabled=enabled)
    return setting


def add_default_rule(*, user, section: str, author_role: Role, grantee_role: Role, level: int) -> DefaultGrantRule:
    authorise_administrator(user)
    section_named(section)
    if level not in Level.values:
        raise ValidationError("Choose read, edit or delete.")
    with transaction.atomic():
        rule, _ = DefaultGrantRule.objects.update_or_create(
            section=section, author_role=author_role, grantee_role=grantee_role, defaults={"level": level}
        )
        _right_changed(user, f"Default grant: {rule}", section=section, rule=rule.pk)
    return rule


def remove_default_rule(*, user, rule: DefaultGrantRule) -> None:
    authorise_administrator(user)
    with transaction.atomic():
        text, section = str(rule), rule.section
        rule.delete()
        _right_changed(user, f"Removed the default grant {text}", section=section)


def set_column_right(*, user, section: str, field_name: str, role: Role, access: int) -> ColumnRight:
    authorise_administrator(user)
    if field_name not in section_named(section).field_names():
        raise ValidationError(f"The section {section} has no field {field_name!r}.")
    if access not in ColumnRight.Access.values:
        raise ValidationError("Choose hidden, read only or read and edit.")
    with transaction.atomic():
        right, _ = ColumnRight.objects.update_or_create(
            section=section, field_name=field_name, role=role, defaults={"access": access}
        )
        _right_changed(user, f"Column {right}", section=section, field=field_name, role=role.pk, access=access)
    return right


def remove_column_right(*, user, right: ColumnRight) -> None:
    authorise_administrator(user)
    with transaction.atomic():
        right.delete()
        _right_changed(
            user,
            f"Column {right.section}.{right.field_name}: removed the rule of “{right.role}”",
            section=right.section,
            field=right.field_name,
        )

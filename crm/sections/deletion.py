"""Deleting a record other records use: what can be done with each group of dependents (reassigned to another
record of the same section, or why not), and the delete that reassigns them first, all in one transaction."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from crm import access
from crm.designer.fields import is_custom

from . import registry, services
from .services import Dependent


@dataclass
class Plan:
    """One group of dependents and whether the user may move them to another record."""

    dependent: Dependent
    reason: str = ""  # why they cannot be reassigned; "" when they can

    @property
    def reassignable(self) -> bool:
        return not self.reason


def plans(*, user, obj, dependents: list[Dependent] | None = None) -> list[Plan]:
    """Each group of `obj`'s dependents with the reason it cannot be reassigned, if any. Reassigning changes every
    row of the group, so each must be one the user may see and edit, through a field they may write, and not
    locked (waiting for approval, ...)."""
    dependents = services.dependents_of(user=user, obj=obj) if dependents is None else dependents
    return [Plan(dependent, _reason(user, dependent)) for dependent in dependents]


def _reason(user, dependent: Dependent) -> str:
    section = dependent.section
    if section is None or dependent.rows is None:
        return "They are not records of a section: remove them where they are kept."
    rows = dependent.rows
    total = rows.count()
    if access.visible(user, rows).count() < total:
        return "Some of them are records you may not see."
    if access.visible(user, rows, "edit").count() < total:
        return "You may not edit some of them."
    if dependent.field not in access.fields_for(user, section, "write").writable:
        known = section.get_field(dependent.field) or section.custom_field(dependent.field)
        label = section.label_for(dependent.field) if known else dependent.field
        return f"You may not change their “{label}”."
    for row in rows[:200]:
        locked = services.lock_reason(user=user, obj=row, fields=frozenset({dependent.field}))
        if locked:
            return f"“{row}”: {locked}"
    if total > 200:
        return "There are too many of them to reassign here; reassign them from their list first."
    return ""


def reassignment_targets(*, user, obj):
    """The records `obj`'s dependents may be moved to: the others of its section the user may see."""
    section = registry.for_model(obj)
    return access.visible(user, section.get_queryset()).exclude(pk=obj.pk)


def delete_reassigning(*, user, obj, target) -> int:
    """Move every dependent of `obj` to `target` (a record of the same section the user may see), then delete
    `obj` with its detail rows, in one transaction. Refuses (DependentRecordsError, PermissionDenied,
    ValidationError) with nothing changed when a group cannot be reassigned. Returns how many rows moved."""
    section = registry.for_model(obj)
    if not access.can(user, "delete", obj):
        raise PermissionDenied("You may not delete this record.")
    if target is None or type(target) is not type(obj) or target.pk == obj.pk:
        raise ValidationError(f"Choose another {section.title_singular} to move the records to.")
    if not reassignment_targets(user=user, obj=obj).filter(pk=target.pk).exists():
        raise ValidationError(f"The {section.title_singular} to move the records to was not found.")
    moved = 0
    with transaction.atomic():
        found = plans(user=user, obj=obj)
        refused = [plan for plan in found if not plan.reassignable]
        if refused:
            raise services.DependentRecordsError([plan.dependent for plan in refused])
        for plan in found:
            dependent = plan.dependent
            field = dependent.section.field(dependent.field)  # a foreign key, an id field, or a custom lookup
            value = target if getattr(field, "is_relation", False) and not is_custom(dependent.field) else target.pk
            for row in dependent.rows.select_for_update().order_by("pk"):
                if row.pk == target.pk and type(row) is type(target):
                    raise ValidationError(f"“{target}” is one of the records to move: it cannot point at itself.")
                services.update_record(
                    section=dependent.section,
                    user=user,
                    obj=row,
                    data={dependent.field: value},
                    expected_version=row.version,
                )
                moved += 1
        services.delete_record(user=user, obj=obj)
    return moved

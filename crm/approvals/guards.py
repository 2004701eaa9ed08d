"""The edit guard: a record waiting for approval cannot be changed (but for the fields and parts its section
allows) or deleted, by any write path: its form, its detail rows (product lines, plan), the product selection,
attachments and file versions, merges and bulk actions all ask `crm.sections.services.check_edit_guards`."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError

from crm.sections import registry as sections

from . import registry
from .models import Approval
from .services import REVISE_TASK

__all__ = ["REVISE_TASK", "refuse_while_pending"]


def refuse_while_pending(*, user, obj, fields: frozenset[str] | None) -> None:
    section = sections.for_model(obj)
    declaration = registry.get(section.name) if section is not None else None
    if declaration is None or not Approval.objects.for_record(obj).pending().exists():
        return
    if fields is None:
        raise PermissionDenied(f"“{obj}” is waiting for approval and cannot be deleted.")
    locked = sorted(fields - declaration.editable_while_pending)
    if locked:
        raise ValidationError(
            f"“{obj}” is waiting for approval and cannot be changed until the approval is finished or cancelled."
        )

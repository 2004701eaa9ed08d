"""Changes to the system designer's custom fields: one function per change, for the designer's pages and the
admin alike. Each checks the `designer` operation right first."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from crm import access

from .models import FieldDefinition

#: what may change on a field once it exists (its section and code name its values in every record)
CHANGEABLE = ("label", "kind", "options", "required", "help_text", "position", "is_active")


def authorise(user) -> None:
    if not access.can(user, "designer"):
        raise PermissionDenied("You may not change the system designer.")


def values_exist(definition: FieldDefinition) -> bool:
    """Whether any record of the field's section holds a value for it."""
    from crm.sections import registry

    model = registry.get(definition.section).model
    return model._default_manager.filter(custom__has_key=definition.code).exists()


def next_position(section: str) -> int:
    """A new field goes after the section's others."""
    last = FieldDefinition.objects.filter(section=section).order_by("-position").first()
    return (last.position + 1) if last else 1


def add_field(*, user, section: str, code: str, label: str, kind: str, **extra) -> FieldDefinition:
    authorise(user)
    if extra.get("position") is None:
        extra["position"] = next_position(section)
    definition = FieldDefinition(section=section, code=code, label=label, kind=kind, **extra)
    definition.full_clean()
    definition.save()
    return definition


def change_field(*, user, definition: FieldDefinition, **changes) -> FieldDefinition:
    authorise(user)
    unknown = set(changes) - set(CHANGEABLE)
    if unknown:
        raise ValidationError(f"These cannot change: {', '.join(sorted(unknown))}.")
    with transaction.atomic():
        current = FieldDefinition.objects.select_for_update().get(pk=definition.pk)
        if "kind" in changes and changes["kind"] != current.kind and values_exist(current):
            raise ValidationError({"kind": "Records already hold values of this field: its type cannot change."})
        for name, value in changes.items():
            setattr(current, name, value)
        current.full_clean()
        current.save()
    return current

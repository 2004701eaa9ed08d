"""Changes to the system designer's custom fields: one function per change, for the designer's pages and the
admin alike. Each checks the `designer` operation right first."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from crm import access

from .models import FieldDefinition

#: what may change on a field once it exists (its section and code name its values in every record)
CHANGEABLE = (
    "label",
    "kind",
    "options",
    "required",
    "help_text",
    "position",
    "is_active",
    "target",
    "unique",
    "default",
)


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
    with transaction.atomic():
        definition.save()
        sync_unique_index(definition)
        index_runtime_field(definition)
    return definition


def sync_unique_index(definition: FieldDefinition) -> None:
    """A unique field's values are held unique by the database too (see crm.designer.unique); in the caller's
    transaction. Raises ValidationError naming a value two records share."""
    from crm.sections import registry

    from . import unique

    try:
        model = registry.get(definition.section).model
    except KeyError:
        return
    unique.sync(model, definition)


def index_runtime_field(definition: FieldDefinition) -> None:
    """A runtime section's field gets the index its list filters and sorts by (see crm.designer.storage)."""
    from crm.sections import registry

    from . import custom_sections, storage

    section = registry.get(definition.section)
    if custom_sections.is_runtime(section) and definition.is_active:
        storage.build_index_after_commit(definition.section, definition.code)


def change_field(*, user, definition: FieldDefinition, **changes) -> FieldDefinition:
    authorise(user)
    unknown = set(changes) - set(CHANGEABLE)
    if unknown:
        raise ValidationError(f"These cannot change: {', '.join(sorted(unknown))}.")
    with transaction.atomic():
        current = FieldDefinition.objects.select_for_update().get(pk=definition.pk)
        if "kind" in changes and changes["kind"] != current.kind and values_exist(current):
            raise ValidationError({"kind": "Records already hold values of this field: its type cannot change."})
        if "target" in changes and changes["target"] != current.target and values_exist(current):
            raise ValidationError({"target": "Records already point to the field's target: it cannot change."})
        was_unique = current.unique
        for name, value in changes.items():
            setattr(current, name, value)
        current.full_clean()
        current.save()
        if current.unique != was_unique:
            sync_unique_index(current)  # checks first that no two records share a value
        index_runtime_field(current)
    return current

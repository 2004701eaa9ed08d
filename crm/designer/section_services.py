"""Changes to runtime sections (the section wizard): make one with its fields, change it, retire and restore it.
Each checks the `designer` operation right first and runs in one transaction: a refused change leaves nothing
behind (no row, no table, no field)."""

from __future__ import annotations

import re

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction

from crm.sections import registry

from . import custom_sections, storage
from .models import FieldDefinition
from .section_models import SECTION_CODE_PATTERN, CustomSection
from .services import add_field, authorise

#: what may change on a section once it exists (its code names its table, URL, rights and fields)
CHANGEABLE = ("title", "title_singular", "icon", "position", "name_label", "number_mask", "approvals")
#: first parts of addresses that are no section's, and names the platform keeps
RESERVED = frozenset({"new", "static", "media", "api", "usr", "custom", "section", "sections"})


def url_prefixes() -> set[str]:
    """The first part of every address the site answers (search, feed, admin, each section, ...)."""
    import crm.urls

    prefixes = set()
    for pattern in crm.urls.urlpatterns:
        text = str(pattern.pattern).strip("^/$")
        if text:
            prefixes.add(text.split("/")[0])
    return prefixes


def code_error(code: str) -> str:
    """Why `code` cannot name a new section, or ""."""
    if not re.match(SECTION_CODE_PATTERN, code or "") or len(code) > 40:
        return "Lower-case letters, digits and single underscores, starting with a letter (at most 40)."
    if code in RESERVED:
        return f"“{code}” is kept by the platform."
    try:
        existing = registry.get(code)
    except KeyError:
        existing = None
    if existing is not None and not custom_sections.is_runtime(existing):
        return f"“{code}” is the built-in section {existing.title}."
    if existing is not None or CustomSection.objects.filter(code=code).exists():
        return f"A section with the code “{code}” exists already (perhaps retired: restore it instead)."
    if code in url_prefixes():
        return f"The address /{code}/ is taken by another page."
    return ""


def mask_error(mask: str) -> str:
    if not mask:
        return ""
    if "{number" not in mask:
        return "A number mask must hold {number}, e.g. CA-{number:05d}."
    try:
        mask.format(number=1)
    except (KeyError, IndexError, ValueError):
        return "A number mask is text with {number} or {number:05d} in it, and no other braces."
    return ""


def _set_sequence(row: CustomSection) -> None:
    from crm.core.models import Sequence

    if row.number_mask:
        sequence, created = Sequence.objects.get_or_create(
            name=custom_sections.sequence_name(row.code), defaults={"mask": row.number_mask}
        )
        if not created and sequence.mask != row.number_mask:
            Sequence.objects.filter(pk=sequence.pk).update(mask=row.number_mask)


def create_section(*, user, code: str, title: str, title_singular: str = "", fields=(), **extra) -> CustomSection:
    """Make a section: its row, its table, its numbering and its fields (a list of dicts of add_field's
    arguments); every process serves it from its next request on."""
    authorise(user)
    errors = {}
    problem = code_error(code)
    if problem:
        errors["code"] = problem
    problem = mask_error(extra.get("number_mask", ""))
    if problem:
        errors["number_mask"] = problem
    row = CustomSection(code=code, title=title, title_singular=title_singular or title, created_by=user, **extra)
    try:
        row.full_clean(exclude=["code"] if "code" in errors else None)
    except ValidationError as error:
        errors = {**error.message_dict, **errors}
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            row.save()
            model = custom_sections.model_for(code)
            if not storage.table_exists(model):  # a table left by a flushed test database is reused
                storage.create_table(model)
            ContentType.objects.get_for_model(model)  # attachments, notes, grants and the change log key on it
            _set_sequence(row)
            registry.register(custom_sections.section_for(row))  # its fields are checked against it
            for position, definition in enumerate(fields, start=1):
                add_section_field(user=user, section=code, position=position, **definition)
            custom_sections.bump()
    except Exception:
        # the transaction is undone: so are the registration and the content type this process cached
        ContentType.objects.clear_cache()
        custom_sections.load()
        raise
    return row


def change_section(*, user, section: CustomSection, **changes) -> CustomSection:
    """Rename, re-icon, move, renumber a section, or switch its approvals on (for good)."""
    authorise(user)
    unknown = set(changes) - set(CHANGEABLE)
    if unknown:
        raise ValidationError(f"These cannot change: {', '.join(sorted(unknown))}.")
    with transaction.atomic():
        current = CustomSection.objects.select_for_update().get(pk=section.pk)
        if current.approvals and changes.get("approvals") is False:
            raise ValidationError({"approvals": "Approvals, once switched on for a section, stay on."})
        problem = mask_error(changes.get("number_mask", ""))
        if problem:
            raise ValidationError({"number_mask": problem})
        for name, value in changes.items():
            setattr(current, name, value)
        current.full_clean()
        current.save()
        _set_sequence(current)
        custom_sections.bump()
    return current


def set_section_active(*, user, section: CustomSection, active: bool) -> CustomSection:
    """Retire a section (its records, fields and rights are kept, and it is shown nowhere) or restore it."""
    authorise(user)
    with transaction.atomic():
        current = CustomSection.objects.select_for_update().get(pk=section.pk)
        current.is_active = active
        current.save(update_fields=["is_active"])
        custom_sections.bump()
    return current


def add_section_field(*, user, section: str, code: str, label: str, kind: str, **extra) -> FieldDefinition:
    """A field of a runtime section, with the index lists filter and sort it by (built once it commits)."""
    return add_field(user=user, section=section, code=code, label=label, kind=kind, **extra)

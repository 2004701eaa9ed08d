"""The Tags column every section's import has: comma-separated names ("VIP, Hot lead") added to the record's
tags. A name no tag the importer sees has is created when the import creates missing values (a corporate tag
when the importer holds the right "manage_corporate_tags", else their private one), and refused otherwise, as
lookups are; a name that is no valid tag name (too long, empty once its markup is gone) is refused with the
reason. The column adds tags and never takes one off; a rollback takes off what the import added."""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.db.models.functions import Lower

from crm.sections import tags
from crm.sections.models import Tag, TaggedRecord

from .details import CombinedExtras
from .fields import FieldSpec, ImportExtras, RefusedValue

TAGS = "tags"


def extras_of(section, user) -> ImportExtras:
    """What a file of `section` may hold beyond the record's fields: the section's own extras, then its tags."""
    column = TagColumn(section, user)
    return CombinedExtras(section.import_extras, column) if section.import_extras is not None else column


class TagColumn(ImportExtras):
    def __init__(self, section, user):
        self.section = section
        self.user = user

    def specs(self, user) -> list[FieldSpec]:
        field = Tag._meta.get_field("name")
        return [FieldSpec(TAGS, tags.TAGS_LABEL, field, "text", extra=True, converter_for=self.converter)]

    def owns(self, name: str) -> bool:
        return name == TAGS

    def as_json(self, value) -> object:
        return list(value) if isinstance(value, tuple) else value

    def converter(self, create: bool) -> Callable[[str], tuple[str, ...]]:
        """A cell's names, checked: each a valid name, and one of a tag the importer sees unless `create`."""
        known: set[str] = set()
        loaded = []

        def convert(text: str) -> tuple[str, ...]:
            names = []
            for name in tags.split_names(text):
                try:
                    names.append(tags.clean_name(name))
                except ValidationError as error:
                    shown = name[: tags.NAME_MAX_LENGTH] + ("…" if len(name) > tags.NAME_MAX_LENGTH else "")
                    raise RefusedValue(f"“{shown}”: {' '.join(error.messages)}")
            if not create and names:
                if not loaded:  # the section's tag names, once per import (a short list)
                    names_seen = tags.visible_tags(self.user, self.section).values_list("name", flat=True)
                    known.update(name.casefold() for name in names_seen)
                    loaded.append(True)
                unknown = [name for name in names if name.casefold() not in known]
                if unknown:
                    raise RefusedValue(f"There is no tag “{unknown[0]}” (allow creating missing values to add it).")
            return tuple(names)

        return convert

    def current(self, objs: list) -> dict[int, dict[str, object]]:
        held: dict[int, dict[str, object]] = {}
        on = tags.tags_by_record(self.user, self.section, [obj.pk for obj in objs])
        for pk, found in on.items():
            held[pk] = {TAGS: [tag.name for tag in found]}
        return held

    def changes(self, held: dict[str, object], values: dict[str, object]) -> dict[str, tuple[object, object]]:
        wanted = values.get(TAGS) or ()
        had = {name.casefold() for name in held.get(TAGS) or ()}
        if not wanted or {name.casefold() for name in wanted} <= had:
            return {}
        return {TAGS: (held.get(TAGS), wanted)}

    def write(self, *, user, rows: list[tuple[object, dict[str, object]]]) -> None:
        names = sorted({name for _, values in rows for name in values.get(TAGS) or ()}, key=str.casefold)
        if not names:
            return
        resolved = tags.resolve_tags(user=user, section=self.section, names=names, create=True, corporate=True)
        by_name = {tag.name.casefold(): tag for tag in resolved.tags}
        TaggedRecord.objects.bulk_create(
            [
                TaggedRecord(tag=by_name[name.casefold()], object_id=obj.pk)
                for obj, values in rows
                for name in values.get(TAGS) or ()
                if name.casefold() in by_name
            ],
            ignore_conflicts=True,
            batch_size=tags.CHUNK,
        )

    def restore(self, *, user, obj, previous: dict[str, object]) -> None:
        kept = sorted({name.casefold() for name in previous.get(TAGS) or ()})
        added = tags.visible_tags(user, self.section).annotate(_lower=Lower("name")).exclude(_lower__in=kept)
        TaggedRecord.objects.filter(object_id=obj.pk, tag__in=added).delete()

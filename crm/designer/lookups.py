"""Lookup custom fields: a value kept in the record's `custom` JSON as the id of a record of a section (built-in
or custom) or of a lookup table; offered in forms from what the user may see, resolved for display once per
request and record."""

from __future__ import annotations

import threading

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import NoReverseMatch, reverse

_local = threading.local()


def forget(*args, **kwargs) -> None:
    _local.records = {}


def _records() -> dict:
    if getattr(_local, "records", None) is None:
        _local.records = {}
    return _local.records


def lookup_formfield(field, user) -> forms.Field:
    from crm import access
    from crm.sections.widgets import use_lookup_widget

    from .custom_sections import target_model, target_section

    model = target_model(field.target)
    section = target_section(field.target)
    if model is None:
        return forms.CharField(label=field.label, required=False, disabled=True)
    if section is not None:
        queryset = model._default_manager.all()
        queryset = access.visible(user, queryset) if user is not None else queryset.none()
        form_field = forms.ModelChoiceField(queryset=queryset, label=field.label, required=field.required)
        use_lookup_widget(form_field, section)
        return form_field
    queryset = model._default_manager.filter(is_active=True)
    return forms.ModelChoiceField(queryset=queryset, label=field.label, required=field.required)


def clean_lookup(field, value) -> int:
    """The id a lookup keeps: from a record, an id, or (from a file) the record's name."""
    from .custom_sections import target_model

    model = target_model(field.target)
    if model is None:
        raise ValidationError(f"“{field.label}” points to a section that no longer exists.")
    if isinstance(value, models.Model):
        if not isinstance(value, model):
            raise ValidationError(f"Choose a {model._meta.verbose_name} for “{field.label}”.")
        return value.pk
    text = str(value).strip()
    manager = model._default_manager
    if text.isdigit() and manager.filter(pk=int(text)).exists():
        return int(text)
    names = [f.name for f in model._meta.concrete_fields if f.name in ("name", "full_name", "title", "subject")]
    for name in names:
        found = list(manager.filter(**{f"{name}__iexact": text}).values_list("pk", flat=True)[:2])
        if len(found) == 1:
            return found[0]
        if found:
            raise ValidationError(f"Several {model._meta.verbose_name_plural} are called “{text}”.")
    raise ValidationError(f"No {model._meta.verbose_name} “{text}” for “{field.label}”.")


def resolve(field, raw):
    """The record a lookup's kept id names (read once per request), or None when it is gone."""
    from .custom_sections import target_model

    if raw in (None, ""):
        return None
    model = target_model(field.target)
    if model is None:
        return None
    try:
        pk = int(raw)
    except (TypeError, ValueError):
        return None
    key = (model._meta.label, pk)
    records = _records()
    if key not in records:
        records[key] = model._default_manager.filter(pk=pk).first()
    return records[key]


def prefetch(fields, rows) -> None:
    """Read the records the lookup `fields` of `rows` name, one query per target (a list page)."""
    from .custom_sections import target_model

    records = _records()
    for field in fields:
        model = target_model(field.target)
        if model is None:
            continue
        wanted = set()
        for row in rows:
            raw = (row.custom or {}).get(field.code)
            if isinstance(raw, int) and (model._meta.label, raw) not in records:
                wanted.add(raw)
        if wanted:
            found = {obj.pk: obj for obj in model._default_manager.filter(pk__in=wanted)}
            for pk in wanted:
                records[(model._meta.label, pk)] = found.get(pk)


def display_lookup(field, value) -> str:
    if isinstance(value, models.Model):
        return str(value)
    record = resolve(field, value)
    return "" if record is None else str(record)


def references_to(obj) -> list[tuple[object, object, models.QuerySet]]:
    """(section, lookup field, rows) for every lookup field of any section whose rows point to `obj`."""
    from crm.sections import registry

    from .custom_sections import lookup_references

    section = registry.for_model(obj)
    if section is None:
        return []
    found = []
    for other, field in lookup_references(section.name):
        rows = other.model._default_manager.filter(**{f"custom__{field.code}": obj.pk})
        found.append((other, field, rows))
    return found


def repoint(section_name: str, loser_ids: list[int], survivor_id: int) -> int:
    """A merge: every lookup value naming a loser names the survivor afterwards. Returns how many rows moved."""
    from .custom_sections import lookup_references

    moved = 0
    for other, field in lookup_references(section_name):
        rows = list(other.model._base_manager.filter(**{f"custom__{field.code}__in": loser_ids}).only("pk", "custom"))
        for row in rows:
            row.custom = {**row.custom, field.code: survivor_id}
        other.model._base_manager.bulk_update(rows, ["custom"], batch_size=500)
        moved += len(rows)
    return moved


def lookup_filter(field, label: str, user):
    """A list's filter by a lookup field: the records (or lookup values) `user` may see of its target, as the
    type-ahead of a foreign key's filter; it compares the kept id (`custom -> code`, the field's index)."""
    import django_filters

    from crm import access
    from crm.sections.widgets import LookupSelect

    from .custom_sections import target_model, target_section

    model = target_model(field.target)
    section = target_section(field.target)
    if model is None:  # its target section was retired: filter by the kept id
        return django_filters.NumberFilter(field_name=field.name, label=label)
    queryset = model._default_manager.all()
    extra = {}
    if section is not None:
        queryset = access.visible(user, queryset) if user is not None else queryset.none()
        try:
            extra["widget"] = LookupSelect(lookup_url=reverse(f"{section.name}:lookup"))
        except NoReverseMatch:
            pass

    def by_record(queryset_, name, value):
        return queryset_.filter(**{name: value.pk}) if value is not None else queryset_

    return django_filters.ModelChoiceFilter(
        field_name=field.name, label=label, queryset=queryset, empty_label="Any", method=by_record, **extra
    )

"""Custom fields as the rest of the platform sees them: a `CustomField` per active definition, named
`custom__<code>` in a section's field names (the same path the ORM uses for the JSON key, so `values()`, filters and
ordering work on it), with its form field, its conversion to and from the JSON kept on the record, and its display.

Definitions are read once per request or task (one query for all sections) and forgotten when one changes.
"""

from __future__ import annotations

import datetime
import threading
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cached_property

from django import forms
from django.db import DatabaseError, models
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.formats import localize
from django.utils.html import conditional_escape

PREFIX = "custom__"
OPTION_LENGTH = 100  # the longest value of a choice
TWO_PLACES = Decimal("0.01")


def is_custom(name: str) -> bool:
    return name.startswith(PREFIX)


@dataclass(frozen=True)
class CustomField:
    section: str
    code: str
    label: str
    kind: str
    options: tuple[str, ...] = ()
    required: bool = False
    help_text: str = ""
    #: a lookup's section or lookup table (see crm.designer.custom_sections.target_model)
    target: str = ""
    unique: bool = False
    default: object = None

    is_custom = True
    is_relation = False
    many_to_many = False
    primary_key = False
    editable = True

    @property
    def name(self) -> str:
        return PREFIX + self.code

    @property
    def verbose_name(self) -> str:
        return self.label

    @property
    def choices(self) -> list[tuple[str, str]] | None:
        return [(o, o) for o in self.options] if self.kind == "choice" else None

    @property
    def flatchoices(self) -> list[tuple[str, str]]:
        return self.choices or []

    @cached_property
    def model_field(self) -> models.Field:
        """An unbound model field of the same type: what form fields, converters and validators are built from."""
        common = {"verbose_name": self.label, "blank": not self.required, "null": True, "help_text": self.help_text}
        kind = self.kind
        if kind == "long_text":
            field = models.TextField(**common)
        elif kind == "integer":
            field = models.BigIntegerField(**common)
        elif kind == "decimal":
            field = models.DecimalField(max_digits=18, decimal_places=2, **common)
        elif kind == "date":
            field = models.DateField(**common)
        elif kind == "datetime":
            field = models.DateTimeField(**common)
        elif kind == "boolean":
            field = models.BooleanField(**common)
        elif kind == "email":
            field = models.EmailField(max_length=254, **common)
        elif kind == "url":
            field = models.URLField(max_length=500, **common)
        elif kind == "choice":
            field = models.CharField(max_length=OPTION_LENGTH, choices=self.choices, **common)
        elif kind == "lookup":
            field = models.BigIntegerField(**common)
        else:
            field = models.CharField(max_length=255, **common)
        field.set_attributes_from_name(self.name)
        return field

    def has_default(self) -> bool:
        return False

    @property
    def blank(self) -> bool:
        return not self.required

    @property
    def max_length(self) -> int | None:
        return self.model_field.max_length

    @property
    def related_model(self):
        """A lookup's target model (None for the other kinds)."""
        if self.kind != "lookup":
            return None
        from .custom_sections import target_model

        return target_model(self.target)

    def formfield(self, user=None, **kwargs) -> forms.Field:
        """The form field. Its help text is escaped here: Django's and crispy's form templates write a help text
        as HTML, and this one is written by a user (issue 15: a designer's help text posting as the admin).
        A lookup offers what `user` may see of its target."""
        if self.kind == "lookup":
            from .lookups import lookup_formfield

            field = lookup_formfield(self, user)
        elif self.kind == "boolean":
            # a tick box cannot say "not filled in", so a yes/no field is never required in a form
            field = forms.BooleanField(label=self.label, required=False)
        else:
            if self.kind == "url":
                kwargs.setdefault("assume_scheme", "https")
            field = self.model_field.formfield(required=self.required, **kwargs)
        field.help_text = conditional_escape(self.help_text)
        if self.default not in (None, ""):
            field.initial = self.to_python(self.default)
        if self.kind == "date":
            field.widget = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
        elif self.kind == "datetime":
            field.widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
        return field

    # --- values ----------------------------------------------------------------------------------------------

    def clean(self, value):
        """A value checked against the field's type (raises ValidationError with a message for the user)."""
        if value in (None, ""):
            return None
        if self.kind == "lookup":
            from .lookups import clean_lookup

            return clean_lookup(self, value)
        return self.model_field.clean(value, None)

    def to_json(self, value):
        """The value as kept in the record's JSON: exact decimals and ISO dates as text; None when empty."""
        if value is None or value == "":
            return None
        if isinstance(value, Decimal):
            return str(value.quantize(TWO_PLACES))
        if isinstance(value, datetime.datetime):
            if timezone.is_naive(value):
                value = timezone.make_aware(value)
            # kept in UTC, so that the text of two moments compares as the moments do (filters, sorting)
            return value.astimezone(datetime.UTC).isoformat()
        if isinstance(value, datetime.date):
            return value.isoformat()
        if isinstance(value, models.Model):
            return value.pk
        return value

    def to_python(self, raw):
        """The JSON value back as a Python value of the field's type (a value that no longer fits is shown as kept)."""
        if raw is None or raw == "":
            return None
        try:
            if self.kind == "decimal":
                return Decimal(str(raw)).quantize(TWO_PLACES)
            if self.kind in ("integer", "lookup"):
                return int(raw)
            if self.kind == "date":
                return parse_date(str(raw)) or raw
            if self.kind == "datetime":
                return parse_datetime(str(raw)) or raw
            if self.kind == "boolean":
                return bool(raw)
        except (InvalidOperation, ValueError, TypeError):
            return raw
        return raw

    def expression(self):
        """The value as the database compares and orders it: numbers as numbers; text, ISO dates and UTC
        date-times as text, which orders them as they are."""
        text = KeyTextTransform(self.code, "custom")
        if self.kind in ("integer", "lookup"):
            return Cast(text, models.BigIntegerField())
        if self.kind == "decimal":
            return Cast(text, models.DecimalField(max_digits=18, decimal_places=2))
        return text

    def value_from_object(self, obj):
        raw = (getattr(obj, "custom", None) or {}).get(self.code)
        if self.kind == "lookup":
            from .lookups import resolve

            return resolve(self, raw)
        return self.to_python(raw)

    def display(self, value) -> str:
        if self.kind == "lookup":
            from .lookups import display_lookup

            return display_lookup(self, value)
        value = self.to_python(self.to_json(value))  # as it is kept: a decimal with its two places
        if value is None or value == "":
            return ""
        if isinstance(value, bool):
            return "Yes" if value else "No"
        if isinstance(value, datetime.datetime):
            return localize(timezone.localtime(value) if timezone.is_aware(value) else value)
        if isinstance(value, datetime.date | Decimal | int):
            return localize(value)
        return str(value)


def unique_custom_errors(section, obj) -> dict[str, str]:
    """{field name: message} for the unique custom fields of `section` whose value in `obj` another record holds."""
    errors = {}
    custom = getattr(obj, "custom", None) or {}
    for field in section.custom_fields():
        raw = custom.get(field.code)
        if not field.unique or raw in (None, ""):
            continue
        others = section.model._default_manager.filter(**{f"custom__{field.code}": raw})
        if obj.pk is not None:
            others = others.exclude(pk=obj.pk)
        if others.exists():
            errors[field.name] = f"Another {section.title_singular} already has this {field.label}."
    return errors


def set_values(obj, fields: dict[str, CustomField], values: dict[str, object]) -> None:
    """Write cleaned values (by field name) into the record's JSON; an empty value removes the key."""
    custom = dict(obj.custom or {})
    for name, value in values.items():
        field = fields[name]
        stored = field.to_json(value)
        if stored is None:
            custom.pop(field.code, None)
        else:
            custom[field.code] = stored
    obj.custom = custom


# --- the definitions, read once per request or task --------------------------------------------------------------

_local = threading.local()


def forget(*args, **kwargs) -> None:
    """Forget what the designer keeps for a request: the fields, and the rules and layouts beside them."""
    _local.__dict__.clear()


def all_fields() -> dict[str, tuple[CustomField, ...]]:
    cached = getattr(_local, "fields", None)
    if cached is None:
        from .models import FieldDefinition

        cached = {}
        rows = FieldDefinition.objects.filter(is_active=True).order_by("position", "id")
        try:
            names = ("section", "code", "label", "kind", "options", "required", "help_text", "target", "unique")
            rows = list(rows.values_list(*names, "default"))
        except DatabaseError:  # before the designer's table is migrated: no custom fields yet
            return {}
        for row in rows:
            section, code, label, kind, options, required, help_text, target, unique, default = row
            field = CustomField(
                section, code, label, kind, tuple(options or ()), required, help_text, target, unique, default
            )
            cached.setdefault(section, ())
            cached[section] += (field,)
        _local.fields = cached
    return cached


def fields_of(section_name: str) -> tuple[CustomField, ...]:
    return all_fields().get(section_name, ())

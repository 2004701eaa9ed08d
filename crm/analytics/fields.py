"""The fields a tile may add up, group by or list, read from the registry and judged against the viewer's column
rights. A tile names fields by name; `resolve` turns a name into what the query needs, or says why it cannot."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import F, OuterRef, Subquery, Value
from django.db.models.functions import Cast, Coalesce
from django.utils import timezone
from django.utils.text import capfirst

from crm.designer.fields import is_custom
from crm.sections.registry import AUDIT_FIELDS, Section

FUNCTIONS = {"count": "Number of", "sum": "Sum of", "avg": "Average of", "min": "Minimum of", "max": "Maximum of"}
DATE_STEPS = {"day": "Day", "week": "Week", "month": "Month", "quarter": "Quarter", "year": "Year"}
MISSING = "This tile refers to a field that no longer exists."


class TileProblem(Exception):
    """Why a tile cannot show its figures to the person looking at it: the message is for them."""


class MissingField(TileProblem):
    def __init__(self, name: str = ""):
        super().__init__(MISSING)
        self.name = name


class HiddenField(TileProblem):
    def __init__(self, label: str):
        super().__init__(f"You may not see “{label}”, so this tile cannot show it.")


@dataclass(frozen=True)
class FieldRef:
    """A field of a section as a tile uses it."""

    name: str
    label: str
    #: lookup, owner, choice, bool, date, datetime, number, money, text
    kind: str
    expression: object
    model_field: object = None
    choices: tuple = ()
    #: for money: the fields whose column rights the base-currency value depends on
    sources: tuple = ()

    @property
    def is_relation(self) -> bool:
        return self.kind in ("lookup", "owner")

    @property
    def is_date(self) -> bool:
        return self.kind in ("date", "datetime")


def _kind_of(field) -> str:
    if field.is_relation:
        return "owner" if field.name == "owner" else "lookup"
    if field.choices:
        return "choice"
    if isinstance(field, models.BooleanField):
        return "bool"
    if isinstance(field, models.DateTimeField):
        return "datetime"
    if isinstance(field, models.DateField):
        return "date"
    if isinstance(field, models.DecimalField) and field.decimal_places == 2:
        return "money"
    if isinstance(field, models.IntegerField | models.DecimalField | models.FloatField):
        return "number"
    return "text"


CUSTOM_KINDS = {"integer": "number", "decimal": "number", "choice": "choice", "boolean": "bool"}


def _reference(section: Section, name: str) -> FieldRef:
    """The field `name` of `section`, or MissingField."""
    if is_custom(name):
        custom = section.custom_field(name)
        if custom is None:
            raise MissingField(name)
        kind = CUSTOM_KINDS.get(custom.kind, custom.kind if custom.kind in ("date", "datetime") else "text")
        expression = custom.expression() if kind == "number" else F(name)
        if kind in ("date", "datetime"):
            # kept as ISO text (date-times in UTC): read as a date or moment, so it groups by day, week, month...
            expression = Cast(custom.expression(), models.DateField() if kind == "date" else models.DateTimeField())
        return FieldRef(name, capfirst(custom.label), kind, expression, custom, tuple(custom.choices or ()), (name,))
    try:
        field = section.opts.get_field(name)
    except FieldDoesNotExist:
        raise MissingField(name) from None
    if not field.concrete or field.many_to_many:
        raise MissingField(name)
    kind = _kind_of(field)
    expression = F(name)
    sources = (name,)
    if kind == "money":
        expression, sources = _in_base_currency(section, field)
    label = capfirst(str(field.verbose_name))
    return FieldRef(name, label, kind, expression, field, tuple(field.flatchoices or ()), sources)


def _in_base_currency(section: Section, field) -> tuple[object, tuple[str, ...]]:
    """A money field in the base currency: its `<name>_base` twin where the section keeps one, else the amount
    times its currency's rate today where records have a currency, else the amount itself."""
    names = {f.name for f in section.opts.concrete_fields}
    if f"{field.name}_base" in names:
        return F(f"{field.name}_base"), (field.name, f"{field.name}_base")
    if "currency" in names and section.opts.get_field("currency").is_relation:
        currency_model = section.opts.get_field("currency").related_model
        try:
            rates = currency_model._meta.get_field("rates").related_model
        except FieldDoesNotExist:
            return F(field.name), (field.name,)
        rate = (
            rates._default_manager.filter(currency=OuterRef("currency"), valid_from__lte=timezone.localdate())
            .order_by("-valid_from")
            .values("rate")[:1]
        )
        output = models.DecimalField(max_digits=30, decimal_places=8)
        expression = F(field.name) * Coalesce(Subquery(rate, output_field=output), Value(1, output_field=output))
        return models.ExpressionWrapper(expression, output_field=output), (field.name, "currency")
    return F(field.name), (field.name,)


def readable(section: Section, viewer) -> frozenset[str]:
    return section.readable_fields(viewer)


def resolve(section: Section, name: str, viewer, *, readable_names: frozenset[str] | None = None) -> FieldRef:
    """The field, if it exists and `viewer` may read it (and what its value derives from); else a TileProblem."""
    reference = _reference(section, name)
    names = readable(section, viewer) if readable_names is None else readable_names
    if any(source not in names for source in reference.sources):
        raise HiddenField(reference.label)
    return reference


# --- what a tile may choose from ------------------------------------------------------------------------------------


def measures(section: Section, viewer) -> list[FieldRef]:
    """Number and money fields the viewer may add up."""
    names = readable(section, viewer)
    result = []
    for name in section.field_names():
        if name.endswith("_base") or name in ("version",):
            continue
        try:
            reference = resolve(section, name, viewer, readable_names=names)
        except TileProblem:
            continue
        if reference.kind in ("number", "money"):
            result.append(reference)
    return result


def groupings(section: Section, viewer) -> list[FieldRef]:
    """The fields a chart may group by: the section's analytics fields, then its custom choices, yes/no and
    dates; those the viewer may read."""
    names = readable(section, viewer)
    candidates = list(section.analytics_fields)
    candidates += [f.name for f in section.custom_fields() if f.kind in ("choice", "boolean", "date", "datetime")]
    result = []
    for name in dict.fromkeys(candidates):
        try:
            reference = resolve(section, name, viewer, readable_names=names)
        except TileProblem:
            continue
        if reference.kind != "text" or reference.name in AUDIT_FIELDS:
            result.append(reference)
    return result


def dates(section: Section, viewer) -> list[FieldRef]:
    """The date fields a metric's period or a goal may be read on."""
    names = readable(section, viewer)
    result = []
    for name in dict.fromkeys([*section.analytics_fields, *section.field_names(), *sorted(AUDIT_FIELDS)]):
        try:
            reference = resolve(section, name, viewer, readable_names=names)
        except TileProblem:
            continue
        if reference.is_date and not is_custom(name):
            result.append(reference)
    return result

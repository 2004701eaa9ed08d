"""Unique custom fields held by the database, not only by the services: a unique index on the field's value in the
record's `custom` JSON (`custom -> 'code'`, the expression the services' check and the lists' filters compare),
on the table of the field's section, built-in or made at runtime, on PostgreSQL and SQLite alike.

The index is built when a field is made unique (or made unique from the start), in the transaction that changes
the field, after checking that no two records share a value: so the check and the index cannot disagree, and a
clash that slips in between (a record saved meanwhile) refuses the change instead of leaving a field that says
unique without an index. Building inside the transaction holds off writes to the section's table (not reads)
while it runs, a few seconds at a million records: making a field unique is rare, and being sure matters more
here than for the lists' indexes, which are built concurrently (crm.designer.storage). Making the field not
unique drops the index; retiring it keeps the index with the values, as restoring brings both back.

A save that loses a race with another (both passed the services' check) meets the index: `violation` turns the
database's refusal into the services' own message.
"""

from __future__ import annotations

import hashlib

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, models
from django.db.models import Count
from django.db.models.fields.json import KeyTransform

from .fields import CustomField


def as_field(definition) -> CustomField:
    """The custom field a definition describes, as the rest of the platform sees it."""
    return CustomField(
        definition.section,
        definition.code,
        definition.label,
        definition.kind,
        tuple(definition.options or ()),
        definition.required,
        definition.help_text,
        definition.target,
        definition.unique,
        definition.default,
    )


def sync(model: type[models.Model], definition) -> None:
    """The field's unique index as its definition says: made (values checked first) or dropped."""
    if definition.unique:
        add_index(model, as_field(definition))
    else:
        drop_index(model, definition.code)


def index_name(model: type[models.Model], code: str) -> str:
    digest = hashlib.sha1(f"{model._meta.db_table}:{code}:unique".encode(), usedforsecurity=False).hexdigest()[:8]
    return f"uq_{code[:20]}_{digest}"


def constraint(model: type[models.Model], code: str) -> models.UniqueConstraint:
    return models.UniqueConstraint(KeyTransform(code, "custom"), name=index_name(model, code))


def _existing(model: type[models.Model]) -> set[str]:
    with connection.cursor() as cursor:
        return set(connection.introspection.get_constraints(cursor, model._meta.db_table))


def _run(model: type[models.Model], sql) -> None:
    editor = connection.schema_editor(atomic=False)
    if connection.vendor == "sqlite":
        # SQLite's editor refuses to start inside a transaction; an index needs none of what it would switch off
        editor.execute(sql)
        return
    with editor:
        # PostgreSQL builds no index on a table with deferred foreign-key checks pending in the transaction
        editor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        editor.execute(sql)


def clashing_value(model: type[models.Model], field: CustomField):
    """A value of `field` that two records of `model` share (as the field shows it), or None."""
    shared = (
        model._base_manager.filter(custom__has_key=field.code)
        .annotate(_value=KeyTransform(field.code, "custom"))
        .values("_value")
        .annotate(_count=Count("pk"))
        .filter(_count__gt=1)
        .order_by("_value")
        .values_list("_value", flat=True)
        .first()
    )
    return None if shared is None else field.display(field.to_python(shared)) or str(shared)


def add_index(model: type[models.Model], field: CustomField) -> None:
    """Make `field` unique in the database (in the caller's transaction). Raises ValidationError naming a value
    two records share."""
    shared = clashing_value(model, field)
    if shared is not None:
        raise ValidationError({"unique": f"Several records share the {field.label} “{shared}”: it cannot be unique."})
    unique = constraint(model, field.code)
    if unique.name in _existing(model):
        return
    editor = connection.schema_editor(atomic=False)
    try:
        _run(model, unique.create_sql(model, editor))
    except IntegrityError:  # a record saved since the check
        raise ValidationError(
            {"unique": f"Records were just saved sharing a value of {field.label}: it cannot be unique yet."}
        ) from None


def drop_index(model: type[models.Model], code: str) -> None:
    unique = constraint(model, code)
    if unique.name in _existing(model):
        _run(model, unique.remove_sql(model, connection.schema_editor(atomic=False)))


def violation(section, error: IntegrityError) -> dict[str, str] | None:
    """{field name: message} when `error` is the unique index of one of the section's custom fields refusing a
    record (as the services' check words it), else None."""
    cause = error.__cause__
    name = getattr(getattr(cause, "diag", None), "constraint_name", None) or ""  # PostgreSQL names it
    if not name:  # SQLite: "UNIQUE constraint failed: index 'uq_…'"
        name = str(error).partition("constraint failed: index ")[2].strip().strip("'\"")
    if not name.startswith("uq_"):
        return None
    for field in section.custom_fields():
        if field.unique and index_name(section.model, field.code) == name:
            return {field.name: f"Another {section.title_singular} already has this {field.label}."}
    return None

"""Where the records of runtime sections live: a table per section made with the schema editor, the values of
its fields in the record's `custom` JSON, and an expression index per field that lists filter or sort by.

DESIGN (measured on PostgreSQL 15 on this machine, 1M records per section; /tmp figures of the run that chose):

- The candidates were (a) one table of custom records for every section, a section id on each row and the values
  in JSON, (b) a table per section with the base record's columns (owner, dates, version, name) and the values in
  JSON, and (c) a table per section with a typed column per field, altered at runtime.
- A page of 50 (filter on a choice, sort by the name; or sort by an amount) costs under a millisecond in all
  three once the expression indexes exist: (a) 0.34 ms, (b) 0.12 ms, (c) 0.08 ms warm. What differs is the
  rest: a filtered count of a third of the records took (a) 421 ms, (b) 117 ms, (c) 35 ms, and the four
  sections of (a) took 953 MB against 222 MB for one table of (b) and 168 MB of (c): in (a) every section pays
  for the others' rows in every scan, every index carries the section id, and vacuum and statistics mix them.
- (b) is what we chose. The base columns are the same for every section, so a section's model class never
  changes after it is made (no model rebuilt, no table altered, when a field is added, renamed or retired), the
  generic machinery sees a plain model with its own content type (attachments, notes, feed, change log, grants,
  approvals key on it as on any other), and the values are exactly where custom fields on built-in sections
  keep theirs, so forms, filters, sorting, export, import, duplicates and merge treat both alike. (c) is faster
  still on counts, but altering tables at runtime means a model rebuilt in every process whenever a field
  changes, and a retired field's column to keep; the 2x bar of bench/designer.py is met without it.
- Indexes: a field that lists filter or sort by gets an expression index on the very expression the ORM writes
  (`custom -> 'code'` for equality filters on choices and lookups, `(custom ->> 'code')::numeric` for numbers,
  `custom ->> 'code'` for text and ISO dates), built with CREATE INDEX CONCURRENTLY on PostgreSQL after the
  field's transaction commits, so a section in use is never locked while its index is built.
- Renaming a field or the section changes labels only (the code names the data); retiring keeps the table, the
  values and the indexes, and restoring brings them back as they were.
"""

from __future__ import annotations

from django.db import connection, models, transaction
from django.db.models import F
from django.db.models.fields.json import KeyTextTransform, KeyTransform
from django.db.models.functions import Cast

#: kinds whose lists filter by equality (choices, lookups, yes/no), by range or sort (numbers, text, dates)
EQUALITY_KINDS = ("choice", "lookup", "boolean")
NUMBER_KINDS = ("integer", "decimal")
TEXT_KINDS = ("text", "email", "date", "datetime")


def create_table(model: type[models.Model]) -> None:
    """Create the table of a runtime section's model, in the caller's transaction (PostgreSQL and SQLite both
    roll DDL back with it: a refused section leaves no table behind)."""
    editor = connection.schema_editor(atomic=False)
    if connection.vendor == "sqlite":
        # SQLite's editor refuses to start inside a transaction (it would switch foreign key checks off, which
        # SQLite cannot do there); creating a table needs no such switch, so its statements are run directly.
        editor.deferred_sql = []
        editor.create_model(model)
        for statement in editor.deferred_sql:
            editor.execute(statement)
        return
    with editor:
        editor.create_model(model)
        # the quick and global search read the name and number through trigram indexes, as a built-in section's
        table = model._meta.db_table
        for column in ("name", "number"):
            editor.execute(
                f"CREATE INDEX {table[:50]}_{column}_trgm ON {table} USING gin ((UPPER({column}::text)) gin_trgm_ops)"
            )


def table_exists(model: type[models.Model]) -> bool:
    with connection.cursor() as cursor:
        return model._meta.db_table in connection.introspection.table_names(cursor)


def index_expression(field):
    """The expression lists filter or sort the custom `field` by, as crm.sections writes it; None: no index."""
    if field.kind in EQUALITY_KINDS:
        return KeyTransform(field.code, "custom")
    if field.kind == "integer":
        return Cast(KeyTextTransform(field.code, "custom"), models.BigIntegerField())
    if field.kind == "decimal":
        return Cast(KeyTextTransform(field.code, "custom"), models.DecimalField(max_digits=18, decimal_places=2))
    if field.kind in TEXT_KINDS:
        return KeyTextTransform(field.code, "custom")
    return None


def index_name(model: type[models.Model], code: str) -> str:
    import hashlib

    digest = hashlib.sha1(f"{model._meta.db_table}:{code}".encode(), usedforsecurity=False).hexdigest()[:8]
    return f"usr_{code[:15]}_{digest}"


def field_indexes(model: type[models.Model], field) -> list[models.Index]:
    """The field's indexes: one for equality filters; for a sortable field one per direction, each ending on the
    id as the list's order does (`expr ASC NULLS LAST, id ASC` and `expr DESC NULLS LAST, id DESC`: a backward
    scan of the first would put the empty values first, and the list puts them last both ways)."""
    expression = index_expression(field)
    if expression is None:
        return []
    name = index_name(model, field.code)
    if field.kind in EQUALITY_KINDS:
        return [models.Index(expression, name=name)]
    # SQLite has no NULLS LAST in an index (and puts NULLs first ascending): its indexes are the plain ones
    nulls_last = {"nulls_last": True} if connection.vendor == "postgresql" else {}
    return [
        models.Index(expression.asc(**nulls_last), F("id").asc(), name=f"{name}a"),
        models.Index(expression.desc(**nulls_last), F("id").desc(), name=f"{name}d"),
    ]


def build_index(model: type[models.Model], field) -> bool:
    """Build the field's indexes that are missing: CONCURRENTLY on PostgreSQL (outside any transaction, so run
    it after the field's commit). Returns whether one was built."""
    existing = existing_indexes(model)
    missing = [index for index in field_indexes(model, field) if index.name not in existing]
    concurrently = connection.vendor == "postgresql" and not connection.in_atomic_block
    for index in missing:
        editor = connection.schema_editor(atomic=False)
        if connection.vendor == "sqlite":
            editor.execute(index.create_sql(model, editor))
            continue
        with editor:
            if concurrently:
                editor.add_index(model, index, concurrently=True)
            else:
                if connection.vendor == "postgresql":
                    # inside a transaction that wrote rows: PostgreSQL builds no index on a table with deferred
                    # foreign-key checks pending, so they are made now
                    editor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                editor.add_index(model, index)
    return bool(missing)


def existing_indexes(model: type[models.Model]) -> set[str]:
    with connection.cursor() as cursor:
        return set(connection.introspection.get_constraints(cursor, model._meta.db_table))


def build_index_after_commit(section_name: str, code: str) -> None:
    """Enqueue the build of a field's index once the transaction that made the field commits."""
    from .tasks import build_field_index

    transaction.on_commit(lambda: build_field_index.delay(section_name, code))

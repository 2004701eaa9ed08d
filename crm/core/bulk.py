"""Fast bulk writes (imports, seeding): on PostgreSQL rows go in with COPY (ids drawn from the table's sequence first,
so the caller knows them); elsewhere Django's bulk_create. New model instances are cloned from a template
instead of built field by field.
"""

from __future__ import annotations

import operator

from django.db import connection, models
from django.db.models.base import ModelState
from django.utils import timezone

try:  # psycopg 3
    from psycopg.types.json import Jsonb
except ImportError:  # pragma: no cover - SQLite-only installs
    Jsonb = None


class Factory:
    """Makes unsaved instances of `model` with their defaults, about twenty times faster than `model()`.

    Callable defaults run per instance (a new dict, a new list), except two kinds read once per `stamp()`:
    `timezone.now` (a batch's records share their creation time; datetimes are immutable, so sharing is safe) and
    the default of a foreign key (a product's unit, tax and currency: a query naming an existing row, the same for
    every record, so per instance it would cost a query a record).
    """

    def __init__(self, model: type[models.Model]):
        self.model = model
        template = model()
        self.values = {k: v for k, v in template.__dict__.items() if k != "_state"}
        callables = [
            (f.attname, f.default, f.is_relation)
            for f in model._meta.concrete_fields
            if f.has_default() and callable(f.default)
        ]
        self.clocks = [name for name, default, _ in callables if default is timezone.now]
        self.shared = [
            (f, f.default)
            for f in model._meta.concrete_fields
            if f.is_relation and f.has_default() and callable(f.default) and f.default is not timezone.now
        ]
        #: attname -> (field, the default's row) for the defaults that give a whole row: set in each instance's
        #: related cache, so that its clean() reading e.g. the default stage does not query per record
        self.related: dict[str, tuple[models.Field, models.Model]] = {}
        self.fresh = [
            (name, default) for name, default, relation in callables if not relation and default is not timezone.now
        ]
        self.stamp()

    def stamp(self) -> None:
        """Read the clock, and the defaults shared by every record, for the instances made from now on."""
        now = timezone.now()
        values = dict.fromkeys(self.clocks, now)
        related = {}
        for field, default in self.shared:
            value = default()
            values[field.attname] = value.pk if isinstance(value, models.Model) else value
            if isinstance(value, models.Model) and value._state.db is not None:
                related[field.attname] = (field, value)
        self.values = {**self.values, **values}  # a new dict: an instance being made elsewhere keeps the one it read
        self.related = related

    def __call__(self, values: dict | None = None) -> models.Model:
        """A new instance; `values` (attnames) are set straight into it, as loading from the database does."""
        obj = self.model.__new__(self.model)
        state = obj.__dict__ = self.values.copy()
        for attname, default in self.fresh:
            state[attname] = default()  # a new dict per row: never shared
        if values:
            state.update(values)
        obj._state = ModelState()
        for attname, (field, value) in self.related.items():
            if state.get(attname) == value.pk:  # still the default (the values did not name another row)
                field.set_cached_value(obj, value)
        return obj


def insert(model: type[models.Model], objs: list[models.Model]) -> None:
    """Insert `objs` and set their primary keys."""
    if not objs:
        return
    if connection.vendor != "postgresql":
        model._default_manager.bulk_create(objs, batch_size=1000)
        return
    opts = model._meta
    table = connection.ops.quote_name(opts.db_table)
    pk = opts.pk
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [opts.db_table, pk.column, len(objs)],
        )
        ids = [row[0] for row in cursor.fetchall()]
    for obj, pk_value in zip(objs, ids, strict=True):
        obj.pk = pk_value
        obj._state.adding = False
        obj._state.db = "default"
    fields = list(opts.concrete_fields)
    json_fields = {i for i, f in enumerate(fields) if isinstance(f, models.JSONField)}
    # values psycopg cannot take as they are (a FieldFile) go through the field's own preparation
    prepared = [(i, f) for i, f in enumerate(fields) if isinstance(f, models.FileField)]
    # a row's values in one call, not one per field (attrgetter gives a bare value for a single name)
    getter = operator.attrgetter(*(f.attname for f in fields))
    row_of = getter if len(fields) > 1 else lambda obj: (getter(obj),)
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    # the raw cursor's errors become Django's (an IntegrityError the caller can catch) as a cursor's would
    with connection.cursor() as cursor, connection.wrap_database_errors:
        with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as stream:  # noqa: S608 - model metadata
            write = stream.write_row
            for obj in objs:
                row = row_of(obj)
                if json_fields or prepared:
                    row = list(row)
                    for index in json_fields:
                        row[index] = Jsonb(row[index]) if row[index] is not None else None
                    for index, field in prepared:
                        row[index] = field.get_db_prep_save(row[index], connection)
                write(row)


def insert_rows(model: type[models.Model], columns: list[str], rows: list[tuple]) -> None:
    """Insert plain tuples of `columns` (attnames) into `model`'s table (no ids needed back)."""
    if not rows:
        return
    if connection.vendor != "postgresql":
        model._default_manager.bulk_create([model(**dict(zip(columns, row, strict=True))) for row in rows], 1000)
        return
    opts = model._meta
    fields = [opts.get_field(name) for name in columns]
    # the model's other columns take their defaults (a row is written at once, so one value serves every row)
    extra = [f for f in opts.concrete_fields if f not in fields and not f.primary_key and f.has_default()]
    if extra:
        fields += extra
        tail = tuple(f.get_default() for f in extra)
        rows = (tuple(row) + tail for row in rows)
    json_fields = {i for i, f in enumerate(fields) if isinstance(f, models.JSONField)}
    names = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    with connection.cursor() as cursor, connection.wrap_database_errors:
        with cursor.cursor.copy(f"COPY {connection.ops.quote_name(opts.db_table)} ({names}) FROM STDIN") as stream:  # noqa: S608
            for row in rows:
                if json_fields:
                    row = [Jsonb(v) if i in json_fields and v is not None else v for i, v in enumerate(row)]
                stream.write_row(row)


class AnyOf(models.Lookup):
    """`field__any_of=[...]`: membership in a long list. On PostgreSQL one array parameter (`= ANY(%s)`), which
    parses and plans in constant time whatever the list's length; elsewhere the usual IN."""

    lookup_name = "any_of"
    prepare_rhs = False

    def get_prep_lookup(self):
        return list(self.rhs)

    def as_sql(self, compiler, connection):
        lhs, params = self.process_lhs(compiler, connection)
        if connection.vendor == "postgresql":
            return f"{lhs} = ANY(%s)", [*params, self.rhs]
        if not self.rhs:
            return "1 = 0", []
        return f"{lhs} IN ({', '.join(['%s'] * len(self.rhs))})", [*params, *self.rhs]


models.Field.register_lookup(AnyOf)
models.ForeignObject.register_lookup(AnyOf)  # relations keep lookups of their own: `account_id__any_of`


def pk_among(ids: models.QuerySet) -> models.Q:
    """`pk IN (ids)`. On PostgreSQL as `pk = ANY(ARRAY(ids))`: the ids are read once, before the rows, and the
    primary key's index finds them, in id order, so the condition can join the others' indexes in one bitmap (a
    semi-join inside an OR can only be checked row by row), and a query with a limit stops once it has enough."""
    from django.db import connections

    if connections[ids.db].vendor != "postgresql":
        return models.Q(pk__in=ids)
    from django.contrib.postgres.expressions import ArraySubquery

    return models.Q(_AnyOfArray(models.F("pk"), ArraySubquery(ids)))


class _AnyOfArray(models.Func):
    """`expression = ANY(array)`, a condition."""

    arg_joiner = " = ANY("
    template = "(%(expressions)s))"
    output_field = models.BooleanField()

"""Lookups for administrators (operation right "manage_lookups"): every lookup table of every section in one
list, the built-in ones (each model extending crm.core.models.Lookup) and those made at runtime for custom fields
(LookupTable, values in LookupValue); values added, renamed, reordered, deactivated, deleted only while unused,
and merged: the records using one value are re-pointed to the other, in one transaction.

A custom field uses a runtime table when its definition's options name it as "lookup:<code>" and keeps the
value's id in the record's `custom` JSON (the section wizard's lookup fields)."""

from __future__ import annotations

from dataclasses import dataclass

from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Count, Max, Q

from crm import access
from crm.core.models import Lookup
from crm.sections import registry

from .fields import PREFIX
from .models import FieldDefinition, LookupTable, LookupValue

CUSTOM = "custom."


@dataclass(frozen=True)
class Table:
    """A lookup table as the Lookups page lists it: `key` is the model's label ("accounts.industry") or
    "custom.<code>" for a table made at runtime."""

    key: str
    title: str
    model: type[models.Model] | None = None
    table: LookupTable | None = None
    sections: tuple[str, ...] = ()

    @property
    def is_custom(self) -> bool:
        return self.table is not None

    def values(self) -> models.QuerySet:
        if self.table is not None:
            return self.table.values.order_by("position", "name")
        return self.model._default_manager.order_by("position", "name")


def authorise(user) -> None:
    if not access.can(user, "manage_lookups"):
        raise PermissionDenied("You may not manage lookups.")


def builtin_models() -> list[type[models.Model]]:
    return [m for m in apps.get_models() if issubclass(m, Lookup) and not m._meta.abstract]


def custom_references(code: str) -> list[tuple[str, str]]:
    """(section, custom field code) of the custom fields whose values come from the runtime table `code`."""
    marker = f"lookup:{code}"
    return [
        (section, field_code)
        for section, field_code, options in FieldDefinition.objects.values_list("section", "code", "options")
        if isinstance(options, list) and marker in options
    ]


def all_tables() -> list[Table]:
    """Every lookup table, with the sections whose records use it; built-in ones by title, then runtime ones."""
    using: dict[type, list[str]] = {}
    for section in registry.all_sections():
        for field in section.opts.concrete_fields:
            if field.many_to_one and field.related_model is not None and issubclass(field.related_model, Lookup):
                using.setdefault(field.related_model, [])
                if section.title not in using[field.related_model]:
                    using[field.related_model].append(section.title)
    tables = [
        Table(
            key=model._meta.label_lower,
            title=str(model._meta.verbose_name_plural).capitalize(),
            model=model,
            sections=tuple(using.get(model, ())),
        )
        for model in builtin_models()
    ]
    tables.sort(key=lambda t: (t.sections[:1] or ("~",), t.title))
    for table in LookupTable.objects.order_by("title"):
        sections = tuple(
            dict.fromkeys(registry.get(s).title for s, _ in custom_references(table.code) if s in registry._registry)
        )
        tables.append(Table(key=CUSTOM + table.code, title=table.title, table=table, sections=sections))
    return tables


def table_for(key: str) -> Table | None:
    if key.startswith(CUSTOM):
        table = LookupTable.objects.filter(code=key.removeprefix(CUSTOM)).first()
        return Table(key=key, title=table.title, table=table) if table else None
    try:
        model = apps.get_model(key)
    except (LookupError, ValueError):
        return None
    if not issubclass(model, Lookup):
        return None
    return Table(key=key, title=str(model._meta.verbose_name_plural).capitalize(), model=model)


# --- who uses a value --------------------------------------------------------------------------------------------


def _references(table: Table) -> list[tuple[type[models.Model], str, bool]]:
    """(model, field or `custom__<code>`, whether it is many-to-many) of everything that can hold a value."""
    found = []
    if table.model is not None:
        # every relation, those without a reverse accessor (related_name="+") too; an automatic many-to-many
        # table is reached through its many-to-many field
        for relation in table.model._meta.get_fields(include_hidden=True):
            if not (relation.is_relation and relation.auto_created and not relation.concrete):
                continue
            if relation.related_model._meta.auto_created:
                continue
            found.append((relation.related_model, relation.field.name, relation.many_to_many))
        code = table.key
    else:
        code = table.table.code
    for section_name, field_code in custom_references(code):
        if section_name in registry._registry:
            found.append((registry.get(section_name).model, PREFIX + field_code, False))
    return found


def _points_at(name: str, pk: int) -> Q:
    if name.startswith(PREFIX):
        return Q(**{name: pk}) | Q(**{name: str(pk)})
    return Q(**{name: pk})


def usage(table: Table) -> dict[int, int]:
    """{value id: how many rows use it}; one query per referring field, whatever the values."""
    counts: dict[int, int] = {}
    if table.model is not None:
        for model, name, _many in _references(table):
            if name.startswith(PREFIX):
                continue
            rows = model._base_manager.filter(**{f"{name}__isnull": False}).values(name).annotate(n=Count("pk"))
            for row in rows:
                counts[row[name]] = counts.get(row[name], 0) + row["n"]
    ids = list(table.values().values_list("pk", flat=True))
    for model, name, _ in _references(table):
        if not name.startswith(PREFIX):
            continue
        for pk in ids:  # a runtime table is short; the JSON key is indexed where it is filtered
            found = model._base_manager.filter(_points_at(name, pk)).count()
            if found:
                counts[pk] = counts.get(pk, 0) + found
    return counts


def in_use(table: Table, value) -> bool:
    return any(model._base_manager.filter(_points_at(name, value.pk)).exists() for model, name, _ in _references(table))


# --- services ---------------------------------------------------------------------------------------------------


def _clean_name(name: str) -> str:
    name = (name or "").strip()
    if not name:
        raise ValidationError("A value needs a name.")
    if len(name) > 150:
        raise ValidationError("A name is at most 150 characters long.")
    return name


def _name_taken(table: Table, name: str, exclude=None) -> bool:
    values = table.values().filter(name__iexact=name)
    if exclude is not None:
        values = values.exclude(pk=exclude.pk)
    return values.exists()


def add_value(*, user, table: Table, name: str, description: str = ""):
    authorise(user)
    name = _clean_name(name)
    with transaction.atomic():
        if _name_taken(table, name):
            raise ValidationError(f"“{name}” is already a value of {table.title}.")
        position = (table.values().aggregate(m=Max("position"))["m"] or 0) + 1
        if table.table is not None:
            value = LookupValue(table=table.table, name=name, description=description[:500], position=position)
        else:
            value = table.model(name=name, description=description[:500], position=position)
            value.full_clean()
        value.save()
    return value


def rename_value(*, user, table: Table, value, name: str):
    authorise(user)
    name = _clean_name(name)
    with transaction.atomic():
        if _name_taken(table, name, exclude=value):
            raise ValidationError(f"“{name}” is already a value of {table.title}.")
        value.name = name
        value.save(update_fields=["name"])
    return value


def move_value(*, user, table: Table, value, offset: int) -> None:
    """Move a value up (offset -1) or down (+1) the list; positions are renumbered 1..n."""
    authorise(user)
    with transaction.atomic():
        ordered = list(table.values().select_for_update())
        index = next(i for i, v in enumerate(ordered) if v.pk == value.pk)
        other = index + offset
        if 0 <= other < len(ordered):
            ordered[index], ordered[other] = ordered[other], ordered[index]
        for position, item in enumerate(ordered, start=1):
            if item.position != position:
                item.position = position
                item.save(update_fields=["position"])


def set_active(*, user, table: Table, value, active: bool):
    authorise(user)
    value.is_active = active
    value.save(update_fields=["is_active"])
    return value


def _builtin_process_value(value) -> bool:
    """A value a process knows by its code (an opportunity stage): it may be renamed, never removed."""
    return bool(getattr(value, "code", ""))


def delete_value(*, user, table: Table, value) -> None:
    authorise(user)
    if _builtin_process_value(value):
        raise ValidationError(f"“{value}” is a value the process needs: deactivate it instead.")
    with transaction.atomic():
        if in_use(table, value):
            raise ValidationError(f"“{value}” is in use: deactivate it, or merge it into another value.")
        value.delete()


def merge_values(*, user, table: Table, source, target) -> int:
    """Re-point every record using `source` to `target` and delete `source`, in one transaction; each re-pointed
    record of a section gets a change log entry (one bulk insert for them all). Returns how many rows were
    re-pointed."""
    authorise(user)
    if source.pk == target.pk:
        raise ValidationError("Choose two different values to merge.")
    if _builtin_process_value(source):
        raise ValidationError(f"“{source}” is a value the process needs: merge the other value into it instead.")
    moved = 0
    changed: list[tuple[type[models.Model], str, list[int]]] = []  # (model, field, ids of the rows re-pointed)
    with transaction.atomic():
        # locked first: a record saved meanwhile with the value waits, and then fails on it, rather than keep it
        list(type(source)._base_manager.select_for_update().filter(pk=source.pk).values_list("pk", flat=True))
        for model, name, many in _references(table):
            if many:
                ids = _merge_many(model, name, source, target)
            elif name.startswith(PREFIX):
                code = name.removeprefix(PREFIX)
                rows = list(model._base_manager.filter(_points_at(name, source.pk)).select_for_update())
                for row in rows:
                    row.custom = {**row.custom, code: target.pk}
                model._base_manager.bulk_update(rows, ["custom"], batch_size=500)
                ids = [row.pk for row in rows]
            else:
                rows = model._base_manager.filter(**{name: source})
                ids = list(rows.select_for_update().values_list("pk", flat=True))
                rows.update(**{name: target})
            moved += len(ids)
            changed.append((model, name, ids))
        _log_merge(user, changed, source, target)
        source.delete()
    return moved


def _log_merge(user, changed, source, target) -> None:
    """A change log entry per record of a section whose field held `source` and now holds `target`, inserted at
    once (a merge may re-point many thousands of records)."""
    from django.contrib.contenttypes.models import ContentType
    from django.utils import timezone

    from crm.core import bulk
    from crm.sections.models import ChangeLogEntry

    now, rows = timezone.now(), []
    for model, name, ids in changed:
        section = registry.for_model(model)
        if section is None or not ids:  # rows of no section (a detail's, a history's) have no change log
            continue
        field = section.custom_field(name) if name.startswith(PREFIX) else model._meta.get_field(name)
        label = str(getattr(field, "verbose_name", name)) if field is not None else name
        content_type = ContentType.objects.get_for_model(model).pk
        changes = [{"field": name, "label": label, "old": str(source), "new": str(target)}]
        rows.extend(
            (content_type, pk, ChangeLogEntry.Action.UPDATE, getattr(user, "pk", None), now, changes) for pk in ids
        )
    bulk.insert_rows(ChangeLogEntry, ["content_type_id", "object_id", "action", "user_id", "at", "changes"], rows)


def _merge_many(model, name: str, source, target) -> list[int]:
    """A many-to-many use: the rows holding both keep one. Returns the ids of the records whose values changed."""
    through = model._meta.get_field(name).remote_field.through
    own, other = None, None
    for field in through._meta.concrete_fields:
        if field.many_to_one and field.related_model is model:
            own = field.name
        elif field.many_to_one and field.related_model is type(source):
            other = field.name
    if own is None or other is None:
        return []
    holding = through._base_manager.filter(**{other: source})
    ids = sorted(set(holding.values_list(f"{own}_id", flat=True)))
    both = through._base_manager.filter(**{other: target}).values(own)
    through._base_manager.filter(**{other: source, f"{own}__in": both}).delete()
    holding.update(**{other: target})
    return ids


def create_table(*, user, code: str, title: str) -> LookupTable:
    """A lookup table made at runtime, for custom fields."""
    authorise(user)
    table = LookupTable(code=(code or "").strip(), title=(title or "").strip())
    with transaction.atomic():
        table.full_clean()
        table.save()
    return table

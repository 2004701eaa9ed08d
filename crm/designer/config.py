"""Configuration as data: the system designer's configuration (the section wizard's sections, custom fields,
page layouts, details, business rules, lookup tables and their values) as one JSON file, and that file imported
on another installation, with a dry run listing what would change. One transaction: a file refused anywhere
changes nothing.

What is exported is the list `EXPORTED`, each entry a model with its natural key (no database ids cross
installations): a part added later is one more entry. A section is created and changed through the section
wizard's services (its table, numbering and registration come with it), in the import's one transaction."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction

from crm.sections import registry

from . import custom_sections, fields, rules, section_services, services
from . import lookup_tables as lookups
from .models import BusinessRule, DetailDefinition, FieldDefinition, LookupTable, LookupValue, PageLayout
from .section_models import CustomSection

FORMAT = "opencrm-designer"
VERSION = 1


@dataclass(frozen=True)
class Exported:
    """One kind of row in the file: `key` names it there; `natural_key` finds the row on import; `fields` are
    copied; `check(row)` refuses a row that does not fit this installation (ValidationError)."""

    key: str
    model: type
    natural_key: tuple[str, ...]
    fields: tuple[str, ...]
    check: Callable | None = None
    #: (the file's name of a key, the model field it is, how it is found): a row pointing at another by code
    parent: tuple[str, str, Callable] | None = None
    #: `dump(obj, row) -> row`: what is written for ids of this installation (a rule's lookup values by name)
    dump: Callable | None = None
    #: `save(user=, obj=, action=, changed=)`: how a row is written when a service must do it (a section and its
    #: table); by default the row is checked by `check` and saved
    save: Callable | None = None

    def rows(self) -> list[dict]:
        queryset = self.model._default_manager.order_by(*self.natural_key)
        if self.parent is not None:
            name, field, _ = self.parent
            queryset = self.model._default_manager.select_related(field).order_by(f"{field}__code", "position", "name")
        result = []
        for obj in queryset:
            row = {name: getattr(obj, name) for name in (*self.natural_key, *self.fields) if name != "table"}
            if self.parent is not None:
                row[self.parent[0]] = getattr(obj, self.parent[1]).code
            result.append(self.dump(obj, row) if self.dump else row)
        return result


def _check_section(row) -> None:
    try:
        registry.get(row.section)
    except KeyError:
        raise ValidationError(f"No section “{row.section}” here.") from None


def _check_field(row: FieldDefinition) -> None:
    row.full_clean(validate_unique=False)


def _check_rule(row: BusinessRule) -> None:
    _check_section(row)
    fields.forget()  # the fields and rules this file brought before this one count
    rules.clean(row, registry.get(row.section))


def _check_detail(row: DetailDefinition) -> None:
    _check_section(row)
    row.full_clean(validate_unique=False)


def _table_by_code(code: str) -> LookupTable:
    table = LookupTable.objects.filter(code=code).first()
    if table is None:
        raise ValidationError(f"No lookup table “{code}”.")
    return table


def _save_section(*, user, obj: CustomSection, action: str, changed: list[str]) -> None:
    """A new section is made by the section wizard (its table, numbering and registration); a known one is
    changed, retired or restored by its services."""
    if action == "create":
        values = {name: getattr(obj, name) for name in SECTION_FIELDS if name != "is_active"}
        made = section_services.create_section(user=user, code=obj.code, **values)
        if not obj.is_active:
            section_services.set_section_active(user=user, section=made, active=False)
        return
    changes = {name: getattr(obj, name) for name in changed if name != "is_active"}
    if changes:
        section_services.change_section(user=user, section=obj, **changes)
    if "is_active" in changed:
        section_services.set_section_active(user=user, section=obj, active=obj.is_active)


def _save_field(*, user, obj: FieldDefinition, action: str, changed: list[str]) -> None:
    """A field is checked and saved; a unique one gets its unique index (refused when values clash), and one of a
    runtime section the index its list filters and sorts by, as the section wizard's fields do."""
    _check_field(obj)
    obj.save()
    services.sync_unique_index(obj)
    services.index_runtime_field(obj)


SECTION_FIELDS = (*section_services.CHANGEABLE, "is_active")

#: in the order they are imported: what a row needs comes before it (a section before its fields and the
#: lookups pointing to it)
EXPORTED: list[Exported] = [
    Exported("sections", CustomSection, ("code",), SECTION_FIELDS, save=_save_section),
    Exported(
        "fields",
        FieldDefinition,
        ("section", "code"),
        ("label", "kind", "options", "target", "required", "unique", "default", "help_text", "position", "is_active"),
        save=_save_field,
    ),
    Exported("lookup_tables", LookupTable, ("code",), ("title",), lambda row: row.full_clean(validate_unique=False)),
    Exported(
        "lookup_values",
        LookupValue,
        ("table", "name"),
        ("description", "position", "is_active"),
        None,
        ("table", "table", _table_by_code),
    ),
    Exported("layouts", PageLayout, ("section",), ("groups", "hidden"), _check_section),
    Exported(
        "details",
        DetailDefinition,
        ("section", "code"),
        ("title", "source", "relation", "columns", "sort", "editable", "position"),
        _check_detail,
    ),
    Exported(
        "rules",
        BusinessRule,
        ("section", "name"),
        ("match", "conditions", "action", "target", "values", "formula", "position", "is_active"),
        _check_rule,
        dump=lambda obj, row: rules.portable(obj, row),
    ),
]


def builtin_lookup_rows() -> list[dict]:
    """The values of the built-in lookup tables: their names, descriptions, order and whether active."""
    rows = []
    for model in lookups.builtin_models():
        for value in model._default_manager.order_by("position", "name"):
            rows.append(
                {
                    "table": model._meta.label_lower,
                    "name": value.name,
                    "description": value.description,
                    "position": value.position,
                    "is_active": value.is_active,
                }
            )
    return rows


def export() -> dict:
    data = {"format": FORMAT, "version": VERSION}
    for exported in EXPORTED:
        data[exported.key] = exported.rows()
    data["builtin_lookups"] = builtin_lookup_rows()
    return data


@dataclass(frozen=True)
class Change:
    part: str
    key: str
    action: str  # "create" or "update"
    fields: tuple[str, ...] = ()

    def __str__(self) -> str:
        if self.action == "create":
            return f"{self.part}: add {self.key}"
        return f"{self.part}: change {self.key} ({', '.join(self.fields)})"


def _import_part(exported: Exported, rows: list, changes: list[Change], user) -> None:
    if not isinstance(rows, list):
        raise ValidationError(f"“{exported.key}” must be a list.")
    for index, data in enumerate(rows):
        if not isinstance(data, dict):
            raise ValidationError(f"{exported.key} #{index + 1}: not an object.")
        lookup = {}
        for name in exported.natural_key:
            if name not in data:
                raise ValidationError(f"{exported.key} #{index + 1}: “{name}” is missing.")
            lookup[name] = data[name]
        label = "/".join(str(v) for v in lookup.values())
        try:
            if exported.parent is not None:
                file_name, field, find = exported.parent
                lookup[field] = find(str(lookup.pop(file_name)))
            obj = exported.model._default_manager.filter(**lookup).first()
            action = "update" if obj is not None else "create"
            obj = obj or exported.model(**lookup)
            # compared as the file writes them (a rule's lookup values by name)
            current = {name: getattr(obj, name) for name in exported.fields}
            if exported.dump is not None and action == "update":
                current = exported.dump(obj, current)
            changed = []
            for name in exported.fields:
                if name in data and current[name] != data[name]:
                    setattr(obj, name, data[name])
                    changed.append(name)
            if action == "update" and not changed:
                continue
            if exported.save is not None:
                exported.save(user=user, obj=obj, action=action, changed=changed)
            else:
                if exported.check is not None:
                    exported.check(obj)
                obj.save()
        except ValidationError as error:
            raise ValidationError(f"{exported.key} “{label}”: {' '.join(error.messages)}") from None
        except (TypeError, ValueError) as error:
            raise ValidationError(f"{exported.key} “{label}”: {error}") from None
        changes.append(Change(exported.key, label, action, tuple(changed)))


def _import_builtin_lookups(rows: list, changes: list[Change]) -> None:
    models_by_label = {m._meta.label_lower: m for m in lookups.builtin_models()}
    if not isinstance(rows, list):
        raise ValidationError("“builtin_lookups” must be a list.")
    for data in rows:
        model = models_by_label.get(str(data.get("table", ""))) if isinstance(data, dict) else None
        if model is None or not str(data.get("name", "")).strip():
            raise ValidationError(f"builtin_lookups: no lookup table “{data.get('table') if data else ''}” here.")
        obj = model._default_manager.filter(name=data["name"]).first()
        action = "update" if obj is not None else "create"
        obj = obj or model(name=data["name"])
        changed = []
        for name in ("description", "position", "is_active"):
            if name in data and getattr(obj, name) != data[name]:
                setattr(obj, name, data[name])
                changed.append(name)
        if action == "update" and not changed:
            continue
        try:
            obj.full_clean()
        except ValidationError as error:
            raise ValidationError(f"builtin_lookups “{data['name']}”: {' '.join(error.messages)}") from None
        obj.save()
        changes.append(Change("builtin_lookups", f"{data['table']}/{data['name']}", action, tuple(changed)))


def import_configuration(*, user, data: dict, dry_run: bool = True) -> list[Change]:
    """Bring the file's configuration in; what changed (or, on a dry run, what would). Refuses the whole file
    (ValidationError) at the first row that does not fit."""
    rules.authorise(user)
    lookups.authorise(user)
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ValidationError("This is not a configuration file of the system designer.")
    if data.get("version") != VERSION:
        raise ValidationError(f"This file is of version {data.get('version')}; this installation reads {VERSION}.")
    changes: list[Change] = []
    try:
        with transaction.atomic():
            for exported in EXPORTED:
                if exported.key in data:
                    _import_part(exported, data[exported.key], changes, user)
            if "builtin_lookups" in data:
                _import_builtin_lookups(data["builtin_lookups"], changes)
            if dry_run:
                transaction.set_rollback(True)
    finally:
        fields.forget()
        if data.get("sections"):
            # a dry run (or a refused file) undid the sections it made: so are their registration and content types
            ContentType.objects.clear_cache()
            custom_sections.load()
    return changes

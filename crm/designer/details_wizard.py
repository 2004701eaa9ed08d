"""The detail wizard: a tab on a section's record page listing the records of another section that point at the
record (by a foreign key, or a custom lookup field: the `custom` JSON key holding the record's id), with the
columns and sort the administrator chose, optionally editable in place (each row's chosen fields saved through
the section services, so column rights, edit guards and business rules hold).

Each tab costs the same few queries whatever the rows: the rows (their joins declared by the listed section's
queryset) and, for an editable detail, the ids the reader may edit."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import DatabaseError, models, transaction
from django.db.models import Q
from django.shortcuts import render

from crm import access
from crm.sections import registry

from . import rules
from .fields import PREFIX, _local
from .models import DetailDefinition

ROWS = 50
TAB_PREFIX = "detail-"
#: custom field kinds that can hold a record's id: the section wizard's lookup fields, and a plain integer
LOOKUP_KINDS = frozenset({"lookup", "integer"})


def all_details() -> dict[str, tuple[DetailDefinition, ...]]:
    cached = getattr(_local, "details", None)
    if cached is None:
        cached = {}
        try:
            rows = list(DetailDefinition.objects.order_by("position", "id"))
        except DatabaseError:  # before the designer's tables are migrated
            return {}
        for row in rows:
            cached[row.section] = (*cached.get(row.section, ()), row)
        _local.details = cached
    return cached


def details_of(section_name: str) -> tuple[DetailDefinition, ...]:
    return all_details().get(section_name, ())


def relations_to(host) -> list[tuple[str, str, str]]:
    """(section name, field name, label) of every field of every section that can point at `host`'s records."""
    found = []
    for other in registry.all_sections():
        for field in other.opts.concrete_fields:
            if field.many_to_one and field.related_model is not None:
                if field.related_model._meta.concrete_model is host.model:
                    found.append((other.name, field.name, f"{other.title}: {field.verbose_name}"))
        for custom in other.custom_fields():
            target = getattr(custom, "target", None) or None  # a field of no target keeps "" there
            if target == host.name or target is None and custom.kind in LOOKUP_KINDS:
                found.append((other.name, custom.name, f"{other.title}: {custom.label} (custom)"))
    return found


def points_at(relation: str, pk: int) -> Q:
    """The rows whose `relation` holds `pk`; a custom field's JSON may keep the id as a number or as text."""
    if relation.startswith(PREFIX):
        return Q(**{relation: pk}) | Q(**{relation: str(pk)})
    return Q(**{relation: pk})


def record_tabs(section) -> list[registry.RecordTab]:
    return [
        registry.RecordTab(TAB_PREFIX + d.code, d.title, _tab_view(d.pk), position=45) for d in details_of(section.name)
    ]


def _definition(section, pk: int) -> DetailDefinition | None:
    return next((d for d in details_of(section.name) if d.pk == pk), None)


def _tab_view(pk: int):
    def view(request, section, record):
        definition = _definition(section, pk)
        return render(request, "designer/_detail_tab.html", tab_context(request.user, definition, record))

    return view


def source_of(definition: DetailDefinition):
    try:
        return registry.get(definition.source)
    except KeyError:
        return None


def available_columns(source) -> list:
    """The columns a detail may show: the record's name, the section's list columns, then its other fields."""
    from django.utils.text import capfirst

    columns = {"__str__": registry.Column("__str__", source.label_for("__str__"), None, None)}
    columns.update((c.path, c) for c in source.all_columns())
    for name in source.field_names():
        if name in columns:
            continue
        field = source.field(name)
        if getattr(field, "many_to_many", False):
            continue
        sort_key, is_relation = name, bool(getattr(field, "is_relation", False))
        if is_relation:
            ordering = field.related_model._meta.ordering or ["pk"]
            sort_key = f"{name}__{ordering[0].lstrip('-')}"
        columns[name] = registry.Column(name, capfirst(str(field.verbose_name)), sort_key, field, is_relation)
    return list(columns.values())


def sort_keys(source) -> dict[str, str]:
    return {c.path: c.sort_key for c in available_columns(source) if c.sort_key}


def columns_of(definition: DetailDefinition, source, user) -> list:
    readable = source.readable_fields(user)
    chosen = {c.path: c for c in available_columns(source) if c.path == "__str__" or c.name in readable}
    return [chosen[path] for path in definition.columns if path in chosen]


def rows_of(definition: DetailDefinition, source, user, record) -> models.QuerySet:
    """The rows the reader may see, in the chosen order."""
    queryset = access.visible(user, source.get_queryset()).filter(points_at(definition.relation, record.pk))
    sort = definition.sort.lstrip("-")
    key = sort_keys(source).get(sort)
    if key:
        queryset = queryset.order_by(("-" if definition.sort.startswith("-") else "") + key, "-pk")
    else:
        queryset = queryset.order_by(source.default_sort, "-pk")
    return queryset


def tab_context(user, definition, record) -> dict:
    source = source_of(definition) if definition else None
    if source is None or not access.can(user, "read", source):
        return {"definition": definition, "rows": [], "columns": [], "forbidden": True, "object": record}
    queryset = rows_of(definition, source, user, record)
    rows = list(queryset[:ROWS])
    editable_ids = set()
    if definition.editable and rows:
        editable_ids = set(
            access.visible(user, queryset, "edit").filter(pk__in=[r.pk for r in rows]).values_list("pk", flat=True)
        )
    return {
        "definition": definition,
        "source": source,
        "rows": rows,
        "columns": columns_of(definition, source, user),
        "editable_ids": editable_ids,
        "object": record,
        "more": len(rows) == ROWS,
    }


def edit_form(user, definition, source, row, data=None):
    """The form of a row edited in place: the chosen columns the user may write."""
    from crm.sections.forms import form_class_for

    form = form_class_for(source, user, row)(data, instance=row, user=user, section=source)
    keep = {c for c in definition.columns} | {"version"}
    for name, field in list(form.fields.items()):
        if name not in keep:
            del form.fields[name]
        elif name != "version":
            kind = "form-select" if field.widget.input_type == "select" else "form-control"
            if getattr(field.widget, "input_type", "") == "checkbox":
                kind = "form-check-input"
            field.widget.attrs["class"] = f"{kind} {kind}-sm" if kind != "form-check-input" else kind
    return form


def save_row(*, user, definition, source, row, form):
    """Save a row edited in place through the section services (rights, guards, business rules)."""
    from crm.sections import services

    names = [n for n in form.fields if n != "version"]
    data = {name: form.cleaned_data[name] for name in names if name in form.cleaned_data}
    version = form.cleaned_data.get("version") or row.version
    return services.update_record(section=source, user=user, obj=row, data=data, expected_version=version)


# --- services ---------------------------------------------------------------------------------------------------


def save_detail(*, user, section, detail: DetailDefinition | None = None, **values) -> DetailDefinition:
    """Add a detail to `section`'s page (detail None) or change one."""
    rules.authorise(user)
    with transaction.atomic():
        row = detail or DetailDefinition(section=section.name)
        for name, value in values.items():
            setattr(row, name, value)
        errors = {}
        row.title = (row.title or "").strip()
        if not row.title:
            errors["title"] = "Give the detail a title."
        try:
            row.full_clean(exclude=["columns"])
        except ValidationError as error:
            errors.update({k: " ".join(v) for k, v in error.message_dict.items()})
        relations = {(s, f) for s, f, _ in relations_to(section)}
        source = source_of(row)
        if (row.source, row.relation) not in relations:
            errors["relation"] = f"No field of {row.source or 'that section'} points at {section.title}."
        elif source is not None:
            paths = {c.path for c in available_columns(source)}
            columns = [str(c) for c in row.columns or []]
            unknown = [c for c in columns if c not in paths]
            if unknown:
                errors["columns"] = f"Unknown column “{unknown[0]}”."
            elif not columns:
                errors["columns"] = "Choose at least one column."
            row.columns = columns
            if row.sort and row.sort.lstrip("-") not in sort_keys(source):
                errors["sort"] = f"{source.title} cannot be sorted by “{row.sort}”."
        taken = {tab.name for tab in section.detail_tabs} | {tab.name for tab in section.tabs}
        if TAB_PREFIX + row.code in taken:
            errors["code"] = "The page has a tab of that name already."
        if errors:
            raise ValidationError(errors)
        row.save()
    return row


def delete_detail(*, user, detail: DetailDefinition) -> None:
    rules.authorise(user)
    detail.delete()

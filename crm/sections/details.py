"""The detail editor: rows a record owns (addresses, communication options, banking details, ...) listed and
edited in place on the record's page, and the cards of its left column.

A section declares its details in `Section.detail_tabs`; the generic views under /<section>/<pk>/details/<name>/
list, add, change and delete rows through `save_row` and `delete_row`, which check that the user may edit the
record, write in one transaction, keep one primary row where rows have a primary flag, run the detail's
`after_write` hook (e.g. a contact's email follows its primary email option) and log the change on the record.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from django import forms
from django.apps import apps
from django.core.exceptions import FieldDoesNotExist, PermissionDenied
from django.db import models, transaction
from django.utils import timezone
from django.utils.text import capfirst

from crm import access
from crm.core.communication import keep_one_primary, promote_a_primary


@dataclass(frozen=True)
class Detail:
    """Rows of `model` that belong to a record through the foreign key `relation`.

    `fields` are edited by a generated form (or `form_class`), `columns` listed (paths, or (path, label) pairs).
    The hooks make room for details that are not one plain foreign key: `rows(record)` picks the rows,
    `prepare(record, rows)` decorates them for display (tree depth, the other party of a relationship), and
    `add`/`change`/`remove` replace the generic services (same keyword arguments). `after_write(user=, record=)`
    runs inside the transaction after every write. A `read_only` detail is only listed.
    """

    name: str
    title: str
    model: type[models.Model] | str
    relation: str = ""
    fields: Sequence[str] = ()
    columns: Sequence[str | tuple[str, str]] = ()
    form_class: type[forms.BaseForm] | None = None
    rows: Callable[[models.Model], models.QuerySet] | None = None
    prepare: Callable[[models.Model, list], list] | None = None
    add: Callable | None = None
    change: Callable | None = None
    remove: Callable | None = None
    after_write: Callable | None = None
    select_related: Sequence[str] = ()
    empty_text: str = "None yet."
    #: written by the record's process only (a stage history): listed, never edited by hand
    read_only: bool = False

    def resolved_model(self) -> type[models.Model]:
        return apps.get_model(self.model) if isinstance(self.model, str) else self.model

    @property
    def label(self) -> str:
        """The model's label, e.g. "accounts.AccountAddress", as `Section.detail_models` lists it."""
        return self.model if isinstance(self.model, str) else self.model._meta.label

    def queryset(self, record) -> models.QuerySet:
        """The record's rows: the only rows that can be shown, changed or deleted through this record."""
        if self.rows is not None:
            queryset = self.rows(record)
        else:
            queryset = self.resolved_model()._default_manager.filter(**{self.relation: record})
        return queryset.select_related(*self.select_related) if self.select_related else queryset

    def display_rows(self, user, record, limit: int = 200) -> list:
        """The rows to show `user`. A column naming a record the user may not see shows as restricted, never by
        name: each row gets `hidden_paths`, computed with one query per model shown. So does a column derived
        from a field of the record the user may not see (a line's total from the record's amount)."""
        rows = list(self.queryset(record)[:limit])
        rows = self.prepare(record, rows) if self.prepare else rows
        paths = [column[0] if isinstance(column, tuple) else column for column in self.columns or self.fields]
        hidden = self.hidden_columns(user, record)
        shown: dict[type, set] = {}
        for row in rows:
            row.hidden_paths = set(hidden)
            for path in paths:
                value = _resolve(row, path)
                if isinstance(value, models.Model):
                    shown.setdefault(type(value), set()).add(value.pk)
        visible = {model: _visible_ids(user, model, ids) for model, ids in shown.items()}
        for row in rows:
            for path in paths:
                value = _resolve(row, path)
                if isinstance(value, models.Model) and value.pk not in visible[type(value)]:
                    row.hidden_paths.add(path)
        return rows

    def hidden_columns(self, user, record) -> set[str]:
        """The columns (and form fields) derived from a field of the record that `user` may not see: the
        section's `derived_values` name them "<detail>.<column>"."""
        from . import registry

        section = registry.for_model(record)
        if section is None:
            return set()
        paths = [column[0] if isinstance(column, tuple) else column for column in self.columns or self.fields]
        return {
            path for path in {*paths, *self.fields} if not access.can_read_value(user, section, f"{self.name}.{path}")
        }

    def column_labels(self) -> list[tuple[str, str]]:
        model = self.resolved_model()
        result = []
        for column in self.columns or self.fields:
            if isinstance(column, tuple):
                result.append(column)
                continue
            try:
                label = model._meta.get_field(column.split("__")[0]).verbose_name
            except FieldDoesNotExist:
                label = column.replace("_", " ")
            result.append((column, capfirst(str(label))))
        return result

    def get_form_class(self) -> type[forms.BaseForm]:
        if self.form_class is not None:
            return self.form_class
        meta = type("Meta", (), {"model": self.resolved_model(), "fields": list(self.fields)})
        return type(f"{self.resolved_model().__name__}DetailForm", (DetailForm,), {"Meta": meta})


def _resolve(row, path: str):
    value = row
    for part in path.split("__"):
        value = getattr(value, part, None)
        if value is None:
            return None
    return value


def _visible_ids(user, model, ids: set) -> set:
    """The ids among `ids` the user may see; rows of models that are no section (lookups) are all visible."""
    from . import registry

    if registry.for_model(model) is None:
        return ids
    return set(access.visible(user, model._default_manager.filter(pk__in=ids)).values_list("pk", flat=True))


@dataclass(frozen=True)
class DetailTab:
    """A tab of the record page holding one card per detail, e.g. "General information"."""

    name: str
    title: str
    details: Sequence[Detail]


@dataclass(frozen=True)
class Card:
    """A card in the left column of a record's page: `context(user, record)` returns the template's context, or
    None to leave the card out (e.g. no primary contact, or one the user may not see)."""

    template: str
    context: Callable[[object, models.Model], dict | None]


class DetailForm(forms.ModelForm):
    """The generated form of a detail row: the same choice rules as record forms (only visible records,
    type-ahead for big tables, active lookup values) and date pickers. `setup(record)` narrows choices."""

    def __init__(self, *args, user=None, record=None, **kwargs):
        super().__init__(*args, **kwargs)
        from .forms import SectionForm

        self.user = user
        self.record = record
        for name, field in self.fields.items():
            model_field = self._meta.model._meta.get_field(name)
            if isinstance(field, forms.ModelChoiceField):
                SectionForm._restrict_choices(self, name, field, model_field)
            if isinstance(model_field, models.DateField) and not isinstance(model_field, models.DateTimeField):
                field.widget = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
            if isinstance(field.widget, forms.Textarea):
                field.widget.attrs["rows"] = 2
            css = (
                "form-check-input" if isinstance(field.widget, forms.CheckboxInput) else "form-control form-control-sm"
            )
            if isinstance(field.widget, forms.Select) and not field.widget.attrs.get("data-lookup-url"):
                css = "form-select form-select-sm"
            field.widget.attrs.setdefault("class", css)
        self.setup(record)

    def setup(self, record) -> None:
        """Narrow the choices to what makes sense for `record` (e.g. a parent unit of the same account)."""

    def row_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in self._meta.fields if name in self.cleaned_data}


# --- services ---------------------------------------------------------------------------------------------


def authorise(user, record, detail: Detail | None = None) -> None:
    """Details are part of the record: changing them needs the right to edit the record, and the record must not
    be locked for its detail (waiting for approval, a paid invoice's products: see the edit guards)."""
    if not access.can(user, "edit", record):
        raise PermissionDenied("You may not change this record.")
    if detail is not None:
        from .services import check_edit_guards, detail_part

        check_edit_guards(user=user, obj=record, fields=frozenset({detail_part(detail.name)}))


def record_detail_change(*, user, record, label: str, old: str, new: str) -> None:
    """Log a detail change in the record's change log and mark the record modified. Its version stays: a form
    of the record opened meanwhile can still be saved (hooks that change the record's own fields bump it)."""
    from .services import ChangeLogEntry, log_change

    log_change(
        obj=record,
        user=user,
        action=ChangeLogEntry.Action.UPDATE,
        changes=[{"field": label, "label": label, "old": old, "new": new}],
    )
    type(record)._default_manager.filter(pk=record.pk).update(modified_at=timezone.now(), modified_by=user)


def update_record_fields(record, values: dict, *, bump_version: bool | None = None) -> dict:
    """Write fields of `record` that follow its details (a contact's email follows its primary email option).

    Only what differs is written, and `record` is updated in memory. The version goes up when a field users edit
    changed (unless `bump_version` says otherwise), so that an edit form opened before cannot overwrite it.
    Returns the fields written."""
    model = type(record)
    current = model._default_manager.filter(pk=record.pk).values(*values).first() or {}
    changed = {name: value for name, value in values.items() if current.get(name) != value}
    if not changed:
        return {}
    if bump_version is None:
        bump_version = any(model._meta.get_field(name).editable for name in changed)
    update = dict(changed)
    if bump_version:
        update.update(version=models.F("version") + 1, modified_at=timezone.now())
    model._default_manager.filter(pk=record.pk).update(**update)
    for name, value in changed.items():
        setattr(record, name, value)
    if bump_version:
        record.version = model._default_manager.filter(pk=record.pk).values_list("version", flat=True).get()
    return changed


def _has_primary_flag(row) -> bool:
    return hasattr(row, "siblings") and any(f.name == "is_primary" for f in row._meta.concrete_fields)


def add_row(*, detail: Detail, user, record, data: dict):
    """Add a row of `detail` to `record`."""
    authorise(user, record, detail)
    with transaction.atomic():
        row = detail.resolved_model()(**{detail.relation: record})
        for name, value in data.items():
            setattr(row, name, value)
        row.full_clean()
        row.save()
        if _has_primary_flag(row):
            keep_one_primary(row)
        if detail.after_write:
            detail.after_write(user=user, record=record)
        record_detail_change(user=user, record=record, label=detail.title, old="", new=str(row))
    return row


def change_row(*, detail: Detail, user, record, row, data: dict):
    """Change one of `record`'s rows of `detail`."""
    authorise(user, record, detail)
    with transaction.atomic():
        row = detail.queryset(record).select_related(None).select_for_update().get(pk=row.pk)
        before = str(row)
        for name, value in data.items():
            setattr(row, name, value)
        row.full_clean()
        row.save()
        if _has_primary_flag(row):
            keep_one_primary(row)
        if detail.after_write:
            detail.after_write(user=user, record=record)
        record_detail_change(user=user, record=record, label=detail.title, old=before, new=str(row))
    return row


def delete_row(*, detail: Detail, user, record, row) -> None:
    """Delete one of `record`'s rows of `detail`; if it was the primary one, another becomes primary."""
    authorise(user, record, detail)
    if detail.remove is not None:
        detail.remove(detail=detail, user=user, record=record, row=row)
        _details_changed(record)
        return
    with transaction.atomic():
        siblings = row.siblings().exclude(pk=row.pk) if _has_primary_flag(row) else None
        text = str(row)
        row.delete()
        if siblings is not None:
            promote_a_primary(siblings)
        if detail.after_write:
            detail.after_write(user=user, record=record)
        record_detail_change(user=user, record=record, label=detail.title, old=text, new="")
    _details_changed(record)


def save_row(*, detail: Detail, user, record, data: dict, row=None):
    """Add (no `row`) or change a row, through the detail's own service where it declares one."""
    authorise(user, record, detail)
    if row is None:
        service = detail.add or add_row
        saved = service(detail=detail, user=user, record=record, data=data)
    else:
        service = detail.change or change_row
        saved = service(detail=detail, user=user, record=record, row=row, data=data)
    _details_changed(record)
    return saved


def _details_changed(record) -> None:
    """The record's duplicate keys are refreshed: rules compare its addresses and communication options too."""
    from crm.duplicates.hooks import record_saved

    record_saved(record)


def details_of(section) -> Iterable[Detail]:
    for tab in section.detail_tabs:
        yield from tab.details


# --- cards ------------------------------------------------------------------------------------------------


def profile_card(field: str, fields: Sequence[str], title: str = "") -> Card:
    """The mini-profile of the record a foreign key points at (an account's primary contact, a contact's account),
    shown only if the user may see that record, with only the fields they may read."""

    def context(user, record) -> dict | None:
        related_id = getattr(record, f"{field}_id", None)
        if related_id is None:
            return None
        from . import registry

        model_field = record._meta.get_field(field)
        related_section = registry.for_model(model_field.related_model)
        if related_section is None:
            return None
        related = access.visible(user, related_section.get_queryset()).filter(pk=related_id).first()
        if related is None:
            return None
        readable = related_section.readable_fields(user)
        return {
            "name": field,
            "title": title or capfirst(str(model_field.verbose_name)),
            "related": related,
            "related_section": related_section,
            "fields": [related_section.opts.get_field(name) for name in fields if name in readable],
        }

    return Card("sections/cards/_profile.html", context)


def completeness_card(weight_model) -> Card:
    """The profile completeness indicator, with weights from `weight_model` (a CompletenessWeightBase)."""
    from crm.core import completeness

    def context(user, record) -> dict:
        return {
            "completeness": completeness.for_record(record, weight_model),
            "low": completeness.LOW_BELOW,
            "high": completeness.HIGH_FROM,
        }

    return Card("sections/cards/_completeness.html", context)

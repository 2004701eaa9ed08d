"""The merge of two or more records of a section into one, found generically from the model's relations so that a
new section needs no merge code: the survivor takes the field values the user chose, unites the detail rows
without repeats, and every reference to the others (foreign keys and many-to-many of any model, generic
references, attachments, notes, folder entries) is re-pointed to it, in one transaction. Custom field values take
part like the other fields where the user may write them; the rest of the records' `custom` JSON is united (the
survivor's value first, else the oldest other's)."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone

from crm import access
from crm.core.communication import AddressBase, CommunicationOptionBase
from crm.designer.fields import is_custom
from crm.designer.fields import set_values as set_custom_values
from crm.designer.lookups import repoint as repoint_lookups
from crm.sections import registry, tags
from crm.sections.models import Attachment, ChangeLogEntry, FolderItem, Note
from crm.sections.registry import Section
from crm.sections.services import MERGE, check_edit_guards, display_value, log_change

from .models import DuplicateKey, MergedRecord, NotDuplicatePair
from .normalisation import normalise_text


@dataclass
class FieldChoice:
    """A field whose values differ between the merged records: the options and the one chosen by default."""

    name: str
    label: str
    options: list[tuple[int, str]]  # (record id, value shown)
    chosen: int


def merge_order(records: list[models.Model]) -> list[models.Model]:
    """Oldest first: the oldest record survives by default."""
    return sorted(records, key=lambda r: (getattr(r, "created_at", None) or timezone.now(), r.pk))


def _mergeable_fields(section: Section, user) -> list:
    """The fields the user may write, model fields then custom fields (`CustomField`, with the same API)."""
    writable = access.fields_for(user, section, "write").writable
    names = [n for n in (section.form_fields or section.field_names()) if n in writable and not is_custom(n)]
    result = []
    for name in names:
        model_field = section.opts.get_field(name)
        if model_field.concrete and not model_field.many_to_many and not model_field.primary_key:
            result.append(model_field)
    return result + [f for f in section.custom_fields() if f.name in writable]


def _is_empty(value) -> bool:
    return value is None or value == ""


def united_custom(survivor, others: list, *, leave_out: set[str] = frozenset()) -> dict:
    """The survivor's `custom` JSON with the keys it lacks (or holds empty) taken from the others, in the order
    given: the values of custom fields hidden from the user, read-only to them, deactivated or deleted. The keys
    of `leave_out` (codes of the fields the user merges by choice) are left as the survivor holds them."""
    custom = dict(survivor.custom or {})
    for other in others:
        for code, value in (other.custom or {}).items():
            if code not in leave_out and _is_empty(custom.get(code)) and not _is_empty(value):
                custom[code] = value
    return custom


def field_choices(*, section: Section, user, survivor, others: list) -> list[FieldChoice]:
    """The fields the user picks a value for: those with two or more different non-empty values. The default is
    the survivor's value, or else the oldest non-empty one."""
    choices = []
    records = [survivor, *merge_order(others)]
    for model_field in _mergeable_fields(section, user):
        options, seen = [], set()
        for record in records:
            shown = (
                display_value(record, model_field)
                if not model_field.is_relation
                else str(getattr(record, model_field.name) or "")
            )
            if _is_empty(model_field.value_from_object(record)) or shown in seen:
                continue
            seen.add(shown)
            options.append((record.pk, shown))
        if len(options) > 1:
            choices.append(FieldChoice(model_field.name, str(model_field.verbose_name), options, options[0][0]))
    return choices


def check_merge_rights(*, user, section: Section, survivor, others: list) -> None:
    """Merging needs the operation right, edit on the survivor and delete on every other record."""
    if not access.can(user, "merge_duplicates"):
        raise PermissionDenied("You may not merge records.")
    if not access.can(user, "edit", survivor):
        raise PermissionDenied(f"You may not edit “{survivor}”.")
    for other in others:
        if not access.can(user, "delete", other):
            raise PermissionDenied(f"You may not delete “{other}”.")
    # a locked record (waiting for approval) is neither changed nor deleted by a merge
    check_edit_guards(user=user, obj=survivor, fields=frozenset({MERGE}))
    for other in others:
        check_edit_guards(user=user, obj=other, fields=None)


def merge_records(*, section: Section, user, survivor, others: list, choices: dict[str, int] | None = None):
    """Merge `others` into `survivor`; `choices` maps a field name to the id of the record whose value is kept.

    Returns the survivor. Raises PermissionDenied or ValidationError having changed nothing; any failure midway
    rolls the whole merge back.
    """
    others = [o for o in others if o.pk != survivor.pk]
    if not others:
        raise ValidationError("Choose at least two records to merge.")
    if any(type(o)._meta.concrete_model is not section.model for o in [survivor, *others]):
        raise ValidationError("Only records of the same section can be merged.")
    check_merge_rights(user=user, section=section, survivor=survivor, others=others)
    choices = dict(choices or {})
    mergeable = {f.name: f for f in _mergeable_fields(section, user)}
    ids = {survivor.pk, *(o.pk for o in others)}
    for name, record_id in choices.items():
        if name not in mergeable:
            raise PermissionDenied(f"You may not change: {name}")
        if record_id not in ids:
            raise ValidationError(f"The value of {name} must come from one of the merged records.")
    loser_ids = sorted(o.pk for o in others)

    with transaction.atomic():
        locked = {r.pk: r for r in section.model._default_manager.select_for_update().filter(pk__in=ids)}
        if set(locked) != ids:
            raise ValidationError("A record to merge no longer exists.")
        survivor = locked[survivor.pk]
        ordered_losers = merge_order([locked[pk] for pk in loser_ids])
        # the change log tells every field changed, custom ones united without a choice too (as an edit's does)
        logged = {**mergeable, **{f.name: f for f in section.custom_fields() if f.name not in mergeable}}
        before = {name: display_value(survivor, f) for name, f in logged.items()}

        # every custom key but those merged below goes along (survivor's value, else the oldest other's)
        survivor.custom = united_custom(
            survivor, ordered_losers, leave_out={f.code for f in mergeable.values() if getattr(f, "is_custom", False)}
        )
        new_values = {}
        for name, model_field in mergeable.items():
            if name in choices:
                new_values[name] = model_field.value_from_object(locked[choices[name]])
            elif _is_empty(model_field.value_from_object(survivor)):
                filled = next((r for r in ordered_losers if not _is_empty(model_field.value_from_object(r))), None)
                if filled is not None:
                    new_values[name] = model_field.value_from_object(filled)
        # a unique value (a contact's user) moves: the record it comes from lets go of it first
        for name, value in new_values.items():
            model_field = mergeable[name]
            if getattr(model_field, "unique", False) and model_field.null and value is not None:
                section.model._default_manager.filter(pk__in=loser_ids, **{model_field.attname: value}).update(
                    **{model_field.attname: None}
                )

        content_type = ContentType.objects.get_for_model(section.model)
        repoint_references(section=section, survivor=survivor, loser_ids=loser_ids, content_type=content_type)
        tag_change = tags.unite_records(section=section, survivor=survivor, loser_ids=loser_ids)

        for name, value in new_values.items():
            if not is_custom(name):
                setattr(survivor, mergeable[name].attname, value)
        custom_fields = {f.name: f for f in section.custom_fields()}
        set_custom_values(survivor, custom_fields, {n: v for n, v in new_values.items() if n in custom_fields})
        survivor.full_clean(exclude=["owner", "created_by", "modified_by"], validate_unique=False)
        if hasattr(survivor, "version"):
            survivor.version += 1
            survivor.modified_by = user
            survivor.modified_at = timezone.now()
        survivor.save()

        changes = [
            {"field": name, "label": str(f.verbose_name), "old": before[name], "new": display_value(survivor, f)}
            for name, f in logged.items()
            if before[name] != display_value(survivor, f)
        ]
        if tag_change is not None:
            changes.append(tag_change)
        changes.append(
            {
                "field": "__merged__",
                "label": "Merged records",
                "old": "; ".join(f"{r} (#{r.pk})" for r in ordered_losers),
                "new": f"{survivor} (#{survivor.pk})",
            }
        )
        log_change(obj=survivor, user=user, action=ChangeLogEntry.Action.MERGE, changes=changes)

        MergedRecord.objects.filter(content_type=content_type, survivor_id__in=loser_ids).update(
            survivor_id=survivor.pk
        )
        MergedRecord.objects.bulk_create(
            [
                MergedRecord(content_type=content_type, old_id=pk, survivor_id=survivor.pk, merged_by=user)
                for pk in loser_ids
            ]
        )
        DuplicateKey.objects.filter(content_type=content_type, object_id__in=loser_ids).delete()
        NotDuplicatePair.objects.filter(
            Q(first_id__in=loser_ids) | Q(second_id__in=loser_ids), content_type=content_type
        ).delete()
        for loser in ordered_losers:
            access.record_deleted(obj=loser)
            loser.delete()

        from .services import index_record, resolve_groups_with

        index_record(survivor)
        resolve_groups_with(section=section, ids=set(loser_ids))
    return survivor


# --- re-pointing ------------------------------------------------------------------------------------------------


def repoint_references(*, section: Section, survivor, loser_ids: list[int], content_type: ContentType) -> None:
    """Every row pointing at a loser points at the survivor afterwards, or is dropped when it would repeat one
    the survivor has (a detail row with the same normalised value, a row a unique constraint allows once)."""
    model = section.model
    details = set(section.detail_models)
    for relation in model._meta.related_objects:
        if relation.many_to_many:
            through = relation.through
            for through_field in through._meta.concrete_fields:
                if through_field.is_relation and through_field.related_model is model:
                    _repoint_rows(through, through_field.name, survivor, loser_ids)
            continue
        related_model = relation.related_model
        if related_model._meta.label in details:
            _unite_detail_rows(related_model, relation.field.name, survivor, loser_ids)
        else:
            _repoint_rows(related_model, relation.field.name, survivor, loser_ids)
    # many-to-many fields of the model itself: the survivor gets the union
    for model_field in model._meta.many_to_many:
        through = model_field.remote_field.through
        source = model_field.m2m_field_name()
        _repoint_rows(through, source, survivor, loser_ids)

    # lookup custom fields of any section that name a loser (kept in their records' JSON)
    repoint_lookups(section.name, loser_ids, survivor.pk)
    generic = {"content_type": content_type, "object_id__in": loser_ids}
    Attachment.objects.filter(**generic).update(object_id=survivor.pk)
    Note.objects.filter(**generic).update(object_id=survivor.pk)
    for item in FolderItem.objects.filter(folder__section=section.name, object_id__in=loser_ids):
        if FolderItem.objects.filter(folder_id=item.folder_id, object_id=survivor.pk).exists():
            item.delete()
        else:
            FolderItem.objects.filter(pk=item.pk).update(object_id=survivor.pk)
    for reference in registry.generic_references():
        reference_model = reference.resolved_model()
        rows = reference_model._base_manager.filter(
            **{reference.content_type_field: content_type, f"{reference.object_id_field}__in": loser_ids}
        )
        _repoint_generic_rows(reference_model, rows, reference.object_id_field, survivor.pk)


def _unique_sets(model: type[models.Model]) -> list[tuple[tuple[str, ...], Q | None]]:
    """The field sets a unique constraint allows once (with the constraint's condition, if any)."""
    sets: list[tuple[tuple[str, ...], Q | None]] = []
    for model_field in model._meta.concrete_fields:
        if model_field.unique and not model_field.primary_key:
            sets.append(((model_field.name,), None))
    for fields in model._meta.unique_together:
        sets.append((tuple(fields), None))
    for constraint in model._meta.constraints:
        if isinstance(constraint, models.UniqueConstraint) and constraint.fields:
            sets.append((tuple(constraint.fields), constraint.condition))
    return sets


def _conflicts(model, row, changes: dict[str, object]) -> bool:
    """Would `row` with `changes` repeat a row that a unique constraint allows once?"""
    manager = model._base_manager
    for fields, condition in _unique_sets(model):
        attnames = {model._meta.get_field(name).attname for name in fields}
        if not set(changes) & (attnames | set(fields)):
            continue
        if condition is not None and not manager.filter(condition, pk=row.pk).exists():
            continue
        lookup = {}
        for name in fields:
            attname = model._meta.get_field(name).attname
            lookup[attname] = changes.get(attname, changes.get(name, getattr(row, attname)))
        others = manager.filter(**lookup).exclude(pk=row.pk)
        if condition is not None:
            others = others.filter(condition)
        if others.exists():
            return True
    return False


def _constrained(model, names: set[str]) -> bool:
    """Does a unique constraint of `model` involve one of the fields `names` (names or column attnames)?"""
    for fields, _condition in _unique_sets(model):
        if names & ({model._meta.get_field(name).attname for name in fields} | set(fields)):
            return True
    return False


def _repoint_rows(model, field_name: str, survivor, loser_ids: list[int]) -> None:
    model_field = model._meta.get_field(field_name)
    rows = model._base_manager.filter(**{f"{model_field.attname}__in": loser_ids})
    if model._meta.concrete_model is type(survivor)._meta.concrete_model:
        # a record of the same model pointing at a loser (a parent account): the losers themselves go anyway
        rows = rows.exclude(pk__in=loser_ids)
        if getattr(survivor, model_field.attname, None) in loser_ids:
            rows = rows.exclude(pk=survivor.pk)
            model._base_manager.filter(pk=survivor.pk).update(**{model_field.attname: None})
            setattr(survivor, model_field.attname, None)
    if not _constrained(model, {field_name}):
        rows.update(**{model_field.attname: survivor.pk})
        return
    for row in rows:
        if _conflicts(model, row, {model_field.attname: survivor.pk}):
            model._base_manager.filter(pk=row.pk).delete()
        else:
            model._base_manager.filter(pk=row.pk).update(**{model_field.attname: survivor.pk})


def _repoint_generic_rows(model, rows: models.QuerySet, object_id_field: str, survivor_id: int) -> None:
    if not _constrained(model, {object_id_field}):
        rows.update(**{object_id_field: survivor_id})
        return
    for row in rows:
        if _conflicts(model, row, {object_id_field: survivor_id}):
            model._base_manager.filter(pk=row.pk).delete()
        else:
            model._base_manager.filter(pk=row.pk).update(**{object_id_field: survivor_id})


def detail_signature(row, owner_field: str) -> tuple:
    """What makes two detail rows the same: a communication option's normalised value, an address's text, or
    else every value of the row but its owner, primary flag and timestamps."""
    if isinstance(row, CommunicationOptionBase):
        return ("option", row.normalized or normalise_text(row.value))
    if isinstance(row, AddressBase):
        return ("address", normalise_text(row.one_line()))
    skip = {owner_field, "is_primary", "created_at", "modified_at"}
    return tuple(
        normalise_text(str(value)) if isinstance(value, str) else value
        for f in row._meta.concrete_fields
        if not f.primary_key and f.name not in skip
        for value in [f.value_from_object(row)]
    )


def _unite_detail_rows(model, owner_field: str, survivor, loser_ids: list[int]) -> None:
    """The survivor keeps its rows and gets the losers' rows it does not have yet (same normalised value)."""
    attname = model._meta.get_field(owner_field).attname
    manager = model._base_manager
    kept = {detail_signature(row, owner_field) for row in manager.filter(**{attname: survivor.pk})}
    has_primary = "is_primary" in {f.name for f in model._meta.concrete_fields}
    for row in manager.filter(**{f"{attname}__in": loser_ids}).order_by("pk"):
        signature = detail_signature(row, owner_field)
        if signature in kept:
            manager.filter(pk=row.pk).delete()
            continue
        changes = {attname: survivor.pk}
        if has_primary and row.is_primary:
            siblings = manager.filter(**{attname: survivor.pk, "is_primary": True})
            if hasattr(row, "type_id"):
                siblings = siblings.filter(type_id=row.type_id)
            if siblings.exists():
                changes["is_primary"] = False
        if _conflicts(model, row, changes):
            manager.filter(pk=row.pk).delete()
            continue
        manager.filter(pk=row.pk).update(**changes)
        kept.add(signature)

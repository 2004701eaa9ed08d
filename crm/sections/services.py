"""Writes every section shares: create, update (with optimistic locking), delete, bulk actions, folders,
attachments and notes. Each runs in one transaction and records what it did in the change log."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone

from crm import access
from crm.core.services import next_number
from crm.designer.fields import is_custom, unique_custom_errors
from crm.designer.fields import set_values as set_custom_values
from crm.designer.lookups import references_to as lookup_references_to

from . import registry, tags
from .models import Attachment, ChangeLogEntry, Folder, FolderItem, ListPreference, Note
from .registry import Section


class StaleRecordError(Exception):
    """Someone saved the record after the user opened it; nothing was written."""

    def __init__(self, current):
        self.current = current
        super().__init__("This record was changed by someone else after you opened it.")


class DependentRecordsError(Exception):
    """Deleting the record would orphan records of other sections."""

    def __init__(self, dependents):
        self.dependents = dependents
        super().__init__("The record is still used by other records.")


def display_value(obj, field: models.Field):
    """A field's value (a model or a custom field's) as text for the change log and comparisons."""
    if getattr(field, "is_custom", False):
        return field.display(field.value_from_object(obj))
    value = getattr(obj, field.name, None)
    if value is None or value == "":
        return ""
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def _tracked_fields(obj) -> list[models.Field]:
    system = set(getattr(obj, "SYSTEM_FIELDS", ()))
    return [f for f in obj._meta.concrete_fields if f.name not in system and not f.primary_key]


def _snapshot(obj, section: Section) -> dict[str, tuple[object, str]]:
    fields = [*_tracked_fields(obj), *section.custom_fields()]
    return {f.name: (f.value_from_object(obj), display_value(obj, f)) for f in fields}


def _pop_custom(section: Section, data: dict) -> dict:
    """Custom field values (`custom__<code>`), checked against their type; they are written into `custom`."""
    values, errors = {}, {}
    for name in [k for k in data if is_custom(k)]:
        field = section.custom_field(name)
        value = data.pop(name)
        if field is None:
            errors[name] = "This field no longer exists."
            continue
        try:
            values[name] = field.clean(value)
        except ValidationError as error:
            errors[name] = error.messages
    if errors:
        raise ValidationError(errors)
    return values


def _missing_required_custom(section: Section, obj) -> dict:
    """Required custom fields left empty, and unique ones holding another record's value."""
    missing = {
        f.name: "This field is required."
        for f in section.custom_fields()
        if f.required and f.value_from_object(obj) in (None, "")
    }
    return {**unique_custom_errors(section, obj), **missing}


def refuse_unique(section: Section, error: IntegrityError) -> None:
    """When a unique custom field's index refused the record (a save that raced another past the services'
    check), refuse it with the check's own message; otherwise the database's error stands."""
    from crm.designer.unique import violation

    found = violation(section, error)
    if found is not None:
        raise ValidationError(found) from None


def log_change(*, obj, user, action: str, changes: list[dict] | None = None) -> ChangeLogEntry:
    return ChangeLogEntry.objects.create(
        content_type=ContentType.objects.get_for_model(obj),
        object_id=obj.pk,
        action=action,
        user=user,
        changes=changes or [],
    )


#: edit guards: `guard(*, user, obj, fields)` is consulted before a record is changed (`fields`: the names of the
#: fields that change, and the parts below) or deleted (`fields` is None), and refuses with ValidationError or
#: PermissionDenied saying why (crm.approvals: "this record is waiting for approval"; invoices: "a paid invoice's
#: products no longer change"). Every write path of a record calls `check_edit_guards`: the form, the detail rows,
#: the product selection, attachments, file versions, merges, bulk actions and delete.
_edit_guards: list[Callable[..., None]] = []

#: the parts of a record that are not its fields, named in `fields` when a write changes them
ATTACHMENTS = "attachments"
FILES = "files"  # a document's file versions
MERGE = "merge"  # the survivor of a merge (its fields and the rows re-pointed at it)


def detail_part(name: str) -> str:
    """The part naming a detail's rows (`detail:products`), for guards and `editable_while_pending`."""
    return f"detail:{name}"


def register_edit_guard(guard: Callable[..., None]) -> Callable[..., None]:
    if guard not in _edit_guards:
        _edit_guards.append(guard)
    return guard


def check_edit_guards(*, user, obj, fields: frozenset[str] | None) -> None:
    """Refuse (ValidationError or PermissionDenied, with the reason) if `obj` is locked for this write."""
    for guard in _edit_guards:
        guard(user=user, obj=obj, fields=fields)


#: record validators: `validator(*, section, obj, previous)` is run on a record as it is about to be saved, by
#: every path that writes one (create, update, imports), and refuses with ValidationError by field; it may set
#: derived values on `obj` and returns the names of the fields it set. `previous`: {field name: value before} of
#: an existing record (the fields the write may have changed), None for a new one (crm.designer.rules).
_record_validators: list[Callable[..., set]] = []


def register_record_validator(validator: Callable[..., set]) -> Callable[..., set]:
    if validator not in _record_validators:
        _record_validators.append(validator)
    return validator


def validate_record(*, section: Section, obj, previous: dict | None = None) -> set[str]:
    """Run the record validators on `obj`; the fields they set."""
    changed: set[str] = set()
    for validator in _record_validators:
        changed |= validator(section=section, obj=obj, previous=previous) or set()
    return changed


def lock_reason(*, user, obj, fields: frozenset[str] | None) -> str | None:
    """Why `obj` is locked for this write (the guards' message), or None if it is not."""
    try:
        check_edit_guards(user=user, obj=obj, fields=fields)
    except (ValidationError, PermissionDenied) as refusal:
        return " ".join(getattr(refusal, "messages", None) or [str(refusal)])
    return None


def _check_writable(user, section: Section, data: dict, obj=None) -> None:
    """A hidden or read-only column cannot be written, whatever the request says; nor can the owner of a record
    by who may not change it (`access.may_change_owner`), though a request may repeat the owner it has."""
    writable = access.fields_for(user, section, "write", obj=obj).writable
    names = set(data)
    if obj is not None and "owner" in data and "owner" not in writable:
        new_owner = data["owner"]
        if getattr(new_owner, "pk", new_owner) == getattr(obj, "owner_id", None):
            names.discard("owner")
        elif "owner" in access.fields_for(user, section, "write").writable:
            raise PermissionDenied("You may not change the owner of this record: that needs full rights on it.")
    forbidden = sorted(names - writable)
    if forbidden:
        raise PermissionDenied(f"You may not change: {', '.join(forbidden)}")


def _pop_files(section: Section, data: dict) -> dict:
    """File fields are set the way model forms set them: None keeps the file, False clears it."""
    return {k: data.pop(k) for k in list(data) if isinstance(section.opts.get_field(k), models.FileField)}


def create_record(*, section: Section, user, data: dict):
    """Create a record of `section` from cleaned field values, with its number, owner and default grants."""
    if not access.can(user, "create", section):
        raise PermissionDenied("You may not create records here.")
    # the creator may own what they create even where the owner column is read-only for them
    owner = data.get("owner")
    _check_writable(user, section, {k: v for k, v in data.items() if k != "owner" or owner not in (None, user)})
    data = dict(data)
    custom = _pop_custom(section, data)
    m2m = {k: data.pop(k) for k in list(data) if isinstance(section.opts.get_field(k), models.ManyToManyField)}
    files = _pop_files(section, data)
    try:
        with transaction.atomic():
            obj = section.model(**data)
            set_custom_values(obj, {f.name: f for f in section.custom_fields()}, custom)
            missing = _missing_required_custom(section, obj)
            if missing:
                raise ValidationError(missing)
            validate_record(section=section, obj=obj)
            for name, value in files.items():
                section.opts.get_field(name).save_form_data(obj, value)
            if getattr(obj, "owner_id", None) is None:
                obj.owner = user
            obj.created_by = user
            obj.modified_by = user
            if section.number_field and not getattr(obj, section.number_field):
                setattr(obj, section.number_field, next_number(name=section.number_sequence or section.name))
            obj.full_clean(exclude=["owner", "created_by", "modified_by"])
            obj.save()
            for name, values in m2m.items():
                getattr(obj, name).set(values)
            if section.after_save:
                section.after_save(user=user, obj=obj, previous=None)
            access.record_created(user=user, obj=obj)
            log_change(
                obj=obj,
                user=user,
                action=ChangeLogEntry.Action.CREATE,
                changes=[
                    {"field": f.name, "label": str(f.verbose_name), "old": "", "new": display_value(obj, f)}
                    for f in [*_tracked_fields(obj), *section.custom_fields()]
                    if display_value(obj, f) != ""
                ],
            )
    except IntegrityError as error:
        refuse_unique(section, error)
        raise
    return obj


def update_record(*, section: Section, user, obj, data: dict, expected_version: int):
    """Apply `data` to `obj` if nobody saved it since `expected_version`; otherwise raise StaleRecordError."""
    if not access.can(user, "edit", obj):
        raise PermissionDenied("You may not edit this record.")
    _check_writable(user, section, data, obj=obj)
    data = dict(data)  # the caller's dict stays as it was (the form view compares it on a stale save)
    custom = _pop_custom(section, data)
    m2m = {k: data.pop(k) for k in list(data) if isinstance(section.opts.get_field(k), models.ManyToManyField)}
    files = _pop_files(section, data)
    try:
        with transaction.atomic():
            current = section.model._default_manager.select_for_update().get(pk=obj.pk)
            if current.version != expected_version:
                raise StaleRecordError(current)
            before = _snapshot(current, section)
            previous_owner_id = current.owner_id
            for name, value in data.items():
                setattr(current, name, value)
            set_custom_values(current, {f.name: f for f in section.custom_fields()}, custom)
            # a required field left empty on an older record does not block other edits, only emptying it does
            missing = {
                name: error for name, error in _missing_required_custom(section, current).items() if name in custom
            }
            if missing:
                raise ValidationError(missing)
            validate_record(section=section, obj=current, previous={name: value for name, (value, _) in before.items()})
            for name, value in files.items():
                section.opts.get_field(name).save_form_data(current, value)
            current.full_clean(exclude=["created_by", "modified_by"])
            after = _snapshot(current, section)
            changes = [
                {
                    "field": name,
                    "label": str(section.field(name).verbose_name),
                    "old": before[name][1],
                    "new": after[name][1],
                }
                for name in after
                if before[name][0] != after[name][0]
            ]
            for name, values in m2m.items():
                old = {str(v) for v in getattr(current, name).all()}
                getattr(current, name).set(values)
                new = {str(v) for v in getattr(current, name).all()}
                if old != new:
                    changes.append(
                        {
                            "field": name,
                            "label": str(section.opts.get_field(name).verbose_name),
                            "old": ", ".join(sorted(old)),
                            "new": ", ".join(sorted(new)),
                        }
                    )
            if not changes:
                return current
            check_edit_guards(user=user, obj=current, fields=frozenset(change["field"] for change in changes))
            current.version = expected_version + 1
            current.modified_by = user
            current.modified_at = timezone.now()
            current.save()
            if section.after_save:
                previous = {name: before[name][0] for name in after if before[name][0] != after[name][0]}
                section.after_save(user=user, obj=current, previous=previous)
            if current.owner_id != previous_owner_id:
                access.owner_changed(user=user, obj=current, previous_owner_id=previous_owner_id)
            log_change(obj=current, user=user, action=ChangeLogEntry.Action.UPDATE, changes=changes)
    except IntegrityError as error:
        refuse_unique(section, error)
        raise
    return current


def move_status(*, section: Section, user, obj, value: str, expected_version: int, field: str = "status"):
    """Move a record along its process by setting the choice `field` to `value`: the same save as the form's, so
    the same rules, after_save checks and change log. Raises StaleRecordError when someone saved it meanwhile,
    ValidationError for a value that is not one of the field's choices or a transition the process refuses."""
    if value == getattr(obj, field):
        return obj
    choices = section.opts.get_field(field).choices
    if choices and value not in {key for key, _ in choices}:
        raise ValidationError({field: f"Choose a {section.opts.get_field(field).verbose_name}."})
    return update_record(section=section, user=user, obj=obj, data={field: value}, expected_version=expected_version)


@dataclass
class Dependent:
    section: Section | None
    label: str
    count: int
    visible: list
    #: every row that points at the record (also those the user may not see), and the field that points: a
    #: foreign key's name, or a generic reference's id field (see crm.sections.deletion)
    rows: models.QuerySet | None = None
    field: str = ""


def dependents_of(*, user, obj) -> list[Dependent]:
    """Records of other sections that point at `obj` and would be orphaned by deleting it.

    Detail rows (declared in the section's `detail_models`) and generic attachments are deleted with it.
    Only records the user may see are listed by name; the others are mentioned without a count.
    """
    section = registry.for_model(obj)
    own_details = set(section.detail_models) if section else set()
    result = []
    for relation in obj._meta.related_objects:
        if relation.many_to_many or relation.related_model._meta.label in own_details:
            continue
        related_section = registry.for_model(relation.related_model)
        # rows of no section that go with the record, or merely lose the reference, orphan nothing
        if related_section is None and relation.on_delete in (models.CASCADE, models.SET_NULL):
            continue
        accessor = relation.related_model._default_manager.filter(**{relation.field.name: obj})
        if not accessor.exists():
            continue
        visible = list(access.visible(user, accessor)[:20]) if related_section else []
        result.append(
            Dependent(
                section=related_section,
                label=str(relation.related_model._meta.verbose_name_plural),
                count=len(visible),
                visible=visible,
                rows=accessor,
                field=relation.field.name,
            )
        )
    # lookup custom fields of any section, built-in or runtime, that name the record (kept in their JSON)
    for related_section, field, rows in lookup_references_to(obj):
        if not rows.exists():
            continue
        visible = list(access.visible(user, rows)[:20])
        result.append(
            Dependent(
                section=related_section,
                label=f"{related_section.title} ({field.label})",
                count=len(visible),
                visible=visible,
                rows=rows,
                field=field.name,
            )
        )
    for reference in registry.generic_references():
        if reference.on_delete != "protect":
            continue
        rows = reference.rows_for(obj)
        if not rows.exists():
            continue
        related_section = registry.for_model(reference.resolved_model())
        visible = list(access.visible(user, rows)[:20]) if related_section else []
        label = reference.label or str(reference.resolved_model()._meta.verbose_name_plural)
        result.append(
            Dependent(
                section=related_section,
                label=label,
                count=len(visible),
                visible=visible,
                rows=rows,
                field=reference.object_id_field,
            )
        )
    return result


def delete_record(*, user, obj) -> None:
    """Delete `obj` with its detail rows, attachments and notes; refuse if other records depend on it."""
    if not access.can(user, "delete", obj):
        raise PermissionDenied("You may not delete this record.")
    check_edit_guards(user=user, obj=obj, fields=None)
    dependents = dependents_of(user=user, obj=obj)
    if dependents:
        raise DependentRecordsError(dependents)
    with transaction.atomic():
        content_type = ContentType.objects.get_for_model(obj)
        attachments = Attachment.objects.filter(content_type=content_type, object_id=obj.pk)
        files = [a.file for a in attachments.exclude(file="")]
        attachments.delete()
        Note.objects.filter(content_type=content_type, object_id=obj.pk).delete()
        for reference in registry.generic_references():
            if reference.on_delete == "cascade":
                reference.rows_for(obj).delete()
        # the stored files go only once the rows are surely gone
        transaction.on_commit(lambda: [file.delete(save=False) for file in files])
        FolderItem.objects.filter(folder__section=registry.for_model(obj).name, object_id=obj.pk).delete()
        tags.forget_records(section=registry.for_model(obj), ids=[obj.pk])
        log_change(
            obj=obj,
            user=user,
            action=ChangeLogEntry.Action.DELETE,
            changes=[{"field": "__str__", "label": "Record", "old": str(obj), "new": ""}],
        )
        access.record_deleted(obj=obj)
        obj.delete()


def _reason(error: Exception) -> str:
    return " ".join(error.messages) if isinstance(error, ValidationError) else str(error)


@dataclass
class BulkResult:
    done: int
    refused: int
    reasons: list[str]


def bulk_delete(*, section: Section, user, ids: list[int]) -> BulkResult:
    done, refused, reasons = 0, 0, []
    objects = access.visible(user, section.get_queryset(), "delete").filter(pk__in=ids)
    found = {o.pk: o for o in objects}
    refused += len(set(ids) - set(found))
    for obj in found.values():
        try:
            delete_record(user=user, obj=obj)
            done += 1
        except (DependentRecordsError, PermissionDenied, ValidationError) as error:
            refused += 1
            reasons.append(f"{obj}: {_reason(error)}")
    return BulkResult(done, refused, reasons)


def bulk_change_owner(*, section: Section, user, ids: list[int], owner) -> BulkResult:
    done, refused, reasons = 0, 0, []
    objects = list(access.visible(user, section.get_queryset(), "edit").filter(pk__in=ids))
    refused += len(set(ids) - {o.pk for o in objects})
    for obj in objects:
        try:
            update_record(section=section, user=user, obj=obj, data={"owner": owner}, expected_version=obj.version)
            done += 1
        except (StaleRecordError, PermissionDenied, ValidationError) as error:
            refused += 1
            reasons.append(f"{obj}: {_reason(error)}")
    return BulkResult(done, refused, reasons)


# --- folders ----------------------------------------------------------------------------------------------


def create_folder(*, section: Section, user, name: str, kind: str, query: str = "", shared: bool = False) -> Folder:
    name = name.strip()
    if not name:
        raise ValidationError({"name": "Give the folder a name."})
    return Folder.objects.create(
        section=section.name,
        name=name[:150],
        kind=kind,
        query=query if kind == Folder.Kind.DYNAMIC else "",
        owner=user,
        shared=shared,
    )


def may_change_folder(user, folder: Folder) -> bool:
    """A folder's members are changed by its owner (or an administrator): sharing a folder lets others use it."""
    return folder.owner_id == user.pk or user.is_superuser


def _authorise_folder_change(user, folder: Folder) -> None:
    if not may_change_folder(user, folder):
        raise PermissionDenied(f"Only the owner of “{folder}” can change its records.")


def add_to_folder(*, user, folder: Folder, ids: list[int]) -> int:
    """Add the records of `ids` the user may see to a static folder. Returns how many were added."""
    _authorise_folder_change(user, folder)
    if folder.kind != Folder.Kind.STATIC:
        raise ValidationError("Records can be added only to static folders.")
    section = registry.get(folder.section)
    allowed = access.visible(user, section.model._default_manager.all()).filter(pk__in=ids)
    existing = set(folder.items.values_list("object_id", flat=True))
    new_ids = [pk for pk in allowed.values_list("pk", flat=True) if pk not in existing]
    FolderItem.objects.bulk_create([FolderItem(folder=folder, object_id=pk) for pk in new_ids])
    return len(new_ids)


def remove_from_folder(*, user, folder: Folder, ids: list[int]) -> int:
    """Take the records of `ids` the user may see out of a static folder (the records stay). Returns how many."""
    _authorise_folder_change(user, folder)
    section = registry.get(folder.section)
    allowed = access.visible(user, section.model._default_manager.filter(pk__in=ids)).values("pk")
    deleted, _ = folder.items.filter(object_id__in=allowed).delete()
    return deleted


# --- attachments and notes ----------------------------------------------------------------------------


def validate_upload(uploaded) -> None:
    limit = settings.ATTACHMENT_MAX_BYTES
    if uploaded.size > limit:
        raise ValidationError(
            f"The file is {filesizeformat(uploaded.size)}; the limit is {filesizeformat(limit)}.".replace("\xa0", " ")
        )
    extension = os.path.splitext(uploaded.name)[1].lower().lstrip(".")
    allowed = settings.ATTACHMENT_ALLOWED_EXTENSIONS
    if extension not in allowed:
        raise ValidationError(
            f"Files of type .{extension or '?'} are not allowed. Allowed: {', '.join('.' + e for e in allowed)}."
        )


def add_attachment(*, user, obj, uploaded=None, url: str = "", name: str = "") -> Attachment:
    if not access.can(user, "edit", obj):
        raise PermissionDenied("You may not attach files to this record.")
    check_edit_guards(user=user, obj=obj, fields=frozenset({ATTACHMENTS}))
    content_type = ContentType.objects.get_for_model(obj)
    if uploaded is not None:
        validate_upload(uploaded)
        attachment = Attachment(
            content_type=content_type,
            object_id=obj.pk,
            kind=Attachment.Kind.FILE,
            name=(name or os.path.basename(uploaded.name))[:255],
            size=uploaded.size,
            content_type_header=(getattr(uploaded, "content_type", "") or "")[:150],
            uploaded_by=user,
        )
        attachment.file.save(os.path.basename(uploaded.name), uploaded, save=False)
    elif url:
        if not url.lower().startswith(("http://", "https://")):
            raise ValidationError("A link must start with http:// or https://.")
        attachment = Attachment(
            content_type=content_type,
            object_id=obj.pk,
            kind=Attachment.Kind.LINK,
            name=(name or url)[:255],
            url=url,
            uploaded_by=user,
        )
        attachment.full_clean(exclude=["file"])
    else:
        raise ValidationError("Choose a file or enter a link.")
    attachment.save()
    return attachment


def delete_attachment(*, user, attachment: Attachment) -> None:
    if not access.can(user, "edit", attachment.record):
        raise PermissionDenied("You may not remove attachments of this record.")
    check_edit_guards(user=user, obj=attachment.record, fields=frozenset({ATTACHMENTS}))
    if attachment.file:
        attachment.file.delete(save=False)
    attachment.delete()


def add_note(*, user, obj, text: str) -> Note:
    if not access.can(user, "edit", obj):
        raise PermissionDenied("You may not add notes to this record.")
    text = text.strip()
    if not text:
        raise ValidationError("A note cannot be empty.")
    return Note.objects.create(
        content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk, text=text, author=user
    )


def remember_list_query(*, user, section: Section, query: str, preference: ListPreference | None) -> None:
    """Keep `query` (filters, search, sort, page size) as the user's last query of the section's list, which
    opening the list bare restores; an empty `query` forgets it. `preference` is the user's row as the list read
    it (or None). One statement, and only when the query changed: an upsert, so a row another tab of the user's
    has just made is updated, not doubled."""
    if (preference.query if preference else "") == query:
        return
    ListPreference.objects.bulk_create(
        [ListPreference(user=user, section=section.name, query=query)],
        update_conflicts=True,
        unique_fields=["user", "section"],
        update_fields=["query"],
    )

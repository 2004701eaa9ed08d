"""Writes of documents: file versions (a new soft copy keeps the earlier ones), the status (for approvals), and
the Connected to and Related documents details' rules."""

from __future__ import annotations

import os

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max, Q

from crm import access
from crm.sections import registry
from crm.sections import services as section_services
from crm.sections.details import add_row, change_row, record_detail_change

from .models import Document, DocumentFile, DocumentLink, DocumentRelation, DocumentStatus


def section():
    return registry.get("documents")


# --- file versions ----------------------------------------------------------------------------------------------


def add_file_version(*, user, document: Document, uploaded, comment: str = "") -> DocumentFile:
    """Add `uploaded` as the document's next version (the latest is "the" file; earlier ones stay downloadable).
    The same limits as attachments (size, extensions). The document row is locked while the number is taken, so
    two uploads at once get two versions."""
    if not access.can(user, "edit", document):
        raise PermissionDenied("You may not add files to this document.")
    section_services.check_edit_guards(user=user, obj=document, fields=frozenset({section_services.FILES}))
    if uploaded is None:
        raise ValidationError("Choose a file.")
    section_services.validate_upload(uploaded)
    with transaction.atomic():
        Document.objects.select_for_update().only("pk").get(pk=document.pk)
        latest = DocumentFile.objects.filter(document=document).aggregate(latest=Max("version"))["latest"] or 0
        version = DocumentFile(
            document=document,
            version=latest + 1,
            name=os.path.basename(uploaded.name)[:255],
            size=uploaded.size,
            comment=comment.strip()[:500],
            uploaded_by=user,
        )
        version.file.save(version.name, uploaded, save=False)
        try:
            version.save()
        except Exception:
            # the stored file goes with the row that was not written
            version.file.delete(save=False)
            raise
        record_detail_change(user=user, record=document, label="File", old="", new=str(version))
    return version


# --- status -----------------------------------------------------------------------------------------------------


def set_status(*, user, document: Document, code: str, expected_version: int | None = None) -> Document:
    """Put the document in the built-in status `code` ("draft", "active", "cancelled"), e.g. when an approval
    decides; through the same save as the form's (rights, change log, optimistic locking)."""
    status = DocumentStatus.objects.filter(code=code).first()
    if status is None:
        raise ValidationError({"status": f"There is no “{code}” status."})
    if status.pk == document.status_id:
        return document
    return section_services.update_record(
        section=section(),
        user=user,
        obj=document,
        data={"status": status},
        expected_version=document.version if expected_version is None else expected_version,
    )


def default_status() -> DocumentStatus | None:
    return DocumentStatus.objects.filter(code=DocumentStatus.Code.DRAFT).first()


# --- Connected to -------------------------------------------------------------------------------------------------


def linked_record(user, content_type, object_id):
    """The record a link points at, if `user` may see it; None otherwise (missing or forbidden alike)."""
    model = content_type.model_class() if content_type else None
    target_section = registry.for_model(model) if model else None
    if target_section is None:
        return None
    return access.visible(user, target_section.get_queryset()).filter(pk=object_id).first()


def _check_link(user, record: Document, data: dict) -> None:
    target = linked_record(user, data.get("content_type"), data.get("object_id"))
    if target is None:
        raise ValidationError({"object_id": "There is no such record you may see."})
    if target == record:
        raise ValidationError({"object_id": "A document is not connected to itself: use Related documents."})


def add_link(*, detail, user, record: Document, data: dict) -> DocumentLink:
    _check_link(user, record, data)
    return add_row(detail=detail, user=user, record=record, data=data)


def change_link(*, detail, user, record: Document, row: DocumentLink, data: dict) -> DocumentLink:
    _check_link(user, record, data)
    return change_row(detail=detail, user=user, record=record, row=row, data=data)


def link_rows(record: Document):
    return DocumentLink.objects.filter(document=record).select_related("content_type")


def with_targets(record: Document, rows: list) -> list:
    """Each link gets `target`, the record it points at (one query per section). Whether the user may see it is
    decided by the detail (a target they may not see shows as restricted, never by name)."""
    wanted: dict = {}
    for row in rows:
        wanted.setdefault(row.content_type, set()).add(row.object_id)
    found = {}
    for content_type, ids in wanted.items():
        model = content_type.model_class()
        if model is None:
            continue
        for target in model._default_manager.filter(pk__in=ids):
            found[(content_type.pk, target.pk)] = target
    for row in rows:
        row.target = found.get((row.content_type_id, row.object_id))
        target_section = registry.for_model(row.content_type.model_class()) if row.target else None
        row.section_title = target_section.title_singular.capitalize() if target_section else row.content_type.name
    return rows


def connect(*, user, document: Document, record) -> DocumentLink:
    """Connect `document` to `record` (any section's) from code, e.g. a print form filed as a document."""
    from django.contrib.contenttypes.models import ContentType

    from .details import LINKS

    data = {"content_type": ContentType.objects.get_for_model(record), "object_id": record.pk}
    return add_link(detail=LINKS, user=user, record=document, data=data)


# --- Related documents ------------------------------------------------------------------------------------------


def relation_rows(record: Document):
    return DocumentRelation.objects.filter(Q(document=record) | Q(related=record)).select_related("document", "related")


def with_other_side(record: Document, rows: list) -> list:
    for row in rows:
        row.other = row.related if row.document_id == record.pk else row.document
    return rows


def add_relation(*, detail, user, record: Document, data: dict) -> DocumentRelation:
    related = data.get("related")
    if related is not None and related.pk == record.pk:
        raise ValidationError({"related": "A document is not related to itself."})
    if related is not None and DocumentRelation.objects.filter(document=related, related=record).exists():
        raise ValidationError({"related": "These documents are already related."})
    return add_row(detail=detail, user=user, record=record, data=data)


def change_relation(*, detail, user, record: Document, row: DocumentRelation, data: dict) -> DocumentRelation:
    if row.document_id != record.pk:
        raise ValidationError("This relation was made on the other document: change it there, or delete it here.")
    related = data.get("related")
    if related is not None and related.pk == record.pk:
        raise ValidationError({"related": "A document is not related to itself."})
    return change_row(detail=detail, user=user, record=record, row=row, data=data)


def approved(*, user, record) -> None:
    """The approvals' on_approved hook (crm.approvals): an approved document becomes Active."""
    set_status(user=user, document=Document.objects.get(pk=record.pk), code="active")


def rejected(*, user, record, comment: str) -> None:
    """The approvals' on_rejected hook: back to Draft, and the author gets a task to revise it."""
    from activities.processes import start

    document = Document.objects.get(pk=record.pk)
    set_status(user=user, document=document, code="draft")
    start(user=user, record=document, key="approvals.revise", owner=document.owner, notes=comment)

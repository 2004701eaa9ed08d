"""Import jobs from upload to log: create a job from a file, map it, dry-run it, run it (as a Celery task), cancel
it, resume a stalled one, roll it back, and give back the refused rows as a spreadsheet to fix."""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import models, transaction
from django.utils import timezone

from crm import access
from crm.core.services import notify
from crm.sections import registry

from . import reader
from .engine import Importer, rollback  # noqa: F401  (rollback is part of this module's API)
from .fields import Converter, RefusedValue, header_key, importable_fields, suggest_mapping
from .models import ImportJob
from .refused import refused_workbook  # noqa: F401  (part of this module's API)

logger = logging.getLogger(__name__)

#: a running job whose heartbeat is older than this is taken to have lost its worker
STALLED_AFTER = datetime.timedelta(minutes=5)


def authorise(user, section) -> None:
    if not access.can(user, "import") or not access.can(user, "create", section):
        raise PermissionDenied("You may not import into this section.")


def importable_sections(user) -> list:
    """The sections `user` may import into (the rule of `authorise`), in menu order."""
    sections = []
    for section in registry.all_sections():
        try:
            authorise(user, section)
        except PermissionDenied:
            continue
        sections.append(section)
    return sections


def _latest_completed(section_name: str, user) -> ImportJob | None:
    return (
        ImportJob.objects.filter(section=section_name, created_by=user, status=ImportJob.Status.COMPLETED)
        .only("headers", "mapping", "keys", "value_map")
        .first()
    )


def earlier_mapping(section_name: str, user, job: ImportJob | None = None) -> dict[str, str]:
    """Header -> field from the user's latest completed import into the section (or `job`)."""
    job = job or _latest_completed(section_name, user)
    if job is None:
        return {}
    return {reader.as_text(job.headers[int(i)]): name for i, name in job.mapping.items() if int(i) < len(job.headers)}


def suggest_keys(section, mapping: dict[str, str], earlier: ImportJob | None = None) -> list[str]:
    """The key fields to offer first: those of the user's latest import into the section when this file maps
    them all, else the first of the section's identifying fields (`import_keys`) the file maps."""
    mapped = set(mapping.values())
    if earlier is not None and earlier.keys and set(earlier.keys) <= mapped:
        return list(earlier.keys)
    return next(([name] for name in section.import_keys if name in mapped), [])


def create_job(*, user, section_name: str, upload, name: str = "", sheet: str = "") -> ImportJob:
    """Store the uploaded file and read what it is: of a workbook, `sheet` (else the first) is checked and its
    header matched to the fields. A file we refuse is deleted and UnreadableFile raised."""
    section = registry.get(section_name)
    authorise(user, section)
    job = ImportJob(section=section_name, created_by=user, original_name=(name or upload.name)[:255])
    job.file.save(f"import-{timezone.now():%Y%m%d%H%M%S}-{user.pk}", File(upload), save=False)
    try:
        source = reader.inspect(job.file.path, job.original_name)
        job.kind, job.encoding, job.delimiter = source.kind, source.encoding, source.delimiter
        if sheet and sheet not in source.sheets:
            names = ", ".join(f"“{name}”" for name in source.sheets)
            raise reader.UnreadableFile(
                f"The workbook has no sheet “{sheet}”. Its sheets: {names}." if names else "The file has no sheets."
            )
        job.sheet = sheet or (source.sheets[0] if source.sheets else "")
        _read_header(job)
    except reader.UnreadableFile:
        job.file.delete(save=False)
        raise
    _suggest(job, user)
    job.save()
    return job


def _read_header(job: ImportJob) -> None:
    """Check the job's sheet (of a workbook) and take its header row. Raises UnreadableFile."""
    if job.kind == "xlsx":
        reader.check_sheet(job.file.path, job.sheet)
    job.headers = [reader.as_text(h) for h in (reader.preview(job.file.path, source_of(job), job.sheet, 1) or [[]])[0]]
    if not job.headers:
        raise reader.UnreadableFile(
            "The file has no header row." if not job.sheet else f"The sheet “{job.sheet}” has no header row."
        )
    reader.check_cells(job.file.path, source_of(job), job.sheet)


def _suggest(job: ImportJob, user) -> None:
    """Match the job's header to the fields, and the key fields to the mapping, as the user's last import did."""
    section = registry.get(job.section)
    earlier = _latest_completed(job.section, user)
    job.mapping = suggest_mapping(
        job.headers, importable_fields(section, user), earlier_mapping(job.section, user, earlier)
    )
    job.keys = suggest_keys(section, job.mapping, earlier)
    job.value_map = earlier_value_map(job, earlier)


def source_of(job: ImportJob) -> reader.Source:
    return reader.Source(kind=job.kind, sheets=(job.sheet,), encoding=job.encoding, delimiter=job.delimiter)


def sheets_of(job: ImportJob) -> tuple[str, ...]:
    if job.kind != "xlsx":
        return ()
    return reader.inspect(job.file.path, job.original_name).sheets


def earlier_value_map(job: ImportJob, earlier: ImportJob | None) -> dict[str, dict]:
    """The value maps of the user's latest import into the section, for the columns of `job` with the same header
    mapped to the same field."""
    if earlier is None or not earlier.value_map:
        return {}
    by_header = {
        (header_key(reader.as_text(earlier.headers[int(i)])), earlier.mapping.get(i)): meanings
        for i, meanings in earlier.value_map.items()
        if int(i) < len(earlier.headers)
    }
    remembered = {}
    for index, name in job.mapping.items():
        meanings = by_header.get((header_key(job.headers[int(index)]), name))
        if meanings:
            remembered[index] = meanings
    return remembered


def configure(
    *,
    user,
    job: ImportJob,
    sheet: str,
    mapping: dict,
    keys: list,
    lookup_mode: str,
    defaults: dict | None = None,
    value_map: dict | None = None,
    name_from_email: bool = False,
    date_order: str = "",
) -> ImportJob:
    """Set the sheet, the column mapping, the key fields, how lookups resolve, the defaults and value maps, and
    whether a row with an email and no name is named from the email; checked by building the importer (unknown
    or forbidden fields, a key not mapped, a field mapped twice raise ValidationError).

    Choosing another sheet of a workbook checks it (UnreadableFile) and reads its header: the mapping and keys
    are then those suggested for its columns, for the user to review, and `mapping` and `keys` are not used."""
    _own(user, job)
    if job.status != ImportJob.Status.DRAFT:
        raise ValidationError("This import has already run.")
    if job.kind == "xlsx" and sheet and sheet != job.sheet:
        if sheet not in sheets_of(job):
            raise ValidationError("Choose one of the workbook's sheets.")
        # another sheet has other columns: its header is read and matched afresh, the mapping given (of the
        # sheet before) is not used
        job.sheet = sheet
        _read_header(job)
        _suggest(job, user)
        job.lookup_mode = lookup_mode
        Importer(job)  # validates
        job.save()
        return job
    job.mapping = {str(k): v for k, v in mapping.items() if v}
    job.keys = list(keys)
    job.lookup_mode = lookup_mode
    if defaults is not None:
        job.defaults = {name: value for name, value in defaults.items() if value not in (None, "")}
    if value_map is not None:
        job.value_map = {str(index): meanings for index, meanings in value_map.items() if meanings}
    job.name_from_email = name_from_email
    if date_order:
        if date_order not in ImportJob.DateOrder.values:
            raise ValidationError("Choose how dates like 03/04/2026 are read: dmy, mdy or ymd.")
        job.date_order = date_order
    if not job.mapping:
        raise ValidationError("Map at least one column to a field.")
    Importer(job)  # validates
    job.save()
    return job


def posted_value(*, user, job: ImportJob, name: str, text: str) -> object:
    """A value named as a cell would write it (the currency "EUR", the stage "Closed won") as the mapping form
    posts it: a pk, a choice value, text. Raises ValidationError when nothing of that name is there."""
    spec = next((s for s in importable_fields(registry.get(job.section), user) if s.name == name), None)
    if spec is None:
        raise ValidationError(f"No field “{name}” you may import.")
    converter = Converter(spec, user=user, create_lookups=False)
    converter.prepare([text])
    try:
        value = converter(text)
    except RefusedValue as error:
        raise ValidationError(f"{spec.label}: {error}")
    if isinstance(value, models.Model):
        return value.pk
    return value if spec.kind == "choice" else text


def dry_run(*, user, job: ImportJob, limit: int = 1000):
    _own(user, job)
    return Importer(job, dry_run=True).dry_run_preview(limit)


def start(*, user, job: ImportJob) -> ImportJob:
    """Queue the import; the Celery task runs it (in-process when there is no broker)."""
    from .tasks import run_import

    _own(user, job)
    Importer(job)  # the mapping is still valid and the user still may import
    with transaction.atomic():
        locked = ImportJob.objects.select_for_update().get(pk=job.pk)
        if locked.status != ImportJob.Status.DRAFT:
            raise ValidationError("This import has already been started.")
        locked.total_rows = reader.count_rows(job.file.path, source_of(job), job.sheet)
        locked.status = ImportJob.Status.QUEUED
        locked.save(update_fields=["total_rows", "status"])
        transaction.on_commit(lambda: run_import.delay(job.pk))
    job.refresh_from_db()
    return job


def run(job_id: int, progress=None) -> ImportJob | None:
    """The task's body: run (or resume) the job unless it is finished. Safe to call twice."""
    job = ImportJob.objects.filter(pk=job_id).first()
    if job is None or job.status not in ImportJob.ACTIVE:
        return job
    try:
        job = Importer(job, progress=progress).run()
    except (PermissionDenied, ValidationError) as error:
        message = " ".join(getattr(error, "messages", [str(error)]))
        ImportJob.objects.filter(pk=job.pk).update(
            status=ImportJob.Status.FAILED, error=message, finished_at=timezone.now()
        )
        job.refresh_from_db()
    except Exception as error:  # the job could not even start (a bug, the database): failed, never re-queued
        logger.exception("Import #%s could not run", job.pk)
        ImportJob.objects.filter(pk=job.pk).update(
            status=ImportJob.Status.FAILED, error=f"The import stopped: {error}", finished_at=timezone.now()
        )
        job.refresh_from_db()
    if job.status in (ImportJob.Status.COMPLETED, ImportJob.Status.FAILED, ImportJob.Status.CANCELLED):
        _tell(job)
    if job.created_count or job.updated_count:
        _search_duplicates(job)
    return job


def duplicates_follow(section, user) -> bool:
    """Whether a duplicate search follows imports into `section` and `user` may review what it finds."""
    from crm.duplicates import services as duplicates
    from crm.duplicates.models import DuplicateRule

    return (
        duplicates.can_search(user, section)
        and DuplicateRule.objects.filter(section=section.name, is_active=True).exists()
    )


def _search_duplicates(job: ImportJob) -> None:
    """Imported records may duplicate what was there: a duplicate search of the section follows every import
    that wrote something (it also indexes the new records for the check on save), and its groups wait on the
    review page. Sections without duplicate rules are left alone."""
    from crm.duplicates import services as duplicates
    from crm.duplicates.models import DuplicateRule

    section = registry.get(job.section)
    if not DuplicateRule.objects.filter(section=section.name, is_active=True).exists():
        return
    user = job.created_by if duplicates.can_search(job.created_by, section) else None
    duplicates.start_search(section=section, user=user)


def _tell(job: ImportJob) -> None:
    section = registry.get(job.section)
    verdict = job.get_status_display().lower()
    notify(
        recipient=job.created_by,
        kind="system",
        title=f"Import into {section.title} {verdict}: {job.original_name}",
        body=f"{job.created_count} created, {job.updated_count} updated, "
        f"{job.unchanged_count} unchanged, {job.refused_count} refused"
        + (f", {job.warning_count} imported with warnings." if job.warning_count else ".")
        + (f" {job.error}" if job.error else ""),
        url=job.get_absolute_url(),
    )


def cancel(*, user, job: ImportJob) -> ImportJob:
    """Ask a queued or running import to stop after its current batch (what is committed stays, and can be
    rolled back)."""
    _own(user, job)
    with transaction.atomic():
        locked = ImportJob.objects.select_for_update().get(pk=job.pk)
        if locked.status == ImportJob.Status.QUEUED and not locked.lease:
            locked.status = ImportJob.Status.CANCELLED
            locked.finished_at = timezone.now()
        elif locked.status in ImportJob.ACTIVE:
            locked.cancel_requested = True
        else:
            raise ValidationError("This import is not running.")
        locked.save()
    job.refresh_from_db()
    return job


def resume_stalled(
    *, now=None, stalled_after: datetime.timedelta = STALLED_AFTER, queue: str | None = None
) -> list[int]:
    """Queue again the running imports whose worker stopped beating (killed): they resume after their last
    committed batch. Called by Celery beat (`queue`: send them to another queue than the default)."""
    from .tasks import run_import

    now = now or timezone.now()
    stalled = list(
        ImportJob.objects.filter(status=ImportJob.Status.RUNNING, heartbeat_at__lt=now - stalled_after).values_list(
            "pk", flat=True
        )
    )
    for job_id in stalled:
        run_import.apply_async((job_id,), queue=queue) if queue else run_import.delay(job_id)
    return stalled


def forget_drafts(*, now=None) -> int:
    """Delete the uploads never started that are older than IMPORT_DRAFT_DAYS, with their files (an upload holds
    customer data: it is not kept for nothing). Called daily by Celery beat; returns how many went."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=settings.IMPORT_DRAFT_DAYS)
    drafts = list(ImportJob.objects.filter(status=ImportJob.Status.DRAFT, created_at__lt=cutoff))
    for job in drafts:
        if job.file:
            job.file.delete(save=False)
    ImportJob.objects.filter(pk__in=[job.pk for job in drafts]).delete()
    return len(drafts)


def _own(user, job: ImportJob) -> None:
    if job.created_by_id != user.pk and not user.is_superuser:
        raise PermissionDenied("This import is someone else's.")

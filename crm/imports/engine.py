"""The import engine: rows of a file become records of a section, in batches, each batch in one transaction.

For every batch: the cells are converted (lookups and named records resolved with one query per column), the rows
whose key matches a record the user may edit update it with their non-empty values, the others create records
(bulk insert: COPY on PostgreSQL), and the job's counters move on in the same transaction, together with an
`ImportBatch` naming the rows the batch covered. So a run stopped anywhere (a killed worker, a cancel) has
committed whole batches only, and the next run skips exactly those. What each batch created (as runs of ids) or
changed (the old values) is kept (`ImportChange`) so an import can be rolled back.

On PostgreSQL, outside a transaction, IMPORT_WRITERS batches are written at once, each by a thread on its own
connection: the database indexes one batch while Python converts the next. Batches sharing a key value never run
together, so a key met twice in a file still makes one record.

Per-record hooks are bypassed (DESIGN: bulk paths run in batches); a section that keeps derived rows declares
`Section.after_import(user=, created=, updated=)`, called inside the batch's transaction.
"""

from __future__ import annotations

import contextlib
import copy
import datetime
import gc
import logging
import secrets
import time
from collections.abc import Callable, Iterable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, models, transaction
from django.db.models import F
from django.db.models.functions import Upper
from django.utils import timezone

from crm import access
from crm.core import bulk
from crm.core.services import next_numbers
from crm.designer.fields import PREFIX as CUSTOM_PREFIX
from crm.designer.fields import forget as forget_designer_definitions
from crm.designer.fields import set_values as set_custom_values
from crm.designer.unique import violation as unique_custom_violation
from crm.sections import registry, services

from . import reader
from .fields import (
    Converter,
    FieldSpec,
    PendingValue,
    RefusedValue,
    importable_fields,
    normalise_name,
    required_parents,
    resolve_defaults,
    resolve_value_map,
)
from .models import ImportBatch, ImportChange, ImportCreatedValue, ImportJob, RefusedRow, RowWarning
from .reader import as_text
from .tags import extras_of

logger = logging.getLogger(__name__)


def batch_size() -> int:
    return int(getattr(settings, "IMPORT_BATCH_SIZE", 5000))


class ImportStopped(Exception):
    """The run ended early: cancelled (`cancelled` is True), or another run took the job over."""

    def __init__(self, cancelled: bool = False):
        self.cancelled = cancelled
        super().__init__("cancelled" if cancelled else "taken over")


@dataclass
class Batch:
    rows: list[tuple[int, list]]  # (row number in the file, cells)
    first: int  # the data-row positions (1: the row after the header) this batch accounts for
    last: int


@dataclass
class BatchResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    refused: list[tuple[int, list, str]] = field(default_factory=list)
    #: rows imported without a value that was no valid value for a field the record can do without
    warnings: list[tuple[int, list, str]] = field(default_factory=list)
    #: for the dry run's preview: (row number, "create" / "update", {field: value})
    samples: list[tuple[int, str, dict]] = field(default_factory=list)
    #: for the dry run's preview: (field label, value) of the defaults rows without a value get
    defaults: list[tuple[str, object]] = field(default_factory=list)


def _jsonable(field: models.Field, obj) -> object:
    value = getattr(obj, field.attname)
    if isinstance(value, (Decimal, datetime.date, datetime.datetime, datetime.time)):
        return value.isoformat() if not isinstance(value, Decimal) else str(value)
    return value


def _key_value(value) -> object:
    if isinstance(value, str):
        return " ".join(value.split()).casefold()
    if isinstance(value, models.Model):
        return value.pk
    return value


class Importer:
    """One job's run. `dry_run` does everything inside a transaction that is rolled back."""

    def __init__(self, job: ImportJob, *, dry_run: bool = False, progress: Callable[[ImportJob], None] | None = None):
        self.job = job
        self.dry_run = dry_run
        self.progress = progress
        self.user = job.created_by
        # the designer's definitions (custom fields, business rules) as they are when the job runs, which may be
        # long after the request that made it
        forget_designer_definitions()
        self.section = registry.get(job.section)
        self.model = self.section.model
        if not access.can(self.user, "import") or not access.can(self.user, "create", self.section):
            raise PermissionDenied("You may not import into this section.")
        specs = {spec.name: spec for spec in importable_fields(self.section, self.user)}
        self.writable = set(specs)  # what `import_complete` may add to a row
        unknown = sorted(set(job.mapping.values()) - set(specs))
        if unknown:
            raise ValidationError(f"These fields cannot be imported by you: {', '.join(unknown)}.")
        if len(set(job.mapping.values())) != len(job.mapping):
            raise ValidationError("Each field can take one column only.")
        self.columns: list[tuple[int, FieldSpec]] = sorted((int(i), specs[n]) for i, n in job.mapping.items())
        missing_keys = [k for k in job.keys if k not in job.mapping.values()]
        if missing_keys:
            raise ValidationError(f"The key fields must be mapped to a column: {', '.join(missing_keys)}.")
        self.keys = list(job.keys)
        custom_keys = [k for k in self.keys if k in specs and specs[k].custom is not None]
        if custom_keys:
            raise ValidationError(
                f"A custom field cannot be a key field: {', '.join(specs[k].label for k in custom_keys)}."
            )
        extra_keys = [specs[k].label for k in self.keys if k in specs and specs[k].extra]
        if extra_keys:
            raise ValidationError(f"Only the record's own fields can be key fields, not: {', '.join(extra_keys)}.")
        create = job.lookup_mode == ImportJob.LookupMode.CREATE
        self.converters = {
            i: Converter(spec, user=self.user, create_lookups=create, date_order=job.date_order)
            for i, spec in self.columns
        }
        mapped = {spec.name for _, spec in self.columns}
        self.required = [
            s
            for s in specs.values()
            if s.required
            and s.custom is None
            and not s.extra
            and s.name not in mapped
            and s.name != self.section.number_field
        ]
        #: the mapped custom fields by name; their values go into the record's `custom` JSON
        self.custom = {spec.name: spec.custom for _, spec in self.columns if spec.custom is not None}
        #: a created record must hold every required custom field, mapped or not (as the record form asks)
        self.required_custom = [s.custom for s in specs.values() if s.custom is not None and s.required]
        self.source = reader.Source(kind=job.kind, sheets=(job.sheet,), encoding=job.encoding, delimiter=job.delimiter)
        self.lease = secrets.token_hex(8)
        self.header_position = 0
        self.factory = bulk.Factory(self.model)
        self.owned = "owner_id" in self.factory.values  # records without an owner in the file get the importer
        #: ids of the records matched so far whose owner the user may change (`access.owner_changeable`)
        self.owner_changeable: set[int] = set()
        self.attnames = {
            spec.name: spec.field.attname for _, spec in self.columns if spec.custom is None and not spec.extra
        }
        #: the mapped columns of the section's import extras (a product's price lists): written beside the records
        self.extras = {spec.name for _, spec in self.columns if spec.extra}
        self.extras_hook = extras_of(self.section, self.user) if self.extras else None
        #: field -> the value created records get when their row has none (resolved once per import)
        self.defaults = resolve_defaults(job.defaults or {}, specs, self.user)
        self.default_labels = [(specs[name].label, value) for name, value in self.defaults.items()]
        self.attnames.update({name: specs[name].field.attname for name in self.defaults})
        for index, meanings in resolve_value_map(job.value_map or {}, dict(self.columns)).items():
            self.converters[index].map_values(meanings)
        self.labels = {spec.name: spec.label for _, spec in self.columns}
        self.complete = self.section.import_complete
        #: what converting a row walks through, looked up once: (cell index, field name, converter, spec)
        self.cells = [(i, spec.name, self.converters[i], spec) for i, spec in self.columns]
        #: the columns whose converters look their values up per batch (`Converter.prepare`)
        self.prepared = [i for i, spec in self.columns if spec.kind in ("lookup", "record", "user")]
        #: only a lookup column can give a value still to be made (`PendingValue`)
        self.pending = any(spec.kind == "lookup" for _, spec in self.columns)

    # --- the run ------------------------------------------------------------------------------------------------

    def batches(self, done: list[tuple[int, int]] = ()) -> Iterable[Batch]:
        """The rows after the header in batches, leaving out the data-row positions `done` (first, last) covers.

        Each batch accounts for a span of positions: its rows plus the blank rows among and before them, so the
        spans of a whole run add up to the rows of the file."""
        if self.source.kind == "xlsx":  # the sheet may have changed since it was chosen: check it as it is read
            reader.check_sheet(self.job.file.path, self.job.sheet)
        done = sorted(done)
        size = batch_size()
        header = None
        rows: list[tuple[int, list]] = []
        start = last = None
        covered = 0  # index into `done`
        for position, row in enumerate(reader.rows(self.job.file.path, self.source, self.job.sheet)):
            if header is None:
                header = self.header_position = position if row else None
                continue
            n = position - header
            while covered < len(done) and done[covered][1] < n:
                covered += 1
            if covered < len(done) and done[covered][0] <= n:  # committed by an earlier run
                if rows:
                    yield Batch(rows, start, n - 1)
                rows, start = [], None
                continue
            if start is None:
                start = n
            if not row:
                continue
            rows.append((position + 1, row))
            last = n
            if len(rows) >= size:
                yield Batch(rows, start, n)
                rows, start = [], None
        if rows:
            yield Batch(rows, start, last)

    def writers(self) -> int:
        """How many batches are written at once: on PostgreSQL outside a transaction, IMPORT_WRITERS (each on its
        own connection, so the database indexes one batch while Python converts the next); one where parallel
        batches would only queue (numbered records take their numbers under a lock) or could race (lookup
        values created on the way)."""
        if connection.vendor != "postgresql" or connection.in_atomic_block or self.section.number_field:
            return 1
        if self.job.lookup_mode == ImportJob.LookupMode.CREATE and any(
            spec.kind in ("lookup", "record") for _, spec in self.columns
        ):
            return 1
        return max(1, int(getattr(settings, "IMPORT_WRITERS", 2)))

    def run(self) -> ImportJob:
        """Import every row not yet done; the job's status and counters follow."""
        job = self.job
        ImportJob.objects.filter(pk=job.pk).update(
            status=ImportJob.Status.RUNNING,
            started_at=job.started_at or timezone.now(),
            error="",
            lease=self.lease,
            heartbeat_at=timezone.now(),
        )
        done = list(ImportBatch.objects.filter(job=job).values_list("first_row", "last_row"))
        if not done and job.rows_done:  # a job started before batches were recorded: it went in file order
            done = [(1, job.rows_done)]
        try:
            writers = self.writers()
            with _startup_objects_left_alone():
                if writers > 1:
                    self._run_parallel(done, writers)
                else:
                    for batch in self.batches(done):
                        self._commit(batch)
                        self._progress()
        except ImportStopped as stop:
            if stop.cancelled:
                ImportJob.objects.filter(pk=job.pk, lease=self.lease).update(
                    status=ImportJob.Status.CANCELLED, finished_at=timezone.now()
                )
            job.refresh_from_db()
            return job
        except reader.UnreadableFile as error:
            ImportJob.objects.filter(pk=job.pk, lease=self.lease).update(
                status=ImportJob.Status.FAILED, error=str(error), finished_at=timezone.now()
            )
            job.refresh_from_db()
            return job
        except Exception as error:  # a database error, a bug: the job fails, it is not left running and re-queued
            self._fail(error)
            job.refresh_from_db()
            return job
        ImportJob.objects.filter(pk=job.pk, lease=self.lease).update(
            status=ImportJob.Status.COMPLETED, finished_at=timezone.now()
        )
        job.refresh_from_db()
        return job

    def _fail(self, error: Exception) -> None:
        """Mark the job failed by a crash, with the error for the user (committed batches stay, and can be
        rolled back)."""
        logger.exception("Import #%s stopped", self.job.pk)
        text = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        ImportJob.objects.filter(pk=self.job.pk, lease=self.lease).update(
            status=ImportJob.Status.FAILED, error=f"The import stopped: {text}", finished_at=timezone.now()
        )

    def _run_parallel(self, done, writers: int) -> None:
        """Batches go to `writers` threads, each committing on its own connection. A batch whose key values
        appear in a batch still being written waits for it, so a key met twice in the file still makes one
        record. On any error no new batch starts, the running ones end (commit or roll back whole) and the error
        is raised."""
        key_column, loose = next(
            ((i, spec.kind in ("lookup", "record", "user")) for i, spec in self.columns if spec.name in self.keys[:1]),
            (None, False),
        )
        inflight: dict[Future, set] = {}

        def settle(future: Future) -> None:
            del inflight[future]
            future.result()
            self._progress()

        with ThreadPoolExecutor(max_workers=writers, thread_name_prefix="import-writer") as pool:
            try:
                for batch in self.batches(done):
                    keys = _raw_keys(batch, key_column, loose)
                    for future in [f for f, written in inflight.items() if written & keys]:
                        settle(future)
                    while len(inflight) >= writers:
                        finished, _ = wait(inflight, return_when=FIRST_COMPLETED)
                        for future in finished:
                            settle(future)
                    inflight[pool.submit(self._commit_in_thread, batch)] = keys
                while inflight:
                    finished, _ = wait(inflight, return_when=FIRST_COMPLETED)
                    for future in finished:
                        settle(future)
            except BaseException:
                for future in inflight:
                    future.cancel()
                wait(inflight)
                raise

    def _commit_in_thread(self, batch: Batch) -> None:
        try:
            self._commit(batch, parallel=True)
        finally:
            connection.close()  # the thread's own connection

    def _commit(self, batch: Batch, *, parallel: bool = False) -> None:
        """One batch in one transaction, committed only while this run holds the job's lease."""
        with transaction.atomic():
            state = ImportJob.objects.filter(pk=self.job.pk).values("lease", "cancel_requested").get()
            if state["lease"] != self.lease:
                raise ImportStopped
            if state["cancel_requested"]:
                raise ImportStopped(cancelled=True)
            result = self.process(batch.rows)
            RefusedRow.objects.bulk_create(
                [
                    RefusedRow(job=self.job, row_number=n, values=[reader.as_text(c) for c in cells], reason=reason)
                    for n, cells, reason in result.refused
                ]
            )
            RowWarning.objects.bulk_create(
                [
                    RowWarning(job=self.job, row_number=n, values=[reader.as_text(c) for c in cells], message=message)
                    for n, cells, message in result.warnings
                ]
            )
            if parallel:
                # the deferred foreign-key checks run now, before the job's row is locked by the update below,
                # so that parallel batches queue on that lock only for their commit
                with connection.cursor() as cursor:
                    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            # the lease is checked again under the row lock: a run that lost the job commits nothing
            moved = ImportJob.objects.filter(pk=self.job.pk, lease=self.lease).update(
                rows_done=F("rows_done") + (batch.last - batch.first + 1),
                created_count=F("created_count") + result.created,
                updated_count=F("updated_count") + result.updated,
                unchanged_count=F("unchanged_count") + result.unchanged,
                refused_count=F("refused_count") + len(result.refused),
                warning_count=F("warning_count") + len(result.warnings),
                heartbeat_at=timezone.now(),
            )
            if not moved:
                raise ImportStopped
            ImportBatch.objects.create(job_id=self.job.pk, first_row=batch.first, last_row=batch.last)

    def _progress(self) -> None:
        if self.progress:
            self.job.refresh_from_db()
            self.progress(self.job)

    def dry_run_preview(self, limit: int = 1000) -> BatchResult:
        """What importing the first `limit` rows would do, without keeping any of it."""
        total = BatchResult()
        rows: list[tuple[int, list]] = []
        for batch in self.batches():
            rows.extend(batch.rows)
            if len(rows) >= limit:
                break
        rows = rows[:limit]
        with transaction.atomic():
            result = self.process(rows, keep_changes=False, sample=True)
            # the values found (or made) for lookups and records are bare references: name them, one query per
            # model, before the rollback takes the made ones away
            wanted: dict[type, set] = {}
            for _, _, values in result.samples:
                for value in values.values():
                    if isinstance(value, models.Model):
                        wanted.setdefault(type(value), set()).add(value.pk)
            named = {model: model._default_manager.in_bulk(pks) for model, pks in wanted.items()}
            for _, _, values in result.samples:
                for name, value in values.items():
                    if isinstance(value, models.Model):
                        values[name] = named[type(value)].get(value.pk, value)
            transaction.set_rollback(True)
        total.created, total.updated, total.unchanged, total.refused, total.warnings = (
            result.created,
            result.updated,
            result.unchanged,
            result.refused,
            result.warnings,
        )
        labels = {spec.name: spec.label for _, spec in self.columns}  # the preview speaks the user's words
        labels.update({name: label for (label, _), name in zip(self.default_labels, self.defaults, strict=True)})
        warned = {number: message for number, _, message in result.warnings}
        # a sample carries its row's warnings (what was left empty, and why) as its last value
        total.samples = [
            (
                number,
                kind,
                {labels.get(name, name): value for name, value in values.items()}
                | ({"Warning": warned[number]} if number in warned else {}),
            )
            for number, kind, values in result.samples
        ]
        total.defaults = self.default_labels
        return total

    # --- one batch ----------------------------------------------------------------------------------------------

    def process(self, batch: list[tuple[int, list]], *, keep_changes: bool = True, sample: bool = False) -> BatchResult:
        result = BatchResult()
        self.factory.stamp()
        for index in self.prepared:
            self.converters[index].prepare([cells[index] if index < len(cells) else None for _, cells in batch])
        converted: list[tuple[int, list, dict]] = []
        warnings: dict[int, tuple[list, str]] = {}  # row number -> (cells, what was left empty and why)
        row_cells, pending = self.cells, self.pending
        for number, cells in batch:
            if isinstance(cells, reader.BadRow):  # the reader could not read it whole (a broken vCard)
                result.refused.append((number, cells, cells.reason))
                continue
            values, problems, left_empty = {}, [], []
            width = len(cells)
            for index, name, convert, spec in row_cells:
                try:
                    value = convert(cells[index] if index < width else None)
                except RefusedValue as error:
                    # a value the record can do without is left out (the row warned); a required one or a key
                    # refuses the row
                    if spec.required or name in self.keys:
                        problems.append(f"{spec.label}: {error}")
                    else:
                        left_empty.append(f"{spec.label}: {str(error).rstrip('.')}; left empty.")
                    continue
                if value is not None:
                    values[name] = value
            if pending and not problems and any(isinstance(value, PendingValue) for value in values.values()):
                problems = self._make_pending(values)
            if problems:
                result.refused.append((number, cells, sentences(problems)))
            else:
                converted.append((number, cells, values))
                if left_empty:
                    warnings[number] = (cells, " ".join(left_empty))
        existing = self._existing(converted)
        creating: dict[object, tuple[int, list, models.Model]] = {}
        new_rows: list[tuple[int, list, models.Model]] = []
        updates: dict[int, tuple[models.Model, dict]] = {}
        update_rows: dict[int, tuple[int, list]] = {}  # record id -> the (last) row that updates it
        extra_values: dict[int, dict] = {}  # id(record) -> the extras to write for it
        current_extras = (
            self.extras_hook.current([m for m in existing.values() if not isinstance(m, str)])
            if self.extras_hook is not None and existing
            else {}
        )
        for number, cells, values in converted:
            key = self._key(values)
            match = existing.get(key) if key is not None else None
            if isinstance(match, str):
                result.refused.append((number, cells, match))
                continue
            if match is not None:
                new_owner = values.get("owner")
                if (
                    new_owner is not None
                    and getattr(new_owner, "pk", new_owner) != match.owner_id
                    and match.pk not in self.owner_changeable
                ):
                    result.refused.append(
                        (number, cells, "You may not change the owner of this record: that needs full rights on it.")
                    )
                    continue
                obj, previous = updates.get(match.pk, (match, {}))
                changed = self._apply(obj, values, previous)
                extra_changes = self._extra_changes(obj, values, current_extras) if self.extras else {}
                if not changed and not extra_changes and obj.pk not in updates:  # the record already says all of it
                    result.unchanged += 1
                    if sample:
                        result.samples.append((number, "unchanged", values))
                    continue
                problem = self._validate(obj, changed, previous)
                if problem:
                    self._restore(obj, changed)
                    result.refused.append((number, cells, problem))
                    continue
                for name, (old, new) in extra_changes.items():
                    previous.setdefault(name, old)
                    current_extras.setdefault(obj.pk, {})[name] = self.extras_hook.as_json(new)
                    extra_values.setdefault(id(obj), {})[name] = new
                updates[obj.pk] = (obj, previous)
                update_rows[obj.pk] = (number, cells)
                if sample:
                    result.samples.append((number, "update", values))
                continue
            pending = creating.get(key) if key is not None else None
            if pending is not None:
                # the same key twice in the file: the later row completes the record the earlier one creates
                self._apply(pending[2], values, {})
                if self.extras:
                    extra_values.setdefault(id(pending[2]), {}).update(
                        {name: values[name] for name in self.extras if name in values}
                    )
                continue
            if self.complete is not None:
                # what the section's hook adds (the parts of a full name, a name from the email) and what it
                # refuses are for a record the row creates: a row that updates one changes only what it says.
                # The row's values are used for nothing else from here on: they are completed in place.
                problem = self._completed(values)
                if problem:
                    result.refused.append((number, cells, problem))
                    continue
            if self.defaults:  # what the row leaves empty (or has no column for) a created record gets
                values = {**self.defaults, **{name: value for name, value in values.items() if value is not None}}
            obj = self._new(values)
            if self.extras:
                extra_values[id(obj)] = {name: values[name] for name in self.extras if name in values}
            missing = [s.label for s in self.required if getattr(obj, s.field.attname, None) in (None, "")]
            if self.required_custom:
                missing += [f.label for f in self.required_custom if obj.custom.get(f.code) in (None, "")]
            problem = f"Required: {', '.join(missing)}." if missing else self._validate(obj)
            if problem:
                result.refused.append((number, cells, problem))
                continue
            new_rows.append((number, cells, obj))
            if key is not None:
                creating[key] = (number, cells, obj)
            if sample:
                result.samples.append((number, "create", values))
        created = [obj for _, _, obj in new_rows]
        if created and self.section.number_field:
            numbers = iter(next_numbers(name=self.section.number_sequence or self.section.name, count=len(created)))
            for obj in created:
                if not getattr(obj, self.section.number_field):
                    setattr(obj, self.section.number_field, next(numbers))
        refused_before = len(result.refused)
        created = self._insert(new_rows, result)
        changed_fields = sorted({name for _, previous in updates.values() for name in previous})
        if updates:
            now = timezone.now()
            for obj, _ in updates.values():
                obj.version += 1
                obj.modified_at = now
                obj.modified_by = self.user
            attnames = [
                self.model._meta.get_field(n).name
                for n in changed_fields
                if not n.startswith(CUSTOM_PREFIX) and n not in self.extras
            ]
            if any(n.startswith(CUSTOM_PREFIX) for n in changed_fields):
                attnames.append("custom")  # merged per record in `_apply`: the keys the file does not name stay
            self._update(updates, update_rows, [*attnames, "version", "modified_at", "modified_by"], result)
        updated = [obj for obj, _ in updates.values()]
        if sample and len(result.refused) > refused_before:  # rows the database refused are not previewed
            refused_numbers = {number for number, _, _ in result.refused[refused_before:]}
            result.samples = [s for s in result.samples if s[0] not in refused_numbers]
        if self.extras_hook is not None:
            rows = [(obj, extra_values[id(obj)]) for obj in [*created, *updated] if extra_values.get(id(obj))]
            self.extras_hook.write(user=self.user, rows=rows)
        if self.section.after_import and (created or updated):
            self.section.after_import(user=self.user, created=created, updated=updated)
        self._settle_created_values([*created, *updated], keep=keep_changes)
        # records made for what rows name (an account for a contact's company): rolled back with the import
        made: dict[str, list[int]] = {}
        for converter in self.converters.values():
            for section_name, pk in converter.created_records:
                made.setdefault(section_name, []).append(pk)
            converter.created_records.clear()
        if keep_changes:
            bulk.insert_rows(
                ImportChange,
                ["job_id", "object_id", "last_object_id", "action", "previous", "section"],
                [
                    (self.job.pk, first, last, ImportChange.Action.CREATED, {}, "")
                    for first, last in _runs(sorted(obj.pk for obj in created))
                ]
                + [
                    (self.job.pk, obj.pk, None, ImportChange.Action.UPDATED, previous, "")
                    for obj, previous in updates.values()
                ]
                + [
                    (self.job.pk, first, last, ImportChange.Action.CREATED, {}, section_name)
                    for section_name, ids in made.items()
                    for first, last in _runs(sorted(ids))
                ],
            )
        result.created, result.updated = len(created), len(updated)
        if warnings:
            # a row refused later on (by a rule, by the database) is refused, not warned: its reason says first
            # what was left empty (the cause, when the rule wanted that value)
            result.refused = [
                (n, cells, f"{warnings[n][1]} {reason}" if n in warnings else reason)
                for n, cells, reason in result.refused
            ]
            refused_numbers = {number for number, _, _ in result.refused}
            result.warnings = [
                (n, cells, message) for n, (cells, message) in warnings.items() if n not in refused_numbers
            ]
        return result

    def _make_pending(self, values: dict) -> list[str]:
        """Make the lookup values of the row that need a parent (a product type its category) with the parent
        the row names (or the import's default); the reason for each that cannot be made."""
        problems = []
        row = [*self.defaults.values(), *values.values()]
        for name, value in list(values.items()):
            if isinstance(value, PendingValue):
                try:
                    values[name] = made = value.make(row)
                except RefusedValue as error:
                    problems.append(f"{self.labels[name]}: {error}")
                    continue
                row.append(made)
        return problems

    def _settle_created_values(self, written: list, *, keep: bool) -> None:
        """The lookup values this batch created stay only when a record it wrote uses them (or a value kept needs
        them as its parent); the others, made for rows refused after all, are deleted again. The kept ones are
        recorded (`ImportCreatedValue`) for the rollback."""
        from django.contrib.contenttypes.models import ContentType

        made = [value for converter in self.converters.values() for value in converter.created]
        if not made:
            return
        for converter in self.converters.values():
            converter.created = []
        used: set[tuple[type, object]] = set()
        for index, spec in self.columns:
            if spec.kind != "lookup":
                continue
            if spec.custom is not None or spec.extra:  # used beside the record: kept
                used |= {(type(value), value.pk) for value in self.converters[index].cache.values()}
                continue
            used |= {(spec.related_model, getattr(obj, spec.field.attname)) for obj in written}
        for value in reversed(made):  # a child is made after its parent
            if (type(value), value.pk) in used:
                used |= {(f.related_model, getattr(value, f.attname)) for f in required_parents(type(value))}
        gone = [value for value in made if (type(value), value.pk) not in used]
        for value in reversed(gone):
            type(value)._default_manager.filter(pk=value.pk).delete()
        if gone:
            for converter in self.converters.values():
                converter.forget(gone)
        if keep:
            ImportCreatedValue.objects.bulk_create(
                [
                    ImportCreatedValue(
                        job_id=self.job.pk, content_type=ContentType.objects.get_for_model(value), object_id=value.pk
                    )
                    for value in made
                    if (type(value), value.pk) in used
                ]
            )

    def _insert(self, new_rows: list[tuple[int, list, models.Model]], result: BatchResult) -> list:
        """Insert the new records at once; when the database refuses that (a value only it checks, such as a
        code another record holds), insert them one by one and refuse the rows it will not take, with the
        reason. Returns the records inserted."""
        objs = [obj for _, _, obj in new_rows]
        try:
            with transaction.atomic():
                bulk.insert(self.model, objs)
            return objs
        except IntegrityError:
            pass
        inserted = []
        for number, cells, obj in new_rows:
            obj.pk = None
            obj._state.adding, obj._state.db = True, None
            try:
                with transaction.atomic():
                    bulk.insert(self.model, [obj])
            except IntegrityError as error:
                result.refused.append((number, cells, refusal(self.model, obj, error)))
                continue
            inserted.append(obj)
        return inserted

    def _update(self, updates: dict, update_rows: dict, fields: list[str], result: BatchResult) -> None:
        """Write the updated records at once, or, when the database refuses that, one by one: a record it will
        not take is left as it was and its row refused with the reason (and dropped from `updates`)."""
        manager = self.model._default_manager
        try:
            with transaction.atomic():
                manager.bulk_update([obj for obj, _ in updates.values()], fields, batch_size=1000)
            return
        except IntegrityError:
            pass
        for pk, (obj, _) in list(updates.items()):
            try:
                with transaction.atomic():
                    manager.bulk_update([obj], fields)
            except IntegrityError as error:
                number, cells = update_rows[pk]
                result.refused.append((number, cells, refusal(self.model, obj, error)))
                del updates[pk]

    def _key(self, values: dict):
        if not self.keys:
            return None
        if len(self.keys) == 1:  # nearly always: one key field
            part = _key_value(values.get(self.keys[0]))
            return None if part is None or part == "" else (part,)
        key = tuple(_key_value(values.get(name)) for name in self.keys)
        return None if any(part in (None, "") for part in key) else key

    def _existing(self, converted) -> dict:
        """Key -> the record the user may edit, or a refusal message when the record cannot be changed by them
        or the key is ambiguous. Records they may not see do not match (their existence is not revealed)."""
        if not self.keys:
            return {}
        first = self.keys[0]
        wanted = {values[first] for _, _, values in converted if values.get(first) not in (None, "")}
        if not wanted:
            return {}
        field = self.model._meta.get_field(first)
        readable = access.visible(self.user, self.model._default_manager.order_by())
        editable_ids = set()
        found: dict[object, list] = {}
        candidates = []
        text = isinstance(field, (models.CharField, models.TextField))
        for chunk in _chunks(sorted(wanted, key=str), 5000):
            if text:
                # case-insensitive and indexed: the sections index UPPER(...) of the fields used as keys
                rows = readable.annotate(_import_key=Upper(first)).filter(
                    _import_key__any_of=[v.upper() for v in chunk]
                )
            else:
                rows = readable.filter(**{f"{first}__any_of": chunk})
            candidates.extend(rows)
        if candidates:
            editable_ids = set(
                access.visible(
                    self.user, self.model._default_manager.filter(pk__in=[c.pk for c in candidates]), "edit"
                ).values_list("pk", flat=True)
            )
            if "owner" in self.attnames:
                # an edit share is no way to take a record over: its owner changes only by who has full rights
                self.owner_changeable |= set(
                    access.owner_changeable(
                        self.user, self.model._default_manager.filter(pk__in=sorted(editable_ids))
                    ).values_list("pk", flat=True)
                )
        for obj in candidates:
            key = tuple(_key_value(getattr(obj, name)) for name in self.keys)
            found.setdefault(key, []).append(obj)
        result = {}
        for key, objs in found.items():
            if len(objs) > 1:
                result[key] = f"{len(objs)} existing records have this key: which one is meant is unclear."
            elif objs[0].pk not in editable_ids:
                result[key] = "A record with this key exists, and you may not change it."
            else:
                result[key] = objs[0]
        return result

    def _apply(self, obj, values: dict, previous: dict) -> dict:
        """Set the non-empty values on `obj`; remember each field's first old value in `previous` (for a custom
        field, the value its JSON held, None when it had none)."""
        changed = {}
        for name, value in values.items():
            if name in self.extras:  # written beside the record (`_extra_changes`)
                continue
            custom = self.custom.get(name) if self.custom else None
            if custom is not None:
                stored = obj.custom or {}
                old, new = stored.get(custom.code), custom.to_json(value)
                if old != new:
                    if name not in previous and obj.pk is not None:
                        previous[name] = old
                    changed[name] = old
                    obj.custom = {**stored, custom.code: new}
                continue
            field = self.model._meta.get_field(name)
            old = getattr(obj, field.attname)
            new = value.pk if isinstance(value, models.Model) else value
            if old != new:
                if name not in previous and obj.pk is not None:
                    previous[name] = _jsonable(field, obj)
                changed[name] = old
                setattr(obj, field.attname, new)
                if isinstance(value, models.Model) and value._state.db is not None:
                    field.set_cached_value(obj, value)  # as `_new` does: clean() reads the whole row from here
        return changed

    def _extra_changes(self, obj, values: dict, current: dict) -> dict[str, tuple]:
        """The extras of a row that differ from what the record holds: name -> (the JSON value it holds, or None;
        the new value)."""
        return self.extras_hook.changes(
            current.get(obj.pk, {}), {name: values[name] for name in self.extras if name in values}
        )

    def _restore(self, obj, changed: dict) -> None:
        """Put back the old values `_apply` replaced (a row refused after all)."""
        for name, old in changed.items():
            if name.startswith(CUSTOM_PREFIX):
                code = name.removeprefix(CUSTOM_PREFIX)
                obj.custom = {k: v for k, v in obj.custom.items() if k != code}
                if old is not None:
                    obj.custom[code] = old
            else:
                setattr(obj, self.model._meta.get_field(name).attname, old)

    def _completed(self, values: dict) -> str:
        """The section's `import_complete` on a converted row; what it adds that the user may not write is
        dropped."""
        before = set(values)
        problem = self.complete(values, name_from_email=self.job.name_from_email)
        if len(values) != len(before) or values.keys() != before:  # the hook added (or took) a field
            for name in set(values) - before - self.writable:
                del values[name]
        return problem

    def _new(self, values: dict):
        attnames = self.attnames
        custom = {}
        if self.custom:
            custom = {name: values[name] for name in self.custom if name in values}
            values = {name: value for name, value in values.items() if name not in custom}
        if self.extras:  # written beside the record once it is saved
            values = {name: value for name, value in values.items() if name not in self.extras}
        state = {}
        rows = []  # (name, a whole row the record refers to)
        for name, value in values.items():
            attname = attnames.get(name) or self.model._meta.get_field(name).attname
            if isinstance(value, models.Model):
                state[attname] = value.pk
                if value._state.db is not None:
                    rows.append((name, value))
            else:
                state[attname] = value
        state["created_by_id"] = state["modified_by_id"] = self.user.pk
        if self.owned and state.get("owner_id") is None and self.factory.values["owner_id"] is None:
            state["owner_id"] = self.user.pk
        obj = self.factory(state)
        for name, value in rows:
            # a whole row (a lookup value): the record's clean() reads it from here, not from the database
            self.model._meta.get_field(name).set_cached_value(obj, value)
        if custom:
            set_custom_values(obj, self.custom, custom)
        return obj

    def _validate(self, obj, changed: dict | None = None, previous: dict | None = None) -> str:
        """The model's own rules (derived fields, cross-field checks), then the record validators every write
        path runs (business rules: a field a rule requires, values a rule sets); field values were checked on
        the way in. For a record the row updates, `changed` holds what the row changed (its old values) and
        `previous` what the import keeps to undo it: the fields a validator sets are added to both."""
        try:
            obj.clean()
            before = copy.copy(obj) if changed is not None else None
            if before is not None:
                before.custom = dict(obj.custom or {})
            set_fields = services.validate_record(section=self.section, obj=obj, previous=changed)
        except ValidationError as error:
            return sentences(error.messages)
        for name in set_fields if before is not None else ():
            if name.startswith(CUSTOM_PREFIX):
                old = kept = before.custom.get(name.removeprefix(CUSTOM_PREFIX))
            else:
                field = self.model._meta.get_field(name)
                old, kept = getattr(before, field.attname), _jsonable(field, before)
            changed.setdefault(name, old)
            previous.setdefault(name, kept)
        return ""


def refusal(model: type[models.Model], obj: models.Model, error: IntegrityError) -> str:
    """Why the database refused `obj`, in the user's words: the broken constraint's own message, "another record
    already has this code", or the database's first line."""
    cause = error.__cause__
    name = getattr(getattr(cause, "diag", None), "constraint_name", None) or ""  # PostgreSQL names it
    first_line = str(error).strip().splitlines()[0] if str(error).strip() else "refused"
    if not name:  # SQLite: "CHECK constraint failed: name" / "UNIQUE constraint failed: table.column"
        name = first_line.partition("constraint failed: ")[2].strip()
    opts = model._meta
    for constraint in opts.constraints:
        if constraint.name != name:
            continue
        message = constraint.get_violation_error_message()
        if message != constraint.default_violation_error_message % {"name": name}:
            return message
        if isinstance(constraint, models.UniqueConstraint) and constraint.fields:
            labels = ", ".join(str(opts.get_field(f).verbose_name) for f in constraint.fields)
            return f"Another {opts.verbose_name} already has the same {labels}."
    for unique in opts.concrete_fields:
        if (
            unique.unique
            and not unique.primary_key
            and (
                name in (f"{opts.db_table}_{unique.column}_key", f"{opts.db_table}.{unique.column}")
                or (name.startswith(f"{opts.db_table}_{unique.column}_") and name.endswith("_uniq"))
            )
        ):
            value = getattr(obj, unique.attname)
            return f"Another {opts.verbose_name} already has the {unique.verbose_name} “{value}”."
    section = registry.for_model(model)
    custom = unique_custom_violation(section, error) if section is not None else None
    if custom:  # a unique custom field's index (crm.designer.unique)
        return sentences(custom.values())
    return f"The database refused the row: {first_line}"


def sentences(messages: Iterable[str]) -> str:
    """Reasons as one text: each a sentence ("… is not a date. Account: …"), not "….; …"."""
    return " ".join(m if m.endswith((".", "!", "?")) else f"{m}." for m in (str(m).strip() for m in messages) if m)


def _raw_keys(batch: Batch, column: int | None, loose: bool) -> set:
    """The first key column's cells as matching compares them, or looser (`loose`: names of records, whose
    accents do not count either): batches sharing one must not be written at the same time."""
    if column is None:
        return set()
    cells = [cells[column] for _, cells in batch.rows if column < len(cells)]
    if loose:
        return {normalise_name(as_text(cell)) for cell in cells} - {""}
    return {" ".join(as_text(cell).split()).casefold() for cell in cells} - {""}


@contextlib.contextmanager
def _startup_objects_left_alone():
    """While a run lasts, the garbage collector's full passes skip the objects that were there before it (the
    loaded code: Django, the models, the sections; well over 100,000 of them). A batch makes thousands of
    records at once, which triggers full passes; each walked all of those objects again, a fifth of an import's
    Python time. They go back under the collector when the run ends."""
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def _runs(ids: list[int]) -> list[tuple[int, int]]:
    """Sorted ids as runs of consecutive ones: [1, 2, 3, 7] -> [(1, 3), (7, 7)]."""
    runs: list[tuple[int, int]] = []
    for pk in ids:
        if runs and pk == runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], pk)
        else:
            runs.append((pk, pk))
    return runs


def _chunks(items: list, size: int):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def rollback(*, user, job: ImportJob) -> ImportJob:
    """Undo an import: delete the records it created (unless something else now depends on them) and restore the
    values it changed, in one transaction. Raises ValidationError naming what blocks it."""
    section = registry.get(job.section)
    model = section.model
    if job.created_by_id != user.pk and not user.is_superuser:
        raise PermissionDenied("Only the person who ran the import can roll it back.")
    if job.status not in (ImportJob.Status.COMPLETED, ImportJob.Status.CANCELLED, ImportJob.Status.FAILED):
        raise ValidationError("Only a finished import can be rolled back.")
    extra_columns = extras_of(section, user)
    with transaction.atomic():
        locked = ImportJob.objects.select_for_update().get(pk=job.pk)
        if locked.status == ImportJob.Status.ROLLED_BACK:
            raise ValidationError("This import was already rolled back.")
        for change in ImportChange.objects.filter(job=job, action=ImportChange.Action.UPDATED).iterator():
            obj = model._default_manager.filter(pk=change.object_id).first()
            if obj is None:
                continue
            extras = {}
            for name, value in change.previous.items():
                if extra_columns.owns(name):
                    extras[name] = value  # a detail row's value (a price in a price list)
                    continue
                if name.startswith(CUSTOM_PREFIX):  # the JSON value the record held (None: it had none)
                    code = name.removeprefix(CUSTOM_PREFIX)
                    obj.custom = {k: v for k, v in (obj.custom or {}).items() if k != code}
                    if value is not None:
                        obj.custom[code] = value
                    continue
                field = model._meta.get_field(name)
                setattr(obj, field.attname, field.to_python(value) if value is not None else None)
            obj.version += 1
            obj.modified_by = user
            obj.modified_at = timezone.now()
            obj.save()
            if extras:
                extra_columns.restore(user=user, obj=obj, previous=extras)
        created = ImportChange.objects.filter(job=job, action=ImportChange.Action.CREATED)
        _delete_created(section, [pk for change in created.filter(section="") for pk in change.object_ids])
        # then what the rows named and the import made (an account for a contact's company), when nothing else
        # uses it now
        made: dict[str, list[int]] = {}
        for change in created.exclude(section=""):
            made.setdefault(change.section, []).extend(change.object_ids)
        for section_name, ids in made.items():
            _delete_created(registry.get(section_name), ids, only_unused=True)
        _remove_created_values(job)
        ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.ROLLED_BACK)
    job.refresh_from_db()
    return job


def _remove_created_values(job: ImportJob) -> None:
    """Delete the lookup values the import created that nothing uses any more (newest first: a product type
    before its category); one still in use (by a record, another value) is kept."""
    from django.db.models import ProtectedError, RestrictedError
    from django.db.models.deletion import Collector

    for made in ImportCreatedValue.objects.filter(job=job).select_related("content_type").order_by("-pk"):
        model = made.content_type.model_class()
        value = model._default_manager.filter(pk=made.object_id).first() if model is not None else None
        if value is None:
            continue
        if not _in_use(value, Collector(using=value._state.db), (ProtectedError, RestrictedError)):
            value.delete()


def _in_use(value: models.Model, collector, blocked: tuple[type[Exception], ...]) -> bool:
    """Whether deleting `value` would touch anything else: a protecting reference, or rows it would delete or
    set empty with it."""
    try:
        collector.collect([value])
    except blocked:
        return True
    if sum(len(objs) for objs in collector.data.values()) > 1:
        return True
    if any(query.exists() for query in collector.fast_deletes):
        return True
    return any(
        (objs.exists() if hasattr(objs, "exists") else bool(objs))
        for batches in collector.field_updates.values()
        for objs in batches
    )


def _delete_created(section, ids: list[int], *, only_unused: bool = False) -> None:
    """Delete records an import created, with what hangs on them (notes, attachments, folder entries). A record
    something else now depends on stops the rollback with the reason, or, `only_unused`, is kept."""
    from django.contrib.contenttypes.models import ContentType
    from django.db.models import ProtectedError, RestrictedError

    from crm.sections import tags
    from crm.sections.models import Attachment, FolderItem, Note

    model = section.model
    if only_unused:
        for pk in ids:
            try:
                with transaction.atomic():
                    _delete_created(section, [pk])
            except ValidationError:
                continue
        return
    content_type = ContentType.objects.get_for_model(model)
    for chunk in _chunks(ids, 1000):
        for reference in registry.generic_references():
            rows = reference.resolved_model()._default_manager.filter(
                **{reference.content_type_field: content_type, f"{reference.object_id_field}__in": chunk}
            )
            if reference.on_delete == "protect" and rows.exists():
                raise ValidationError(
                    "Records this import created now have "
                    f"{reference.label or reference.resolved_model()._meta.verbose_name_plural} connected to "
                    "them; nothing was rolled back."
                )
            rows.delete()
        Attachment.objects.filter(content_type=content_type, object_id__in=chunk).delete()
        Note.objects.filter(content_type=content_type, object_id__in=chunk).delete()
        FolderItem.objects.filter(folder__section=section.name, object_id__in=chunk).delete()
        tags.forget_records(section=section, ids=chunk)
        try:
            model._default_manager.filter(pk__in=chunk).delete()
        except (ProtectedError, RestrictedError) as error:
            names = sorted(
                {str(o._meta.verbose_name_plural) for o in error.protected_objects}
                if isinstance(error, ProtectedError)
                else {"other records"}
            )
            raise ValidationError(
                f"Records this import created are now used by {', '.join(names)}; nothing was rolled back."
            )


def timed(function, *args, **kwargs):
    start = time.perf_counter()
    value = function(*args, **kwargs)
    return value, time.perf_counter() - start

"""python manage.py import_records SECTION FILE [--map COLUMN=field ...] [--key field ... | --no-key]
[--default field=value ...] [--value COLUMN:from=to ...] [--create-lookups] [--dry-run] [--user USERNAME]: the
section import from the shell, with a progress bar; it keys, counts and defaults as the import pages do."""

from __future__ import annotations

import sys
import time

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.core.management.base import BaseCommand, CommandError

from crm.imports import reader, services
from crm.imports.engine import Importer
from crm.imports.fields import CREATE, EMPTY
from crm.imports.models import ImportJob
from crm.sections import registry


class Command(BaseCommand):
    help = "Import an .xlsx, .csv or vCard (.vcf) file into a section."

    def add_arguments(self, parser):
        parser.add_argument("section")
        parser.add_argument("file")
        parser.add_argument(
            "--map",
            action="append",
            default=[],
            metavar="COLUMN=field",
            help="Map a column (its header or its 1-based number) to a field (custom__<code> for a custom field); "
            "repeat.",
        )
        parser.add_argument(
            "--key",
            action="append",
            default=[],
            metavar="field",
            help="A field that identifies existing records (match: update; else create); repeat.",
        )
        parser.add_argument(
            "--no-key", action="store_true", help="Import without key fields: every row creates a record."
        )
        parser.add_argument(
            "--default",
            action="append",
            default=[],
            metavar="field=value",
            help="The value of a field for rows without one, named as a cell would (currency=EUR); repeat.",
        )
        parser.add_argument(
            "--value",
            action="append",
            default=[],
            metavar="COLUMN:from=to",
            help="What a value of a lookup or choice column means (Stage:Won=Closed won; to empty: leave it empty; "
            f"to {CREATE}: create it); repeat.",
        )
        parser.add_argument("--create-lookups", action="store_true", help="Create missing lookup values.")
        parser.add_argument(
            "--name-from-email",
            action="store_true",
            help="Name a row with an email but no name from the email (anna.schmidt@… becomes Anna Schmidt).",
        )
        parser.add_argument(
            "--date-order",
            choices=["dmy", "mdy", "ymd"],
            default="",
            help="How a date like 03/04/2026 is read (default: the installation's locale).",
        )
        parser.add_argument("--dry-run", action="store_true", help="Show what would happen; change nothing.")
        parser.add_argument("--sheet", default="", help="The workbook's sheet to import (default: the first).")
        parser.add_argument("--user", default="", help="Import as this user (default: the first superuser).")

    def handle(self, *args, **options):
        try:
            registry.get(options["section"])
        except KeyError:
            names = ", ".join(s.name for s in registry.all_sections())
            raise CommandError(f"No section “{options['section']}”. Sections: {names}.")
        user = self._user(options["user"])
        try:
            with open(options["file"], "rb") as handle:
                job = services.create_job(
                    user=user,
                    section_name=options["section"],
                    upload=File(handle),
                    name=options["file"],
                    sheet=options["sheet"],
                )
        except FileNotFoundError:
            raise CommandError(f"No file {options['file']}.")
        except reader.UnreadableFile as error:
            raise CommandError(str(error))
        except PermissionDenied as error:
            raise CommandError(str(error))
        try:
            self._configure(job, user, options)
            if options["dry_run"]:
                self._dry_run(job, user)
        except BaseException:
            self._forget(job)  # a draft no one will start: neither the job nor the file stays
            raise
        if options["dry_run"]:
            self._forget(job)
            return
        job.total_rows = reader.count_rows(job.file.path, services.source_of(job), job.sheet)
        job.status = ImportJob.Status.RUNNING
        job.save()
        started = time.monotonic()

        def progress(current: ImportJob) -> None:
            self._bar(current, time.monotonic() - started)

        job = Importer(job, progress=progress).run()
        self._bar(job, time.monotonic() - started)
        self.stdout.write("")
        self.stdout.write(
            f"{job.get_status_display()}: {job.created_count} created, {job.updated_count} updated, "
            f"{job.unchanged_count} unchanged, {job.refused_count} refused (import #{job.pk})."
        )
        for row in job.refused_rows.all()[:50]:
            self.stdout.write(f"  row {row.row_number}: {row.reason}")
        if job.warning_count:
            self.stdout.write(f"{job.warning_count} rows imported with warnings:")
            for warning in job.row_warnings.all()[:50]:
                self.stdout.write(f"  row {warning.row_number}: {warning.message}")
        if job.status == ImportJob.Status.FAILED:
            raise CommandError(job.error)

    def _configure(self, job: ImportJob, user, options) -> None:
        mapping = dict(job.mapping)
        for item in options["map"]:
            column, equals, field = item.partition("=")
            if not equals:
                raise CommandError(f"--map takes COLUMN=field (or COLUMN= to leave it out), not “{item}”.")
            index = self._column(job, column)
            mapping = {k: v for k, v in mapping.items() if v != field or not field}
            mapping.pop(str(index), None)
            if field:
                mapping[str(index)] = field
        if options["no_key"]:
            keys = []
        elif options["key"]:
            keys = options["key"]
        else:  # the key the import page suggests
            keys = [k for k in job.keys if k in mapping.values()] or services.suggest_keys(
                registry.get(job.section), mapping
            )
        try:
            defaults = {}
            for item in options["default"]:
                name, equals, text = item.partition("=")
                if not equals or not name:
                    raise CommandError(f"--default takes field=value, not “{item}”.")
                defaults[name.strip()] = services.posted_value(user=user, job=job, name=name.strip(), text=text)
            value_map = {str(k): dict(v) for k, v in job.value_map.items()}
            for item in options["value"]:
                column, colon, rest = item.partition(":")
                source, equals, target = rest.partition("=")
                if not colon or not equals or not source:
                    raise CommandError(f"--value takes COLUMN:from=to, not “{item}”.")
                index = str(self._column(job, column))
                if index not in mapping:
                    raise CommandError(f"--value: the column “{column}” is not mapped to a field.")
                if target.strip() in ("", EMPTY, CREATE):
                    meaning = target.strip() or EMPTY
                else:
                    meaning = services.posted_value(user=user, job=job, name=mapping[index], text=target)
                value_map.setdefault(index, {})[source] = meaning
            mode = ImportJob.LookupMode.CREATE if options["create_lookups"] else ImportJob.LookupMode.REFUSE
            services.configure(
                user=user,
                job=job,
                sheet=job.sheet,
                mapping=mapping,
                keys=keys,
                lookup_mode=mode,
                defaults=defaults,
                value_map=value_map,
                name_from_email=options["name_from_email"],
                date_order=options["date_order"],
            )
            importer = Importer(job)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages))
        self.stdout.write(
            "Columns: "
            + ", ".join(
                f"{job.headers[int(i)]} → {f}" for i, f in sorted(job.mapping.items(), key=lambda item: int(item[0]))
            )
        )
        self.stdout.write(f"Key: {', '.join(job.keys) if job.keys else 'none (every row creates a record)'}")
        if importer.defaults:
            self.stdout.write(
                "Defaults: " + ", ".join(f"{name} = {value}" for name, value in importer.defaults.items())
            )

    def _dry_run(self, job: ImportJob, user) -> None:
        result = services.dry_run(user=user, job=job, limit=10**9)
        self.stdout.write(
            f"Dry run: {result.created} would be created, {result.updated} updated, {result.unchanged} unchanged, "
            f"{len(result.refused)} refused."
        )
        for number, _cells, reason in result.refused[:50]:
            self.stdout.write(f"  row {number}: {reason}")
        if result.warnings:
            self.stdout.write(f"{len(result.warnings)} rows would be imported with warnings:")
            for number, _cells, message in result.warnings[:50]:
                self.stdout.write(f"  row {number}: {message}")

    def _forget(self, job: ImportJob) -> None:
        if job.pk and ImportJob.objects.filter(pk=job.pk, status=ImportJob.Status.DRAFT).exists():
            job.file.delete(save=False)
            job.delete()

    def _bar(self, job: ImportJob, elapsed: float) -> None:
        width = 30
        done = int(width * job.percent / 100)
        speed = job.rows_done / elapsed if elapsed else 0
        stream = self.stdout if not sys.stdout.isatty() else sys.stdout
        stream.write(
            f"\r[{'#' * done}{'.' * (width - done)}] {job.rows_done}/{job.total_rows} rows, {speed:,.0f} rows/s",
            ending="" if stream is self.stdout else None,
        )
        if stream is sys.stdout:
            sys.stdout.flush()

    def _column(self, job: ImportJob, column: str) -> int:
        if column.isdigit() and 1 <= int(column) <= len(job.headers):
            return int(column) - 1
        for index, header in enumerate(job.headers):
            if header.strip().casefold() == column.strip().casefold():
                return index
        raise CommandError(f"No column “{column}”. Columns: {', '.join(job.headers)}.")

    def _user(self, username: str):
        users = get_user_model().objects.filter(is_active=True)
        user = users.filter(username=username).first() if username else users.filter(is_superuser=True).first()
        if user is None:
            raise CommandError("No such active user (give --user USERNAME).")
        return user

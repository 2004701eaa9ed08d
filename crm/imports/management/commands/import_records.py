"""python manage.py import_records SECTION FILE [--map COLUMN=field ...] [--key field ...] [--create-lookups]
[--dry-run] [--user USERNAME]: the section import from the shell, with a progress bar."""

from __future__ import annotations

import sys
import time

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.core.management.base import BaseCommand, CommandError

from crm.imports import reader, services
from crm.imports.engine import Importer
from crm.imports.models import ImportJob
from crm.sections import registry


class Command(BaseCommand):
    help = "Import an .xlsx or .csv file into a section."

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
        parser.add_argument("--create-lookups", action="store_true", help="Create missing lookup values.")
        parser.add_argument(
            "--name-from-email",
            action="store_true",
            help="Name a row with an email but no name from the email (anna.schmidt@… becomes Anna Schmidt).",
        )
        parser.add_argument("--dry-run", action="store_true", help="Show what would happen; change nothing.")
        parser.add_argument("--sheet", default="")
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
                    user=user, section_name=options["section"], upload=File(handle), name=options["file"]
                )
        except FileNotFoundError:
            raise CommandError(f"No file {options['file']}.")
        except reader.UnreadableFile as error:
            raise CommandError(str(error))
        except PermissionDenied as error:
            raise CommandError(str(error))
        mapping = dict(job.mapping)
        for item in options["map"]:
            column, _, field = item.partition("=")
            if not field:
                raise CommandError(f"--map takes COLUMN=field, not “{item}”.")
            index = self._column(job, column)
            mapping = {k: v for k, v in mapping.items() if v != field}
            mapping[str(index)] = field
        mode = ImportJob.LookupMode.CREATE if options["create_lookups"] else ImportJob.LookupMode.REFUSE
        try:
            services.configure(
                user=user,
                job=job,
                sheet=options["sheet"],
                mapping=mapping,
                keys=options["key"],
                lookup_mode=mode,
                name_from_email=options["name_from_email"],
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages))
        self.stdout.write(
            "Columns: "
            + ", ".join(
                f"{job.headers[int(i)]} → {f}" for i, f in sorted(job.mapping.items(), key=lambda item: int(item[0]))
            )
        )
        if options["dry_run"]:
            result = services.dry_run(user=user, job=job, limit=10**9)
            self.stdout.write(
                f"Dry run: {result.created} would be created, {result.updated} updated, {len(result.refused)} refused."
            )
            for number, _cells, reason in result.refused[:50]:
                self.stdout.write(f"  row {number}: {reason}")
            job.file.delete(save=False)
            job.delete()
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
        if job.status == ImportJob.Status.FAILED:
            raise CommandError(job.error)

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

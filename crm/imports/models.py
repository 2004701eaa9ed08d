"""Import jobs: the uploaded file, its mapping, the progress of the run, the rows refused with their reason, and
what each committed batch created or changed (so that a run resumes after a killed worker and can be rolled
back)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from .values import default_date_order


class ImportJob(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Not started"
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        COMPLETED = "completed", "Completed"
        FAILED = "failed", "Failed"
        CANCELLED = "cancelled", "Cancelled"
        ROLLED_BACK = "rolled_back", "Rolled back"

    class LookupMode(models.TextChoices):
        CREATE = "create", "Create missing values"
        REFUSE = "refuse", "Refuse the row"

    class DateOrder(models.TextChoices):
        DAY_FIRST = "dmy", "3 April (day first)"
        MONTH_FIRST = "mdy", "March 4 (month first)"
        YEAR_FIRST = "ymd", "26 April 2003 for 03/04/26 (year first)"

    ACTIVE = (Status.QUEUED, Status.RUNNING)

    section = models.CharField(max_length=64)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    file = models.FileField(upload_to="imports/%Y/%m/")
    original_name = models.CharField(max_length=255)
    kind = models.CharField(max_length=4)  # xlsx / csv / vcf
    sheet = models.CharField(max_length=255, blank=True)
    encoding = models.CharField(max_length=20, blank=True)
    delimiter = models.CharField(max_length=2, blank=True)
    headers = models.JSONField(default=list)
    #: column index (as a string) -> field name
    mapping = models.JSONField(default=dict)
    keys = models.JSONField(default=list, help_text="Fields that identify an existing record.")
    #: field name -> the value rows without one get, as the field's form posts it (a pk, a choice value, text)
    defaults = models.JSONField(default=dict, blank=True)
    #: column index (as a string) -> {value as the file writes it: our value (a pk or a choice value), or
    #: "__create__" / "__empty__"}: what a lookup or choice column's values mean, before they are looked up
    value_map = models.JSONField(default=dict, blank=True)
    lookup_mode = models.CharField(max_length=8, choices=LookupMode.choices, default=LookupMode.REFUSE)
    #: a row with an email and no name becomes a record named from the email (sections with `import_complete`)
    name_from_email = models.BooleanField("name contacts from their email", default=False)
    #: how a date that reads both ways (03/04/2026) is read; one that reads one way only is read that way
    date_order = models.CharField(max_length=3, choices=DateOrder.choices, default=default_date_order)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT)
    total_rows = models.PositiveIntegerField(default=0)
    #: data rows (blank ones included) handled by committed batches; which rows they were: ImportBatch
    rows_done = models.PositiveIntegerField(default=0)
    created_count = models.PositiveIntegerField(default=0)
    updated_count = models.PositiveIntegerField(default=0)
    #: rows whose key matched a record that already held their values: nothing written, no version bumped
    unchanged_count = models.PositiveIntegerField(default=0)
    refused_count = models.PositiveIntegerField(default=0)
    #: rows imported without a value the file gave for a field that is not required (`RowWarning`)
    warning_count = models.PositiveIntegerField(default=0)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    cancel_requested = models.BooleanField(default=False)
    #: the run holding the job: a batch commits only under the lease it started with
    lease = models.CharField(max_length=16, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ("-created_at", "-pk")
        indexes = [models.Index(fields=["section", "-created_at"], name="import_job_section_idx")]

    def __str__(self) -> str:
        return f"{self.original_name} → {self.section}"

    def get_absolute_url(self) -> str:
        return reverse("imports:job", args=[self.pk])

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE

    @property
    def percent(self) -> int:
        return int(self.rows_done * 100 / self.total_rows) if self.total_rows else 0

    @property
    def rows_per_second(self) -> float:
        if not self.started_at or not self.rows_done:
            return 0.0
        elapsed = ((self.finished_at or timezone.now()) - self.started_at).total_seconds()
        return self.rows_done / elapsed if elapsed > 0 else 0.0

    @property
    def seconds_left(self) -> int | None:
        speed = self.rows_per_second
        if not speed or not self.is_active:
            return None
        return int((self.total_rows - self.rows_done) / speed)


class RefusedRow(models.Model):
    job = models.ForeignKey(ImportJob, on_delete=models.CASCADE, related_name="refused_rows")
    row_number = models.PositiveIntegerField(help_text="As in the file: the header is row 1.")
    values = models.JSONField(default=list)
    reason = models.TextField()

    class Meta:
        ordering = ("row_number",)
        indexes = [models.Index(fields=["job", "row_number"], name="import_refused_job_idx")]

    def __str__(self) -> str:
        return f"Row {self.row_number}: {self.reason}"


class RowWarning(models.Model):
    """A row imported without some of its values: a cell that was no valid value for a field the record can do
    without (a birthdate "31.02.1980", a type that does not exist), left empty."""

    job = models.ForeignKey(ImportJob, on_delete=models.CASCADE, related_name="row_warnings")
    row_number = models.PositiveIntegerField(help_text="As in the file: the header is row 1.")
    values = models.JSONField(default=list)
    message = models.TextField()

    class Meta:
        ordering = ("row_number",)
        indexes = [models.Index(fields=["job", "row_number"], name="import_warning_job_idx")]

    def __str__(self) -> str:
        return f"Row {self.row_number}: {self.message}"


class ImportChange(models.Model):
    """A record an import created, or the old values of the fields it changed: what a rollback undoes."""

    class Action(models.TextChoices):
        CREATED = "created", "Created"
        UPDATED = "updated", "Updated"

    job = models.ForeignKey(ImportJob, on_delete=models.CASCADE, related_name="changes")
    object_id = models.PositiveBigIntegerField()
    #: created records come as runs of consecutive ids: `object_id` to `last_object_id` (one row per run)
    last_object_id = models.PositiveBigIntegerField(null=True, blank=True)
    action = models.CharField(max_length=8, choices=Action.choices)
    #: the section of the record when it is not the job's: an account made for the company a contact names
    section = models.CharField(max_length=64, blank=True)
    previous = models.JSONField(default=dict, blank=True)

    class Meta:
        indexes = [models.Index(fields=["job", "action"], name="import_change_job_idx")]

    def __str__(self) -> str:
        if self.last_object_id and self.last_object_id != self.object_id:
            return f"{self.get_action_display()} #{self.object_id}–{self.last_object_id}"
        return f"{self.get_action_display()} #{self.object_id}"

    @property
    def object_ids(self) -> range:
        return range(self.object_id, (self.last_object_id or self.object_id) + 1)


class ImportBatch(models.Model):
    """The rows of the file (data-row positions, header excluded, `first_row` to `last_row` inclusive) a committed
    batch handled. Written in the batch's own transaction, so a resumed run skips exactly what was committed,
    whatever order parallel batches committed in."""

    job = models.ForeignKey(ImportJob, on_delete=models.CASCADE, related_name="batches")
    first_row = models.PositiveIntegerField()
    last_row = models.PositiveIntegerField()

    class Meta:
        ordering = ("first_row",)
        indexes = [models.Index(fields=["job", "first_row"], name="import_batch_job_idx")]

    def __str__(self) -> str:
        return f"Rows {self.first_row}–{self.last_row}"


class ImportCreatedValue(models.Model):
    """A lookup value (an industry, a product type) an import created for the rows it wrote: its rollback
    removes it again unless something else uses it by then."""

    job = models.ForeignKey(ImportJob, on_delete=models.CASCADE, related_name="created_values")
    content_type = models.ForeignKey("contenttypes.ContentType", on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()

    class Meta:
        ordering = ("pk",)

    def __str__(self) -> str:
        return f"{self.content_type} #{self.object_id}"

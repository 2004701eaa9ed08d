"""Duplicate rules and their attributes, the normalised-keys index, search jobs and their groups, the pairs
users said are not duplicates, and the ids merged away."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from .normalisation import Kind

#: a threshold of 100 asks for the same normalised value
EXACT = 100


class DuplicateRule(models.Model):
    """A record is a duplicate of another if it matches any active rule of its section; a rule matches when
    every one of its attributes does (exactly after normalisation, or with at least the attribute's similarity)."""

    section = models.CharField(max_length=64, db_index=True)
    name = models.CharField(max_length=150)
    is_active = models.BooleanField("active", default=True)
    use_on_save = models.BooleanField("use on save", default=True, help_text="Check new and edited records.")
    is_preset = models.BooleanField("preset", default=False, editable=False)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ("section", "position", "pk")
        constraints = [models.UniqueConstraint(fields=["section", "name"], name="duplicate_rule_unique_name")]

    def __str__(self) -> str:
        return self.name

    @property
    def is_fuzzy(self) -> bool:
        return any(a.threshold < EXACT for a in self.attributes.all())


class RuleAttribute(models.Model):
    """One attribute of a rule: a field, or a group of fields and communication options such as `any_phone`
    (see crm.duplicates.attributes), compared as `kind` with a similarity threshold (100: exact)."""

    rule = models.ForeignKey(DuplicateRule, on_delete=models.CASCADE, related_name="attributes")
    attribute = models.CharField(max_length=64)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.TEXT)
    threshold = models.PositiveSmallIntegerField(
        "similarity threshold",
        default=EXACT,
        validators=[MinValueValidator(50), MaxValueValidator(EXACT)],
        help_text="100: the same value after normalisation; lower: at least this similarity (0-100).",
    )

    class Meta:
        ordering = ("rule", "pk")
        constraints = [
            models.UniqueConstraint(fields=["rule", "attribute", "kind"], name="duplicate_rule_attribute_unique"),
            models.CheckConstraint(
                condition=Q(threshold__gte=50, threshold__lte=EXACT), name="duplicate_rule_attribute_threshold"
            ),
        ]

    def __str__(self) -> str:
        how = "exact" if self.threshold >= EXACT else f"≥ {self.threshold}%"
        return f"{self.attribute} ({self.get_kind_display()}, {how})"


class DuplicateKey(models.Model):
    """A normalised value (or a fuzzy blocking key) of one record: the on-save check finds candidates with one
    indexed lookup of the new record's keys. Rebuilt by the bulk search, kept up to date on save."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.BigIntegerField()
    #: "attribute/kind=value" for a normalised value, "attribute/kind~block" for a blocking key
    key = models.CharField(max_length=255)

    class Meta:
        indexes = [
            models.Index(fields=["content_type", "key"], name="duplicate_key_lookup_idx"),
            models.Index(fields=["content_type", "object_id"], name="duplicate_key_record_idx"),
        ]

    def __str__(self) -> str:
        return self.key


class DuplicateSearch(models.Model):
    """One run of the bulk search over a section: its progress, polled by the review page, and its groups."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    section = models.CharField(max_length=64, db_index=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    group_count = models.PositiveIntegerField("groups", default=0)
    error = models.TextField(blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-created_at", "-pk")
        verbose_name_plural = "duplicate searches"

    def __str__(self) -> str:
        return f"{self.section} {self.created_at:%Y-%m-%d %H:%M} ({self.get_status_display()})"

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        return int(100 * self.done / self.total) if self.total else 0

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)


class DuplicateGroup(models.Model):
    """Records the search found similar: their ids, the best score between them and the rule that matched."""

    search = models.ForeignKey(DuplicateSearch, on_delete=models.CASCADE, related_name="groups")
    rule = models.ForeignKey(DuplicateRule, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    rule_name = models.CharField(max_length=150, blank=True)
    score = models.FloatField()
    record_ids = models.JSONField(default=list)
    is_resolved = models.BooleanField("resolved", default=False)

    class Meta:
        ordering = ("-score", "pk")

    def __str__(self) -> str:
        return f"{len(self.record_ids)} records ({self.score:.0f}%)"


class NotDuplicatePair(models.Model):
    """Two records a user said are not duplicates: later searches leave the pair apart."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    first_id = models.BigIntegerField()
    second_id = models.BigIntegerField()
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["content_type", "first_id", "second_id"], name="not_duplicate_pair"),
            models.CheckConstraint(condition=Q(first_id__lt=models.F("second_id")), name="not_duplicate_ordered"),
        ]

    def __str__(self) -> str:
        return f"{self.content_type} #{self.first_id} ≠ #{self.second_id}"


class MergedRecord(models.Model):
    """A record merged into another: its old id leads to the survivor."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    old_id = models.BigIntegerField()
    survivor_id = models.BigIntegerField()
    merged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    merged_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["content_type", "old_id"], name="merged_record_unique")]
        indexes = [models.Index(fields=["content_type", "survivor_id"], name="merged_record_survivor_idx")]

    def __str__(self) -> str:
        return f"{self.content_type} #{self.old_id} → #{self.survivor_id}"


def content_type_of(model) -> ContentType:
    return ContentType.objects.get_for_model(model, for_concrete_model=True)

"""The section wizard's models: a section an administrator made at runtime, and the version of the set of them
that every process compares with its own on each request (see crm.designer.custom_sections)."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone

from crm.core.models import Record

SECTION_CODE_PATTERN = r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$"

ICONS = (
    ("bi-folder", "Folder"),
    ("bi-bar-chart", "Chart"),
    ("bi-briefcase", "Briefcase"),
    ("bi-building", "Building"),
    ("bi-calendar-event", "Calendar"),
    ("bi-clipboard-check", "Clipboard"),
    ("bi-flag", "Flag"),
    ("bi-gear", "Gear"),
    ("bi-globe", "Globe"),
    ("bi-lightning", "Lightning"),
    ("bi-people", "People"),
    ("bi-shield-check", "Shield"),
    ("bi-star", "Star"),
    ("bi-tags", "Tags"),
    ("bi-truck", "Truck"),
    ("bi-trophy", "Trophy"),
)


class CustomSection(models.Model):
    """A section made by the section wizard. Its records live in a table of its own (`designer_usr_<code>`),
    created when the section is; its fields are field definitions under its code. The code names the table,
    the URL, the rights and the field definitions, so it never changes; everything else may."""

    code = models.CharField(
        max_length=40,
        unique=True,
        validators=[
            RegexValidator(
                SECTION_CODE_PATTERN, "Lower-case letters, digits and single underscores, starting with a letter."
            )
        ],
        help_text="Names the section in its address (/<code>/), in rights and in imports; it never changes.",
    )
    title = models.CharField(max_length=100, help_text="The section's name in the navigation, e.g. “Competitors”.")
    title_singular = models.CharField(max_length=100, help_text="One record, e.g. “competitor”.")
    icon = models.CharField(max_length=40, choices=ICONS, default="bi-folder")
    position = models.PositiveSmallIntegerField(default=500, help_text="Order in the navigation (lower first).")
    name_label = models.CharField(
        max_length=60, default="Name", help_text="The label of the field that names a record."
    )
    number_mask = models.CharField(
        max_length=64,
        blank=True,
        help_text="Number new records by this mask, e.g. CA-{number:05d}; empty: no number.",
    )
    approvals = models.BooleanField(
        default=False, help_text="Records of the section may be sent for approval (cannot be switched off again)."
    )
    is_active = models.BooleanField(
        default=True, help_text="A retired section keeps its records, rights and fields, but is shown nowhere."
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ("position", "title")

    def __str__(self) -> str:
        return self.title

    @property
    def table_name(self) -> str:
        return f"designer_usr_{self.code}"


class SectionRegistryState(models.Model):
    """One row: the version of the custom sections, changed by every change to one (see custom_sections)."""

    version = models.CharField(max_length=32, default="none")

    def __str__(self) -> str:
        return self.version


class CustomRecord(Record):
    """What every record of a custom section has besides the base record's fields: its name and, where the
    section numbers its records, its number. The values of its fields are in `custom` (see storage)."""

    name = models.CharField("name", max_length=255)
    number = models.CharField("number", max_length=64, blank=True, editable=False)

    class Meta:
        abstract = True
        ordering = ("name",)

    def __str__(self) -> str:
        return self.name or f"#{self.pk}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse(f"{self._meta.model_name.removeprefix('usr_')}:detail", args=[self.pk])

"""Print forms: the HTML templates a section's records are printed with."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone


class PrintFormQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)

    def for_section(self, section_name: str):
        return self.filter(section=section_name)


class PrintForm(models.Model):
    section = models.CharField(max_length=50, help_text="The name of the section, e.g. “invoices”.")
    name = models.CharField(max_length=150)
    template = models.TextField(
        help_text="HTML with Django template tags. Context: record, lines, totals, company, today. "
        "{% load %}, {% include %} and {% extends %} are not available."
    )
    is_default = models.BooleanField("default", default=False)
    is_active = models.BooleanField("active", default=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    modified_at = models.DateTimeField(default=timezone.now)

    objects = PrintFormQuerySet.as_manager()

    class Meta:
        ordering = ("section", "-is_default", "name", "pk")
        constraints = [
            models.UniqueConstraint(
                fields=["section"], condition=Q(is_default=True), name="print_form_one_default_per_section"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.section})"

    def clean(self) -> None:
        from .sandbox import TemplateSyntaxError, compile_template

        try:
            compile_template(self.template)
        except TemplateSyntaxError as error:
            raise ValidationError({"template": f"The template has an error: {error}"})

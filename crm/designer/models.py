"""Field definitions: the custom fields an administrator adds to a section. Values live in each record's
`custom` JSON under the definition's code; a retired (inactive) field keeps its values but is shown nowhere."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models

from .fields import OPTION_LENGTH

CODE_PATTERN = r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$"
MAX_OPTIONS = 200


class FieldDefinition(models.Model):
    class Kind(models.TextChoices):
        TEXT = "text", "Text"
        LONG_TEXT = "long_text", "Long text"
        INTEGER = "integer", "Integer"
        DECIMAL = "decimal", "Decimal (2 places, e.g. money)"
        DATE = "date", "Date"
        DATETIME = "datetime", "Date and time"
        BOOLEAN = "boolean", "Yes / No"
        CHOICE = "choice", "Choice from a list"
        EMAIL = "email", "Email"
        URL = "url", "Web address"
        LOOKUP = "lookup", "Lookup (a record of a section, or a lookup value)"

    section = models.CharField(max_length=64, db_index=True)
    code = models.CharField(
        max_length=50,
        validators=[
            RegexValidator(CODE_PATTERN, "Lower-case letters, digits and single underscores, starting with a letter.")
        ],
        help_text="The name kept with the data and used in imports; it cannot change once values exist.",
    )
    label = models.CharField(max_length=100)
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.TEXT)
    options = models.JSONField(
        default=list, blank=True, help_text="For a choice: the values to choose from, one per entry."
    )
    required = models.BooleanField(default=False)
    #: for a lookup: the section whose records it points to ("accounts"), or a lookup table ("lookup:app.Model")
    target = models.CharField(max_length=100, blank=True)
    unique = models.BooleanField(default=False, help_text="No two records of the section may hold the same value.")
    default = models.JSONField(null=True, blank=True, help_text="The value a new record starts with.")
    help_text = models.CharField(max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(default=True, help_text="An inactive field keeps its values but is shown nowhere.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("section", "position", "id")
        constraints = [models.UniqueConstraint(fields=["section", "code"], name="designer_field_code_unique")]

    def __str__(self) -> str:
        return f"{self.section}: {self.label}"

    def clean(self) -> None:
        from crm.sections import registry

        errors = {}
        try:
            section = registry.get(self.section)
        except KeyError:
            errors["section"] = "No such section."
        else:
            if self.code and self.code in {f.name for f in section.opts.get_fields()} | {"custom"}:
                errors["code"] = f"“{self.code}” is already a field of {section.title}."
        if self.kind == self.Kind.CHOICE:
            options = self.options if isinstance(self.options, list) else []
            cleaned = [str(o).strip() for o in options if str(o).strip()]
            if not cleaned:
                errors["options"] = "A choice needs at least one value to choose from."
            elif len(cleaned) > MAX_OPTIONS:
                errors["options"] = f"A choice offers at most {MAX_OPTIONS} values; a longer list is a lookup."
            elif any(len(o) > OPTION_LENGTH for o in cleaned):
                errors["options"] = f"Each value may be at most {OPTION_LENGTH} characters long."
            elif len({o.casefold() for o in cleaned}) != len(cleaned):
                errors["options"] = "Each value may appear once."
            else:
                self.options = cleaned
        elif self.options:
            self.options = []
        if self.kind == self.Kind.LOOKUP:
            from .custom_sections import lookup_target_error

            problem = lookup_target_error(self)
            if problem:
                errors["target"] = problem
        elif self.target:
            self.target = ""
        if self.default not in (None, "") and "kind" not in errors:
            from .fields import CustomField

            options = tuple(self.options or ())
            probe = CustomField(self.section, self.code or "probe", self.label, self.kind, options, target=self.target)
            try:
                self.default = probe.to_json(probe.clean(self.default))
            except ValidationError as error:
                errors["default"] = error.messages
        if errors:
            raise ValidationError(errors)


from .section_models import CustomSection, SectionRegistryState  # noqa: E402, F401 - models of the section wizard

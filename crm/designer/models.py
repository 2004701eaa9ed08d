"""Field definitions: the custom fields an administrator adds to a section. Values live in each record's
`custom` JSON under the definition's code; a retired (inactive) field keeps its values but is shown nowhere."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models

from .fields import OPTION_LENGTH

CODE_PATTERN = r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$"
MAX_OPTIONS = 200
CODE_VALIDATOR = RegexValidator(
    CODE_PATTERN, "Lower-case letters, digits and single underscores, starting with a letter."
)


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
        validators=[CODE_VALIDATOR],
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


# --- the page designer, the detail wizard, business rules and lookup tables made at runtime ---------------------
# (crm.designer.layouts, details_wizard, rules and lookups read and check them; the services change them)


class PageLayout(models.Model):
    """How a section's record page and form are arranged: field groups in order, the tab each stands on, the
    fields hidden. No row: the section's declared layout."""

    section = models.CharField(max_length=64, unique=True)
    #: [{"title": "Amounts", "tab": "" (the main column) or a tab's title, "fields": ["amount", "custom__x"]}]
    groups = models.JSONField(default=list, blank=True)
    hidden = models.JSONField(default=list, blank=True)
    modified_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Layout of {self.section}"


class DetailDefinition(models.Model):
    """A detail the detail wizard added to a section's record page: the records of another section pointing at
    the record, by a foreign key or a custom lookup field (`custom__<code>`, the JSON key holding the id)."""

    section = models.CharField(max_length=64, db_index=True, help_text="The section whose page shows the detail.")
    code = models.CharField(
        max_length=50,
        validators=[CODE_VALIDATOR],
    )
    title = models.CharField(max_length=100)
    source = models.CharField(max_length=64, help_text="The section whose records are listed.")
    relation = models.CharField(max_length=100, help_text="The field of those records that points at this one.")
    columns = models.JSONField(default=list)
    sort = models.CharField(max_length=100, blank=True)
    editable = models.BooleanField("editable in place", default=False)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ("section", "position", "id")
        constraints = [models.UniqueConstraint(fields=["section", "code"], name="designer_detail_code_unique")]

    def __str__(self) -> str:
        return f"{self.section}: {self.title}"


class BusinessRule(models.Model):
    """IF conditions on a record's fields THEN an action on one field; checked live in the form and enforced by
    the server on every write (crm.designer.rules)."""

    class Action(models.TextChoices):
        HIDE = "hide", "Hide the field"
        SHOW = "show", "Show the field (hidden otherwise)"
        READ_ONLY = "read_only", "Make the field read-only"
        EDITABLE = "editable", "Make the field editable (read-only otherwise)"
        REQUIRED = "required", "Make the field required"
        OPTIONAL = "optional", "Make the field optional (required otherwise)"
        FILTER = "filter", "Limit the values the field offers"
        SET_VALUE = "set_value", "Set the field's value"

    class Match(models.TextChoices):
        ALL = "all", "All conditions (AND)"
        ANY = "any", "Any condition (OR)"

    section = models.CharField(max_length=64, db_index=True)
    name = models.CharField(max_length=100)
    match = models.CharField(max_length=3, choices=Match.choices, default=Match.ALL)
    #: [{"field": "stage", "operator": "equals", "value": "3"}]; no condition: always
    conditions = models.JSONField(default=list, blank=True)
    action = models.CharField(max_length=10, choices=Action.choices)
    target = models.CharField(max_length=100, help_text="The field the rule acts on.")
    #: filter: the values allowed; set value: the formula (text)
    values = models.JSONField(default=list, blank=True)
    formula = models.CharField(max_length=500, blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField("active", default=True)

    class Meta:
        ordering = ("section", "position", "id")
        constraints = [models.UniqueConstraint(fields=["section", "name"], name="designer_rule_name_unique")]

    def __str__(self) -> str:
        return f"{self.section}: {self.name}"


class LookupTable(models.Model):
    """A lookup table made at runtime (for custom fields), its values in LookupValue."""

    code = models.CharField(
        max_length=50,
        unique=True,
        validators=[CODE_VALIDATOR],
    )
    title = models.CharField(max_length=100)

    class Meta:
        ordering = ("title",)

    def __str__(self) -> str:
        return self.title


class LookupValue(models.Model):
    table = models.ForeignKey(LookupTable, on_delete=models.CASCADE, related_name="values")
    name = models.CharField(max_length=150)
    description = models.CharField(max_length=500, blank=True)
    position = models.PositiveIntegerField(default=0)
    is_active = models.BooleanField("active", default=True)

    class Meta:
        ordering = ("table", "position", "name")
        constraints = [models.UniqueConstraint(fields=["table", "name"], name="designer_lookup_value_unique")]

    def __str__(self) -> str:
        return self.name


from .section_models import CustomSection, SectionRegistryState  # noqa: E402, F401 - models of the section wizard

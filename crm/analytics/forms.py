"""The tile editor's forms, one per kind, and the dashboard and goal forms. A tile form is also the validator of
its settings: whatever posts them (the editor, a crafted request) goes through it, and its choices are built from
the registry and the poster's column rights, so an unknown or hidden field is refused with a message."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.http import QueryDict

from crm import access
from crm.access.models import Role
from crm.sections import registry
from crm.sections.filters import DATE_PRESETS, filterset_for
from crm.sections.selectors import visible_folders

from . import fields as tile_fields
from .models import Dashboard, Goal

CHART_TYPES = [
    ("bar", "Bar"),
    ("column", "Column"),
    ("line", "Line"),
    ("area", "Area"),
    ("pie", "Pie"),
    ("doughnut", "Doughnut"),
    ("funnel", "Funnel"),
    ("scatter", "Scatter"),
]
PERIODS = [p for p in DATE_PRESETS if p[0] in ("this_week", "this_month", "this_quarter", "this_year", "today")]
FUNCTION_CHOICES = [(name, label.replace(" of", "")) for name, label in tile_fields.FUNCTIONS.items()]
FUNCTION_CHOICES[0] = ("count", "Number of records")
BAND_COLOURS = ("danger", "warning", "success", "info", "primary", "secondary")


def _style(form: forms.Form) -> None:
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxInput):
            widget.attrs.setdefault("class", "form-check-input")
        elif isinstance(widget, forms.CheckboxSelectMultiple):
            continue
        elif isinstance(widget, forms.Select):
            widget.attrs.setdefault("class", "form-select form-select-sm")
        else:
            widget.attrs.setdefault("class", "form-control form-control-sm")


class TileForm(forms.Form):
    """Title and the records a tile reads: a section, the list's filters (its query string) and a folder."""

    #: the setting names the form stores (the rest of cleaned_data is the tile's title)
    stored: tuple[str, ...] = ("section", "filters", "folder")
    #: a fixed section (a kind registered by a section for its own records); "" lets the user choose
    fixed_section = ""

    title = forms.CharField(max_length=150)
    section = forms.ChoiceField(label="Section")
    filters = forms.CharField(
        required=False,
        max_length=1000,
        label="Filters",
        help_text="The list's filters: the part of its address after “?” (e.g. stage=3&owner=me).",
    )
    folder = forms.TypedChoiceField(required=False, coerce=int, empty_value=None, label="Folder")

    def __init__(self, data=None, *, user, initial=None, **kwargs):
        super().__init__(data, initial=initial, **kwargs)
        self.user = user
        sections = [s for s in registry.all_sections() if access.can(user, "read", s)]
        if self.fixed_section:
            sections = [s for s in sections if s.name == self.fixed_section]
        self.fields["section"].choices = [(s.name, s.title) for s in sections]
        chosen = (data or {}).get("section") or (initial or {}).get("section") or ""
        self.section = next((s for s in sections if s.name == chosen), sections[0] if sections else None)
        if self.section is not None:
            folders = visible_folders(self.section, user).order_by("name")
            self.fields["folder"].choices = [("", "All records"), *((f.pk, f.name) for f in folders)]
            self.section_changed()
        for field in self.fields.values():
            field.widget.attrs.setdefault("data-setting", "1")
        self.fields["section"].widget.attrs.update({"data-section-select": "1"})
        _style(self)

    def section_changed(self) -> None:
        """Fill the choices that depend on the section (fields, columns)."""

    def clean_section(self):
        name = self.cleaned_data["section"]
        if self.section is None or name != self.section.name:
            raise forms.ValidationError("Choose a section you may read.")
        return name

    def clean_filters(self):
        text = self.cleaned_data.get("filters", "").strip().lstrip("?")
        if not text or self.section is None:
            return text
        params = QueryDict(text)
        known = set(filterset_for(self.section, self.user).base_filters) | {"q"}
        unknown = [key for key in params if key not in known and key not in ("sort", "page", "per_page", "folder")]
        if unknown:
            raise forms.ValidationError(f"Unknown or hidden filter: {', '.join(sorted(unknown))}.")
        return text

    def settings(self) -> dict:
        """The validated settings as stored (JSON)."""
        values = {name: self.cleaned_data.get(name) for name in self.stored}
        return {k: (str(v) if isinstance(v, Decimal) else v) for k, v in values.items() if v not in (None, "", [])}


class MeasureMixin(forms.Form):
    function = forms.ChoiceField(choices=FUNCTION_CHOICES, initial="count", label="Function")
    field = forms.ChoiceField(required=False, label="Of the field")

    def measure_choices(self) -> list[tuple[str, str]]:
        return [("", "—"), *((f.name, f.label) for f in tile_fields.measures(self.section, self.user))]

    def clean_measure(self, function_name: str, field_name: str) -> None:
        function, name = self.cleaned_data.get(function_name), self.cleaned_data.get(field_name)
        if function and function != "count" and not name:
            self.add_error(field_name, "Choose the field to add up.")
        if function == "count":
            self.cleaned_data[field_name] = ""


def _unknown_or_hidden(name: str) -> str:
    return f"“{name}” is no field of this section you may read."


class StrictChoiceField(forms.ChoiceField):
    """A choice whose refusal names the value: an unknown or hidden field is refused with a message."""

    default_error_messages = {"invalid_choice": "“%(value)s” is no field of this section you may read."}


class ChartForm(MeasureMixin, TileForm):
    stored = (
        *TileForm.stored,
        "function",
        "field",
        "group_by",
        "step",
        "chart_type",
        "stacked",
        "legend",
        "as_table",
        "top",
        "function_2",
        "field_2",
        "function_3",
        "field_3",
    )
    group_by = StrictChoiceField(label="Group by")
    step = forms.ChoiceField(choices=list(tile_fields.DATE_STEPS.items()), initial="month", label="Date by")
    chart_type = forms.ChoiceField(choices=CHART_TYPES, initial="column", label="Chart type")
    stacked = forms.BooleanField(required=False, label="Stacked")
    legend = forms.BooleanField(required=False, initial=True, label="Legend")
    as_table = forms.BooleanField(required=False, label="Show as a table")
    top = forms.IntegerField(min_value=1, max_value=50, initial=10, label="Top values shown")
    function_2 = forms.ChoiceField(required=False, choices=[("", "—"), *FUNCTION_CHOICES], label="Second series")
    field_2 = StrictChoiceField(required=False, label="Of the field")
    function_3 = forms.ChoiceField(required=False, choices=[("", "—"), *FUNCTION_CHOICES], label="Third series")
    field_3 = StrictChoiceField(required=False, label="Of the field")

    field_order = ["title", "section", "filters", "folder", "chart_type", "group_by", "step", "function", "field"]

    def section_changed(self) -> None:
        measures = self.measure_choices()
        for name in ("field", "field_2", "field_3"):
            self.fields[name] = StrictChoiceField(required=False, label="Of the field", choices=measures)
        groups = tile_fields.groupings(self.section, self.user)
        self.fields["group_by"].choices = [(f.name, f.label) for f in groups]

    def clean(self):
        cleaned = super().clean()
        self.clean_measure("function", "field")
        for n in ("2", "3"):
            if cleaned.get(f"function_{n}"):
                self.clean_measure(f"function_{n}", f"field_{n}")
        return cleaned


class PeriodMixin(forms.Form):
    date_field = StrictChoiceField(required=False, label="Date")
    period = forms.ChoiceField(required=False, choices=[("", "Any time"), *PERIODS], label="Period")

    def date_choices(self):
        return [("", "—"), *((f.name, f.label) for f in tile_fields.dates(self.section, self.user))]

    def clean_period_fields(self):
        if self.cleaned_data.get("period") and not self.cleaned_data.get("date_field"):
            self.add_error("date_field", "Choose the date the period is about.")


class MetricForm(MeasureMixin, PeriodMixin, TileForm):
    stored = (*TileForm.stored, "function", "field", "date_field", "period")
    field_order = ["title", "section", "function", "field", "date_field", "period"]

    def section_changed(self) -> None:
        self.fields["field"] = StrictChoiceField(required=False, label="Of the field", choices=self.measure_choices())
        self.fields["date_field"].choices = self.date_choices()

    def clean(self):
        cleaned = super().clean()
        self.clean_measure("function", "field")
        self.clean_period_fields()
        return cleaned


class GaugeForm(MetricForm):
    stored = (*MetricForm.stored, "minimum", "maximum", "bands")
    minimum = forms.DecimalField(max_digits=18, decimal_places=2, initial=0)
    maximum = forms.DecimalField(max_digits=18, decimal_places=2, initial=100)
    bands = forms.CharField(
        max_length=200,
        initial="50:danger,80:warning,100:success",
        label="Coloured ranges",
        help_text="Up to each value, a colour: danger, warning, success, info.",
    )

    def clean_bands(self):
        result = []
        for part in self.cleaned_data["bands"].split(","):
            value, _, colour = part.strip().partition(":")
            try:
                number = Decimal(value)
            except ArithmeticError:
                raise forms.ValidationError(f"“{part.strip()}” is no value:colour pair.") from None
            if colour not in BAND_COLOURS:
                raise forms.ValidationError(f"Unknown colour “{colour}”.")
            result.append(f"{number}:{colour}")
        return ",".join(result)

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("minimum") is not None
            and cleaned.get("maximum") is not None
            and cleaned["maximum"] <= cleaned["minimum"]
        ):
            self.add_error("maximum", "The maximum must be above the minimum.")
        return cleaned


class ListForm(TileForm):
    stored = (*TileForm.stored, "columns", "sort", "descending", "limit")
    columns = forms.MultipleChoiceField(widget=forms.CheckboxSelectMultiple, label="Columns")
    sort = StrictChoiceField(label="Sort by")
    descending = forms.BooleanField(required=False, initial=True, label="Largest first")
    limit = forms.IntegerField(min_value=1, max_value=50, initial=10, label="Records shown")

    def section_changed(self) -> None:
        columns = [c for c in self.section.choosable_columns(self.user)]
        self.fields["columns"].choices = [(c.path, c.label) for c in columns]
        self.fields["columns"].error_messages["invalid_choice"] = (
            "“%(value)s” is no column of this section you may read."
        )
        self.fields["sort"].choices = [(c.path, c.label) for c in columns if c.sort_key]


class GoalTileForm(forms.Form):
    stored = ("scope",)
    title = forms.CharField(max_length=150)
    scope = forms.ChoiceField(
        choices=[("mine", "My goals and my divisions' goals"), ("all", "Every goal of the current period")],
        label="Goals shown",
    )

    def __init__(self, data=None, *, user, initial=None, **kwargs):
        super().__init__(data, initial=initial, **kwargs)
        self.user = user
        self.section = None
        _style(self)

    def settings(self) -> dict:
        return {"scope": self.cleaned_data["scope"]}


class PeriodTileForm(TileForm):
    """The form of a kind a section registers for its own records over a period (a pipeline, a funnel)."""

    stored = (*TileForm.stored, "period")
    period = forms.ChoiceField(choices=[p for p in DATE_PRESETS if p[0].startswith("this_")], initial="this_year")


class DashboardForm(forms.ModelForm):
    class Meta:
        model = Dashboard
        fields = ("name", "sharing", "roles", "place", "home_roles")
        labels = {"place": "Shown on", "home_roles": "Home page of"}
        widgets = {"roles": forms.CheckboxSelectMultiple, "home_roles": forms.CheckboxSelectMultiple}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        places = [("", "The Dashboards page")]
        for section in registry.all_sections():
            if access.can(user, "read", section):
                places.append((f"section:{section.name}", f"{section.title}: the list's Dashboards view"))
                places.append((f"record:{section.name}", f"{section.title}: each record's page"))
        self.fields["place"] = forms.ChoiceField(choices=places, required=False, label="Shown on")
        roles = Role.objects.order_by("name")
        self.fields["roles"].queryset = roles
        self.fields["home_roles"].queryset = roles
        self.fields["roles"].required = False
        self.fields["home_roles"].required = False
        _style(self)

    def clean(self):
        cleaned = super().clean()
        shared = cleaned.get("sharing") != Dashboard.Sharing.PRIVATE or cleaned.get("home_roles")
        if shared and not access.can(self.user, "analytics_setup"):
            raise forms.ValidationError("Sharing a dashboard needs the “analytics setup” right.")
        if cleaned.get("sharing") == Dashboard.Sharing.ROLES and not cleaned.get("roles"):
            self.add_error("roles", "Choose the roles it is shared with.")
        return cleaned


class GoalForm(forms.ModelForm):
    class Meta:
        model = Goal
        fields = (
            "name",
            "section",
            "function",
            "field",
            "filters",
            "date_field",
            "owner",
            "division",
            "period_start",
            "period_end",
            "target",
        )
        widgets = {
            "period_start": forms.DateInput(attrs={"type": "date"}),
            "period_end": forms.DateInput(attrs={"type": "date"}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        sections = [s for s in registry.all_sections() if access.can(user, "read", s)]
        self.fields["section"] = forms.ChoiceField(choices=[(s.name, s.title) for s in sections])
        chosen = (self.data or {}).get("section") or self.initial.get("section") or self.instance.section
        section = next((s for s in sections if s.name == chosen), sections[0] if sections else None)
        self.section = section
        self.fields["function"] = forms.ChoiceField(choices=FUNCTION_CHOICES)
        measures = [("", "—"), *((f.name, f.label) for f in tile_fields.measures(section, user))] if section else []
        self.fields["field"] = StrictChoiceField(choices=measures, required=False, label="Of the field")
        dates = [(f.name, f.label) for f in tile_fields.dates(section, user)] if section else []
        self.fields["date_field"] = StrictChoiceField(choices=dates, label="Counted on the date")
        self.fields["division"].queryset = Role.objects.filter(kind__in=Role.UNIT_KINDS).order_by("name")
        self.fields["section"].widget.attrs.update({"data-section-select": "1"})
        _style(self)

    def clean(self):
        cleaned = super().clean()
        if bool(cleaned.get("owner")) == bool(cleaned.get("division")):
            raise forms.ValidationError("A goal is for one owner or for one division.")
        if cleaned.get("function") != "count" and not cleaned.get("field"):
            self.add_error("field", "Choose the field to add up.")
        start, end = cleaned.get("period_start"), cleaned.get("period_end")
        if start and end and end <= start:
            self.add_error("period_end", "The period ends after it starts.")
        target = cleaned.get("target")
        if target is not None and target <= 0:
            self.add_error("target", "The target is above zero.")
        return cleaned

"""The import pages' forms: the upload, and the mapping (a field per column, the keys, how lookups resolve, what
the values of lookup and choice columns mean)."""

from __future__ import annotations

from django import forms

from crm.sections import registry

from .fields import FieldSpec, default_fields, normalise_name
from .models import ImportJob
from .reader import as_text
from .selectors import ValueStep


class UploadForm(forms.Form):
    file = forms.FileField(
        help_text=".xlsx or .csv, the first row holding the column names; or a vCard file (.vcf), a card a row."
    )


class MappingForm(forms.Form):
    """One select per column of the file; keys among the mapped fields."""

    sheet = forms.ChoiceField(required=False)
    lookup_mode = forms.ChoiceField(
        choices=ImportJob.LookupMode.choices,
        widget=forms.RadioSelect,
        initial=ImportJob.LookupMode.REFUSE,
        label="Lookup values not found",
    )
    date_order = forms.ChoiceField(
        choices=ImportJob.DateOrder.choices,
        widget=forms.RadioSelect,
        required=False,
        label="Dates like 03/04/2026 mean",
        help_text="A date that reads one way only (13/04/2026, 2026-04-03, 3 Apr 2026) is read that way whatever "
        "this says.",
    )
    name_from_email = forms.BooleanField(
        required=False,
        label="Name contacts from their email",
        help_text="A row with an email but no name gets a name read from the email: "
        "anna.schmidt@example.com becomes Anna Schmidt.",
    )

    def __init__(
        self,
        *args,
        job: ImportJob,
        specs: list[FieldSpec],
        sheets: tuple[str, ...] = (),
        value_step: ValueStep | None = None,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.job = job
        self.specs = specs
        self.fields["date_order"].initial = job.date_order
        choices = [("", "— do not import —")] + [(s.name, f"{s.label}{' *' if s.required else ''}") for s in specs]
        self.fields["sheet"].choices = [(name, name) for name in sheets]
        self.fields["sheet"].initial = job.sheet
        if not sheets:
            del self.fields["sheet"]
        self.fields["lookup_mode"].initial = job.lookup_mode
        self.fields["name_from_email"].initial = job.name_from_email
        if registry.get(job.section).import_complete is None:  # the section names no records from emails
            del self.fields["name_from_email"]
        self.column_fields = []
        for index, header in enumerate(job.headers):
            name = f"column_{index}"
            self.fields[name] = forms.ChoiceField(
                choices=choices,
                required=False,
                label=as_text(header) or f"Column {index + 1}",
                initial=job.mapping.get(str(index), ""),
            )
            self.fields[name].widget.attrs.update({"class": "form-select form-select-sm", "data-column": index})
            self.column_fields.append(name)
        self.fields["keys"] = forms.MultipleChoiceField(
            # custom fields and extras (a price in a price list) are never keys
            choices=[(s.name, s.label) for s in specs if s.custom is None and not s.extra],
            required=False,
            initial=job.keys,
            widget=forms.CheckboxSelectMultiple,
            label="Key fields",
            help_text="A row whose key fields match an existing record updates it; otherwise it creates one.",
        )

        self.default_names = []
        for spec in default_fields(specs):
            if spec.kind not in ("lookup", "choice", "user") and not spec.required:
                continue  # optional defaults are offered for values picked from a list
            if spec.kind == "record":
                continue  # a record (an account) is named in a column, not picked from every one there is
            name = f"default__{spec.name}"
            self.fields[name] = (
                forms.ChoiceField(
                    choices=[("", "—")] + default_choices(spec, job.created_by),
                    required=False,
                    label=f"{spec.label}{' *' if spec.required else ''}",
                    initial=job.defaults.get(spec.name, ""),
                )
                if spec.kind in ("lookup", "choice", "user")
                else forms.CharField(required=False, label=f"{spec.label} *", initial=job.defaults.get(spec.name, ""))
            )
            self.fields[name].widget.attrs.update({"class": "form-select form-select-sm"})
            self.default_names.append(name)

        # the value step: a select per distinct value of each lookup or choice column
        self.value_step = value_step or ValueStep([], 0, False)
        self.value_names: dict[str, list[tuple[str, str]]] = {}  # column index -> [(field name, file value)]
        for column in self.value_step.columns:
            names = self.value_names.setdefault(column.index, [])
            for position, value in enumerate(column.values):
                name = f"value__{column.index}__{position}"
                self.fields[name] = forms.ChoiceField(
                    choices=column.options, required=False, label=value.text, initial=value.meaning
                )
                self.fields[name].widget.attrs.update({"class": "form-select form-select-sm"})
                names.append((name, value.text))

    def default_inputs(self) -> list:
        return [self[name] for name in self.default_names]

    def defaults(self) -> dict[str, str]:
        """Field -> the default value chosen (as posted)."""
        return {
            name.removeprefix("default__"): self.cleaned_data[name]
            for name in self.default_names
            if self.cleaned_data.get(name)
        }

    def value_columns(self) -> list[dict]:
        """The value step as the page lists it: per column, its file values with their select, and how many
        are left without a meaning (as chosen on the page)."""
        listed = []
        for column in self.value_step.columns:
            names = [name for name, _ in self.value_names[column.index]]
            rows = [(self[name], value) for name, value in zip(names, column.values, strict=True)]
            unmatched = sum(1 for field, _ in rows if not field.value())
            fate = column.unmatched_fate(unmatched, create=self.value_step.create, keys=self.job.keys)
            listed.append({"column": column, "rows": rows, "unmatched": unmatched, "fate": fate})
        return listed

    def value_map(self) -> dict[str, dict[str, str]]:
        """Column index -> {file value: its meaning} as chosen, for the columns the step lists. What the job's
        map says of values not listed (past the first ones) is kept."""
        result = {}
        for column in self.value_step.columns:
            listed = {normalise_name(text) for _, text in self.value_names[column.index]}
            meanings = {
                text: meaning
                for text, meaning in self.job.value_map.get(column.index, {}).items()
                if normalise_name(text) not in listed and column.spec.name == self.job.mapping.get(column.index)
            }
            for name, text in self.value_names[column.index]:
                if self.cleaned_data.get(name):
                    meanings[text] = self.cleaned_data[name]
            result[column.index] = meanings
        return result

    def columns(self) -> list:
        return [self[name] for name in self.column_fields]

    def mapping(self) -> dict[str, str]:
        return {
            name.removeprefix("column_"): self.cleaned_data[name]
            for name in self.column_fields
            if self.cleaned_data.get(name)
        }

    def clean(self):
        data = super().clean()
        chosen = [data.get(name) for name in self.column_fields if data.get(name)]
        repeated = sorted({name for name in chosen if chosen.count(name) > 1})
        if repeated:
            raise forms.ValidationError(f"Each field takes one column; chosen twice: {', '.join(repeated)}.")
        return data


def default_choices(spec: FieldSpec, user, limit: int = 500) -> list[tuple[str, str]]:
    """What a default of `spec` may be: the active lookup values or users, or the field's choices."""
    from django.contrib.auth import get_user_model

    if spec.kind == "choice":
        return [(str(value), str(label)) for value, label in spec.field.flatchoices]
    if spec.kind == "user":
        users = get_user_model().objects.filter(is_active=True).order_by("username")[:limit]
        return [(str(u.pk), u.get_full_name() or u.get_username()) for u in users]
    values = spec.related_model._default_manager.filter(is_active=True)[:limit]
    return [(str(value.pk), str(value)) for value in values]

"""The import pages' forms: the upload, and the mapping (a field per column, the keys, how lookups resolve)."""

from __future__ import annotations

from django import forms

from crm.sections import registry

from .fields import FieldSpec
from .models import ImportJob
from .reader import as_text


class UploadForm(forms.Form):
    file = forms.FileField(help_text=".xlsx or .csv; the first row holds the column names.")


class MappingForm(forms.Form):
    """One select per column of the file; keys among the mapped fields."""

    sheet = forms.ChoiceField(required=False)
    lookup_mode = forms.ChoiceField(
        choices=ImportJob.LookupMode.choices,
        widget=forms.RadioSelect,
        initial=ImportJob.LookupMode.REFUSE,
        label="Lookup values not found",
    )
    name_from_email = forms.BooleanField(
        required=False,
        label="Name contacts from their email",
        help_text="A row with an email but no name gets a name read from the email: "
        "anna.schmidt@example.com becomes Anna Schmidt.",
    )

    def __init__(self, *args, job: ImportJob, specs: list[FieldSpec], sheets: tuple[str, ...] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.job = job
        self.specs = specs
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

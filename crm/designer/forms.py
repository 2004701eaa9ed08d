"""The form that defines a custom field, used by the system designer's pages and by the admin."""

from __future__ import annotations

from django import forms

from crm.sections import registry

from .models import FieldDefinition


class FieldDefinitionForm(forms.ModelForm):
    section = forms.ChoiceField(choices=registry.choices)
    options = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="For a choice: one value per line.",
    )

    class Meta:
        model = FieldDefinition
        fields = (
            "section",
            "code",
            "label",
            "kind",
            "options",
            "target",
            "required",
            "unique",
            "default",
            "help_text",
            "position",
            "is_active",
        )

    target = forms.ChoiceField(
        required=False, label="Points to", help_text="For a lookup: the section or lookup table it points to."
    )
    default = forms.CharField(
        required=False, label="Default value", help_text="What a new record starts with (for a lookup: an id)."
    )

    def __init__(self, *args, **kwargs):
        from .custom_sections import target_choices

        super().__init__(*args, **kwargs)
        self.fields["target"].choices = [("", "—"), *target_choices()]
        self.initial["default"] = "" if self.instance.default is None else str(self.instance.default)
        self.fields["kind"].label = "Type"
        self.fields["is_active"].label = "Active"
        self.fields["code"].help_text = "Kept with the values and used in imports as custom__<code>; it never changes."
        self.fields["position"].required = False
        self.fields["position"].help_text = "Order on the record form and page."
        # one value per line, for a new field too (whose model default, an empty list, would show as "[]")
        self.initial["options"] = "\n".join(self.instance.options or [])
        if self.instance.pk:
            self.fields["code"].disabled = True  # values are kept under the code
            if "section" in self.fields:
                self.fields["section"].disabled = True

    def clean_kind(self) -> str:
        from .services import values_exist

        kind = self.cleaned_data["kind"]
        if self.instance.pk and kind != self.instance.kind and values_exist(self.instance):
            raise forms.ValidationError("Records already hold values of this field: its type cannot change.")
        return kind

    def clean_position(self):
        position = self.cleaned_data["position"]
        if position is None:
            return self.instance.position if self.instance.pk else None
        return position

    def clean_default(self):
        return self.cleaned_data["default"].strip() or None

    def clean_options(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["options"].splitlines() if line.strip()]

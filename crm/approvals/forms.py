"""Forms of the approval routes screen: a route (its section chosen from those that use approvals) and its steps,
each approved by a named user or by any member of a role."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model

from crm.access.models import Role
from crm.sections import registry as sections

from . import registry, selectors
from .models import ApprovalRoute, ApprovalRouteStep


def section_choices() -> list[tuple[str, str]]:
    choices = []
    for section in sections.all_sections():
        if registry.is_registered(section.name):
            choices.append((section.name, str(section.title)))
    return choices


class RouteForm(forms.ModelForm):
    section = forms.ChoiceField(choices=())

    class Meta:
        model = ApprovalRoute
        fields = ("name", "section", "min_amount", "is_active")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["section"].choices = [("", "---------"), *section_choices()]
        base = selectors.base_currency_code()
        if base:
            self.fields["min_amount"].help_text = f"In the base currency ({base}). Leave empty for every record."


class StepForm(forms.ModelForm):
    class Meta:
        model = ApprovalRouteStep
        fields = ("approver_user", "approver_role")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["approver_user"].queryset = get_user_model().objects.filter(is_active=True).order_by("username")
        self.fields["approver_role"].queryset = Role.objects.order_by("name")
        for field in self.fields.values():
            field.widget.attrs.setdefault("class", "form-select form-select-sm")

    def clean(self):
        data = super().clean()
        if self.cleaned_data.get("DELETE"):
            return data
        if bool(data.get("approver_user")) == bool(data.get("approver_role")):
            raise forms.ValidationError("Choose a user or a role, not both.")
        return data


class BaseStepFormSet(forms.BaseInlineFormSet):
    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].widget.attrs["class"] = "form-check-input"

    def clean(self):
        super().clean()
        kept = [f for f in self.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]
        if not kept:
            raise forms.ValidationError("A route needs at least one step.")


StepFormSet = forms.inlineformset_factory(
    ApprovalRoute, ApprovalRouteStep, form=StepForm, formset=BaseStepFormSet, extra=2, can_delete=True
)

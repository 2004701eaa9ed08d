"""Forms of the account details that are more than their fields: the organisation structure (a unit is part of a
unit of the same account) and relationships (the other party is an account or a contact)."""

from __future__ import annotations

from django import forms
from django.urls import reverse

from crm import access
from crm.sections.details import DetailForm
from crm.sections.widgets import LookupSelect

from .models import Account, OrganisationUnit, RelationshipType


class OrganisationUnitForm(DetailForm):
    class Meta:
        model = OrganisationUnit
        fields = ["name", "parent", "manager", "notes"]

    def setup(self, record) -> None:
        units = OrganisationUnit.objects.filter(account=record)
        if self.instance.pk:
            units = units.exclude(pk=self.instance.pk)
        self.fields["parent"].queryset = units


class RelationshipForm(forms.Form):
    """Who the record is related to, and in which role. Shown from the record's side whichever side it was
    created from; saving rewrites it from this side."""

    account = forms.ModelChoiceField(queryset=Account.objects.none(), required=False)
    contact = forms.ModelChoiceField(queryset=None, required=False)
    type = forms.ModelChoiceField(queryset=RelationshipType.objects.active(), label="Role")
    notes = forms.CharField(max_length=250, required=False)

    def __init__(self, data=None, *, instance=None, user=None, record=None, prefix=None):
        from contacts.models import Contact

        initial = {}
        if instance is not None and record is not None:
            other, role = instance.seen_from(record)
            initial = {"account" if isinstance(other, Account) else "contact": other.pk, "type": role.pk}
            initial["notes"] = instance.notes
        super().__init__(data, initial=initial, prefix=prefix)
        self.record = record
        for name, model, section in (("account", Account, "accounts"), ("contact", Contact, "contacts")):
            field = self.fields[name]
            field.queryset = access.visible(user, model._default_manager.all())
            field.widget = LookupSelect(lookup_url=reverse(f"{section}:lookup"), attrs={"class": "form-select"})
            field.widget.choices = field.choices
        self.fields["type"].widget.attrs["class"] = "form-select form-select-sm"
        self.fields["notes"].widget.attrs["class"] = "form-control form-control-sm"
        self.fields["account"].help_text = "An account or a contact."

    def clean(self):
        data = super().clean()
        if bool(data.get("account")) == bool(data.get("contact")):
            raise forms.ValidationError("Choose either an account or a contact.")
        return data

    def row_data(self) -> dict:
        return dict(self.cleaned_data)

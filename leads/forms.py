"""The leads' own forms: quick entry, the web-to-lead post, qualification, distribution, the handoff results,
disqualification and the analytics period."""

from __future__ import annotations

import datetime

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone

from crm.access import api as access
from crm.access.models import Role
from crm.sections import registry
from crm.sections.forms import SectionForm

from . import services
from .models import DisqualificationReason, Lead


def _divisions():
    return Role.objects.filter(kind__in=Role.UNIT_KINDS).order_by("name")


def _users():
    return get_user_model().objects.filter(is_active=True).order_by("first_name", "last_name", "username")


def _bootstrap(form: forms.BaseForm) -> None:
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxInput):
            css = "form-check-input"
        elif isinstance(widget, forms.Select):
            css = "form-select"
        else:
            css = "form-control"
        widget.attrs.setdefault("class", css)


class QuickLeadForm(SectionForm):
    """The mini page: the customer need is all that is required."""

    class Meta:
        model = Lead
        fields = ("need", "need_type", "contact_name", "account_name", "email", "mobile_phone")


class CaptureForm(forms.Form):
    """What a landing page's form may post. Anything else posted is kept in the registration info only."""

    need = forms.CharField(max_length=250, required=False)
    contact_name = forms.CharField(max_length=250, required=False)
    account_name = forms.CharField(max_length=250, required=False)
    job_title = forms.CharField(max_length=150, required=False)
    email = forms.EmailField(max_length=254, required=False)
    mobile_phone = forms.CharField(max_length=40, required=False)
    business_phone = forms.CharField(max_length=40, required=False)
    country = forms.CharField(max_length=120, required=False)
    city = forms.CharField(max_length=120, required=False)
    description = forms.CharField(max_length=5000, required=False)
    referrer = forms.CharField(max_length=2000, required=False)
    landing = forms.CharField(max_length=2000, required=False)

    def clean(self):
        data = super().clean()
        if not (data.get("email") or data.get("mobile_phone") or data.get("business_phone")):
            raise forms.ValidationError("Give an email address or a phone number to be contacted on.")
        if not (data.get("contact_name") or data.get("account_name")):
            raise forms.ValidationError("Give your name or your company's name.")
        return data

    def lead_data(self, web_form) -> dict:
        names = ("contact_name", "account_name", "job_title", "email", "mobile_phone", "business_phone")
        data = {name: self.cleaned_data[name] for name in (*names, "country", "city", "description")}
        data["need"] = self.cleaned_data["need"] or f"Request from “{web_form.name}”"
        return {name: value for name, value in data.items() if value}


class OutcomeForm(forms.Form):
    """The form of a process task's outcome, built as `form_class(data, user=, record=)`."""

    # the action panel tests `outcome.form_class` in a template, which would call a class
    do_not_call_in_templates = True


class QualifyForm(OutcomeForm):
    """Link the lead to a similar contact and account, or leave them empty to create new ones."""

    contact = forms.ModelChoiceField(queryset=None, required=False, empty_label="Create a new contact")
    account = forms.ModelChoiceField(queryset=None, required=False, empty_label="Create a new account")

    def __init__(self, *args, user=None, record: Lead | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contact"].queryset = services.contact_choices(user, record)
        self.fields["account"].queryset = services.account_choices(user, record)
        # the contact and account the lead is linked to already are the ones it keeps unless another is chosen
        self.fields["contact"].initial = record.contact_id
        self.fields["account"].initial = record.account_id
        self.fields["contact"].label_from_instance = lambda c: " · ".join(
            filter(None, [c.full_name, c.email, c.mobile_phone, str(c.account or "")])
        )
        self.fields["account"].label_from_instance = lambda a: " · ".join(filter(None, [a.name, a.city, a.country]))
        if not record.contact_name:
            self.fields["contact"].empty_label = "No contact"
        if not record.account_name:
            self.fields["account"].empty_label = "No account"
        _bootstrap(self)


class DistributeForm(OutcomeForm):
    owner = forms.ModelChoiceField(
        queryset=None, required=False, help_text="Empty: the next member of the sales division, in turn."
    )
    division = forms.ModelChoiceField(queryset=None, required=False, label="Sales division")

    def __init__(self, *args, user=None, record: Lead | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = _users()
        self.fields["owner"].label_from_instance = lambda u: u.get_full_name() or u.get_username()
        self.fields["division"].queryset = _divisions()
        if record is not None and record.division_id:
            self.fields["division"].initial = record.division_id
        _bootstrap(self)


class HandoffForm(OutcomeForm):
    """ "Proceed to handoff": what sales needs to know."""

    budget = forms.DecimalField(
        label="Budget, base currency", max_digits=18, decimal_places=2, min_value=0, required=False
    )
    division = forms.ModelChoiceField(queryset=None, required=False, label="Sales division")
    meeting_at = forms.DateTimeField(
        label="Meeting date and time",
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    decision_date = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, user=None, record: Lead | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["division"].queryset = _divisions()
        if record is not None:
            self.initial.update(
                budget=record.budget,
                division=record.division_id,
                meeting_at=record.meeting_at,
                decision_date=record.decision_date,
            )
        if user is not None:
            # the lead's columns this user may not write (a hidden budget above all) are neither shown nor asked
            writable = access.fields_for(user, registry.get("leads"), "write", obj=record).writable
            for name in ("budget", "division", "meeting_at", "decision_date"):
                if name not in writable:
                    del self.fields[name]
                    self.initial.pop(name, None)
        _bootstrap(self)


class RescheduleForm(OutcomeForm):
    due = forms.DateTimeField(
        label="Contact the customer again by",
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )

    def __init__(self, *args, user=None, record: Lead | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("due", timezone.now() + datetime.timedelta(days=3))
        _bootstrap(self)


class DisqualifyForm(forms.Form):
    reason = forms.ModelChoiceField(queryset=DisqualificationReason.objects.active(), label="Reason")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _bootstrap(self)


class PeriodForm(forms.Form):
    """The analytics' period: created from (inclusive) to (inclusive); the last twelve months by default."""

    start = forms.DateField(required=False, label="From", widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(required=False, label="To", widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _bootstrap(self)

    def period(self) -> tuple[datetime.datetime | None, datetime.datetime | None]:
        today = timezone.localdate()
        start = self.cleaned_data.get("start") if self.is_valid() else None
        end = self.cleaned_data.get("end") if self.is_valid() else None
        if not self.data:
            start = today - datetime.timedelta(days=365)
        as_time = lambda day: timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))  # noqa: E731
        return (
            as_time(start) if start else None,
            as_time(end + datetime.timedelta(days=1)) if end else None,
        )

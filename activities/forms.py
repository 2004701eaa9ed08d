"""The activity form used by the generic create/edit pages, the calendar's quick-create form and the
participants form. Rules live in the model (constraints, transitions) and the services; the form narrows the
choices to what is allowed and says why something is refused."""

from __future__ import annotations

from crispy_forms.layout import Div, Layout
from django import forms
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from contacts.models import Contact
from crm import access
from crm.sections.forms import SectionForm
from crm.sections.widgets import LookupSelect

from . import selectors
from .models import Activity


class ResultSelect(forms.Select):
    """The result choice; each option says which category it belongs to, so the page offers only the results of
    the chosen category (static/js/activities-form.js)."""

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        instance = getattr(value, "instance", None)
        if instance is not None and instance.category_id:
            option["attrs"]["data-category"] = str(instance.category_id)
        return option


class ActivityForm(SectionForm):
    """The section's form: statuses along the declared transitions, results only once final, the connected
    record shown by name and checked against what the user may see."""

    class Media:
        js = [forms.Script("js/activities-form.js", defer=True)]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        fields = self.fields
        if "status" in fields:
            current = self.instance.status if self.instance.pk else None
            if current:
                allowed = {current, *Activity.TRANSITIONS[current]}
                fields["status"].choices = [(v, label) for v, label in Activity.Status.choices if v in allowed]
            fields["status"].widget.attrs["data-final-statuses"] = ",".join(Activity.FINAL_STATUSES)
        if "result" in fields:
            widget = ResultSelect(attrs={"data-result-field": "1"})
            widget.choices = fields["result"].choices
            fields["result"].widget = widget
            fields["result"].help_text = "Once the activity is completed or canceled."
        if "result_details" in fields:
            fields["result_details"].widget.attrs["data-result-field"] = "1"
        if "category" in fields:
            fields["category"].widget.attrs["data-activity-category"] = "1"
        for name in ("connected_type", "connected_id"):
            if name in fields:
                fields[name].widget = forms.HiddenInput()
        record = self._connected_record()
        if record is not None:
            # shown, never submitted: the generic view takes only the model's fields from the form
            fields["connected_display"] = forms.CharField(
                label="Connected to",
                required=False,
                disabled=True,
                initial=f"{record._meta.verbose_name.capitalize()}: {record}",
            )
        self._lay_out()

    def _lay_out(self) -> None:
        """The platform's two-column layout; hidden fields take no cell, the connected record follows the contact."""
        hidden = [name for name, field in self.fields.items() if field.widget.is_hidden]
        names = [name for name in self.fields if name not in hidden and name != "connected_display"]
        if "connected_display" in self.fields:
            after = "contact" if "contact" in names else names[-1]
            names.insert(names.index(after) + 1, "connected_display")
        columns = [
            Div(name, css_class="col-12" if isinstance(self.fields[name].widget, forms.Textarea) else "col-md-6")
            for name in names
        ]
        self.helper.layout = Layout(Div(*hidden, *columns, css_class="row"))

    def _connected_record(self):
        """The connected record as submitted, else as pre-filled (?connected_type=..&connected_id=..), else saved."""
        if "connected_type" not in self.fields or "connected_id" not in self.fields:
            return None
        if self.is_bound:
            type_id, object_id = self.data.get("connected_type"), self.data.get("connected_id")
        else:
            type_id = self.initial.get("connected_type", self.instance.connected_type_id)
            object_id = self.initial.get("connected_id", self.instance.connected_id)
        if not (str(type_id or "").isdigit() and str(object_id or "").isdigit()):
            return None
        content_type = ContentType.objects.filter(pk=int(type_id)).first()
        return selectors.connectable_record(self.user, content_type, int(object_id))

    def clean(self):
        cleaned = super().clean()
        content_type, object_id = cleaned.get("connected_type"), cleaned.get("connected_id")
        if content_type is not None or object_id is not None:
            record = selectors.connectable_record(self.user, content_type, object_id)
            if record is None:
                raise forms.ValidationError("The record to connect the activity to was not found.")
            # a connected lead or opportunity brings its account and contact along
            for name, value in selectors.connection_fields(record).items():
                if name in ("account", "contact") and name in self.fields and not cleaned.get(name):
                    cleaned[name] = value
        return cleaned


class QuickActivityForm(forms.Form):
    """What the calendar asks after a drag over empty time: a title, a type and the times dragged."""

    title = forms.CharField(max_length=500)
    type = forms.ChoiceField(choices=Activity.Type.choices, initial=Activity.Type.MEETING)
    start = forms.DateTimeField(input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"])
    due = forms.DateTimeField(input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"])

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("start") and cleaned.get("due") and cleaned["due"] < cleaned["start"]:
            raise forms.ValidationError("The activity cannot end before it starts.")
        return cleaned


class RecordActivityForm(forms.Form):
    """The action panel of a record page: log a call that took place (now, unless said), or schedule a task or a
    meeting about the record."""

    LOGGED = (Activity.Type.CALL,)

    type = forms.ChoiceField(choices=[(t, label) for t, label in Activity.Type.choices if t != Activity.Type.EMAIL])
    title = forms.CharField(label="Subject", max_length=500, error_messages={"required": "Give the subject."})
    start = forms.DateTimeField(
        label="When",
        required=False,
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    notes = forms.CharField(label="Notes", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, logged: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.logged = logged
        prefix = "call" if logged else "schedule"
        for name, field in self.fields.items():
            css = "form-select form-select-sm" if name == "type" else "form-control form-control-sm"
            field.widget.attrs.update({"class": css, "id": f"{prefix}-{name}"})
        if logged:
            self.fields["type"].choices = [(Activity.Type.CALL, Activity.Type.CALL.label)]
            self.fields["start"].help_text = "Empty: now."
        else:
            self.fields["type"].choices = [
                (Activity.Type.TASK, Activity.Type.TASK.label),
                (Activity.Type.MEETING, Activity.Type.MEETING.label),
            ]
            self.fields["start"].required = True
            self.fields["start"].error_messages["required"] = "Give the date and time."

    def activity_data(self) -> dict:
        """The activity's field values: a logged call is completed, with what was said as its result details."""
        data = {"type": self.cleaned_data["type"], "title": self.cleaned_data["title"]}
        start = self.cleaned_data.get("start")
        if self.logged:
            from django.utils import timezone

            data.update(
                start=start or timezone.now().replace(microsecond=0),
                status=Activity.Status.COMPLETED,
                result_details=self.cleaned_data["notes"],
            )
        else:
            data.update(start=start, notes=self.cleaned_data["notes"])
        return data


class RescheduleForm(forms.Form):
    """A move or resize from the calendar: the new times in the server's time zone, and the version dragged."""

    start = forms.DateTimeField(input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"])
    due = forms.DateTimeField(input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"])
    version = forms.IntegerField(min_value=1)


class ParticipantForm(forms.Form):
    """Add a user or a contact to an activity."""

    user = forms.ModelChoiceField(queryset=get_user_model().objects.none(), required=False, label="User")
    contact = forms.ModelChoiceField(queryset=Contact.objects.none(), required=False, label="Contact")

    def __init__(self, *args, viewer=None, **kwargs):
        super().__init__(*args, **kwargs)
        users = self.fields["user"]
        users.queryset = get_user_model().objects.filter(is_active=True).order_by("first_name", "last_name")
        users.label_from_instance = lambda u: u.get_full_name() or u.get_username()
        users.widget.attrs["class"] = "form-select form-select-sm"
        contacts = self.fields["contact"]
        contacts.queryset = access.visible(viewer, Contact.objects.all())
        contacts.widget = LookupSelect(
            lookup_url=reverse("contacts:lookup"), attrs={"class": "form-select form-select-sm"}
        )
        contacts.widget.choices = contacts.choices

    def clean(self):
        cleaned = super().clean()
        if bool(cleaned.get("user")) == bool(cleaned.get("contact")):
            raise forms.ValidationError("Choose a user or a contact.")
        return cleaned

"""The filter forms of the pipeline pages (kanban and analytics): owner, division, period, need type. They read
GET parameters, so every filtered page has a URL that can be bookmarked; an invalid value is dropped, never a 500."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone

from crm.access.models import Role
from crm.sections.filters import preset_range

from .models import NeedType

PERIOD_PRESETS = [
    ("this_month", "This month"),
    ("last_month", "Last month"),
    ("this_quarter", "This quarter"),
    ("this_year", "This year"),
    ("last_30_days", "Last 30 days"),
    ("custom", "From … to …"),
]
DIVISION_KINDS = ("organisation", "division", "department")


@dataclass(frozen=True)
class Period:
    """A half-open range of dates, [start, end)."""

    start: datetime.date
    end: datetime.date

    @property
    def last_day(self) -> datetime.date:
        return self.end - datetime.timedelta(days=1)

    def datetimes(self) -> tuple[datetime.datetime, datetime.datetime]:
        """The same range as aware date-times at midnight in the current time zone."""
        zone = timezone.get_current_timezone()
        return (
            datetime.datetime.combine(self.start, datetime.time.min, tzinfo=zone),
            datetime.datetime.combine(self.end, datetime.time.min, tzinfo=zone),
        )

    def __str__(self) -> str:
        return f"{self.start:%d %b %Y} – {self.last_day:%d %b %Y}"


def _user_choices() -> list[tuple[str, str]]:
    users = get_user_model().objects.filter(is_active=True).order_by("first_name", "last_name", "username")
    return [(str(u.pk), u.get_full_name() or u.username) for u in users]


def _division_choices() -> list[tuple[str, str]]:
    roles = Role.objects.filter(kind__in=DIVISION_KINDS).order_by("name")
    return [(str(role.pk), role.name) for role in roles]


class FilterForm(forms.Form):
    """A period preset or custom dates; `period_range()` answers the range, or None for any time."""

    default_period = ""

    period = forms.ChoiceField(required=False, label="Period")
    start = forms.DateField(required=False, label="From", widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(required=False, label="To", widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, data=None, *, user, **kwargs):
        data = data.copy() if data is not None else None
        if data is not None and "period" not in data:
            data["period"] = self.default_period
        super().__init__(data, **kwargs)
        self.user = user
        any_time = [] if self.default_period else [("", "Any time")]
        self.fields["period"].choices = any_time + PERIOD_PRESETS
        for field in self.fields.values():
            select = isinstance(field.widget, forms.Select)
            field.widget.attrs.setdefault(
                "class", "form-select form-select-sm" if select else "form-control form-control-sm"
            )

    def value(self, name: str, default=None):
        """The cleaned value of a field, or `default` when it was invalid (invalid filters are dropped)."""
        if not self.is_bound:
            return default
        self.is_valid()
        return self.cleaned_data.get(name, default) if name not in self.errors else default

    def period_range(self) -> Period | None:
        preset = self.value("period", self.default_period) or ""
        if preset == "custom":
            start, end = self.value("start"), self.value("end")
            if start is None and end is None:
                return None
            start, end = start or datetime.date(1900, 1, 1), end or datetime.date(9999, 12, 30)
            first, last = min(start, end), max(start, end)  # dates given the wrong way round are swapped
            return Period(first, last + datetime.timedelta(days=1))
        bounds = preset_range(preset) if preset else None
        return Period(*bounds) if bounds else None

    @staticmethod
    def owner_choices(users: list[tuple[str, str]]) -> list[tuple[str, str]]:
        return [("", "Anyone"), ("me", "Me"), *users]

    def owner_id(self) -> int | None:
        owner = self.value("owner") or ""
        if owner == "me":
            return self.user.pk
        return int(owner) if owner.isdigit() else None


class KanbanFilterForm(FilterForm):
    """The kanban's filters: owner, a period on the closing or the creation date, need type."""

    owner = forms.ChoiceField(required=False, label="Owner")
    date_field = forms.ChoiceField(
        required=False, label="Period of", choices=[("close_date", "Closing date"), ("created_at", "Created on")]
    )
    need_type = forms.ModelChoiceField(queryset=NeedType.objects.all(), required=False, empty_label="Any need")

    field_order = ("owner", "date_field", "period", "start", "end", "need_type")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].choices = self.owner_choices(_user_choices())


class AnalyticsFilterForm(FilterForm):
    """The analytics' filters: a period (this year unless chosen), owner or division, and the two pipelines to
    compare (people or divisions)."""

    default_period = "this_year"

    owner = forms.ChoiceField(required=False, label="Owner")
    division = forms.ChoiceField(required=False, label="Division")
    compare_a = forms.ChoiceField(required=False, label="Compare")
    compare_b = forms.ChoiceField(required=False, label="with")

    field_order = ("period", "start", "end", "owner", "division", "compare_a", "compare_b")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        users, divisions = _user_choices(), _division_choices()
        self.fields["owner"].choices = self.owner_choices(users)
        self.fields["division"].choices = [("", "Any division")] + divisions
        pipelines = [
            ("", "—"),
            ("People", [(f"user-{pk}", name) for pk, name in users]),
            ("Divisions", [(f"role-{pk}", name) for pk, name in divisions]),
        ]
        self.fields["compare_a"].choices = pipelines
        self.fields["compare_b"].choices = pipelines
        self.labels = {f"user-{pk}": name for pk, name in users} | {f"role-{pk}": name for pk, name in divisions}

    def division_id(self) -> int | None:
        division = self.value("division") or ""
        return int(division) if division.isdigit() else None

    def compared(self) -> list[tuple[str, str, int]]:
        """The chosen pipelines to compare: (label, "user" or "role", id)."""
        chosen = []
        for name in ("compare_a", "compare_b"):
            value = self.value(name) or ""
            kind, _, pk = value.partition("-")
            if kind in ("user", "role") and pk.isdigit():
                chosen.append((self.labels.get(value, value), kind, int(pk)))
        return chosen

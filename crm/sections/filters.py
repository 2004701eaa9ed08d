"""Filters for any section, built from its declaration with django-filter: text, lookups, date presets,
owner ("me" or anyone), booleans and numbers. Invalid values are dropped and reported, never a 500."""

from __future__ import annotations

import datetime

import django_filters
from django import forms
from django.contrib.auth import get_user_model
from django.db import models
from django.urls import reverse
from django.utils import timezone

from crm import access

from . import registry
from .registry import Section
from .widgets import LookupSelect

DATE_PRESETS = [
    ("today", "Today"),
    ("yesterday", "Yesterday"),
    ("this_week", "This week"),
    ("last_week", "Last week"),
    ("next_week", "Next week"),
    ("this_month", "This month"),
    ("last_month", "Last month"),
    ("this_quarter", "This quarter"),
    ("this_year", "This year"),
    ("last_7_days", "Last 7 days"),
    ("last_30_days", "Last 30 days"),
]


def preset_range(preset: str, today: datetime.date | None = None) -> tuple[datetime.date, datetime.date] | None:
    """The [start, end) date range of a preset, in the current time zone."""
    today = today or timezone.localdate()
    monday = today - datetime.timedelta(days=today.weekday())
    first = today.replace(day=1)
    next_month = (first + datetime.timedelta(days=32)).replace(day=1)
    quarter_start = today.replace(month=3 * ((today.month - 1) // 3) + 1, day=1)
    ranges = {
        "today": (today, today + datetime.timedelta(days=1)),
        "yesterday": (today - datetime.timedelta(days=1), today),
        "this_week": (monday, monday + datetime.timedelta(days=7)),
        "last_week": (monday - datetime.timedelta(days=7), monday),
        "next_week": (monday + datetime.timedelta(days=7), monday + datetime.timedelta(days=14)),
        "this_month": (first, next_month),
        "last_month": ((first - datetime.timedelta(days=1)).replace(day=1), first),
        "this_quarter": (quarter_start, (quarter_start + datetime.timedelta(days=95)).replace(day=1)),
        "this_year": (today.replace(month=1, day=1), today.replace(year=today.year + 1, month=1, day=1)),
        "last_7_days": (today - datetime.timedelta(days=6), today + datetime.timedelta(days=1)),
        "last_30_days": (today - datetime.timedelta(days=29), today + datetime.timedelta(days=1)),
    }
    return ranges.get(preset)


class DatePresetFilter(django_filters.ChoiceFilter):
    """Today, this week, this month, ... on a date or date-time field."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("choices", DATE_PRESETS)
        kwargs.setdefault("empty_label", "Any time")
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        bounds = preset_range(value) if value else None
        if bounds is None:
            return qs
        start, end = self.bounds(qs, *bounds)
        return qs.filter(**{f"{self.field_name}__gte": start, f"{self.field_name}__lt": end})

    def bounds(self, qs, start: datetime.date, end: datetime.date) -> tuple:
        """The preset's days as the field compares them: dates, or moments at midnight where the user is."""
        model_field = qs.model._meta.get_field(self.field_name.split("__")[0])
        if isinstance(model_field, models.DateTimeField):
            return _midnight(start), _midnight(end)
        return start, end


def _midnight(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=timezone.get_current_timezone())


class OwnerFilter(django_filters.ChoiceFilter):
    """Owner: "me" or any active user."""

    def __init__(self, *args, user=None, **kwargs):
        users = get_user_model().objects.filter(is_active=True).order_by("first_name", "last_name", "username")
        choices = [("me", "Me")] + [(str(u.pk), u.get_full_name() or u.username) for u in users]
        kwargs["choices"] = choices
        kwargs.setdefault("empty_label", "Anyone")
        self._user = user
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        if not value:
            return qs
        if value == "me":
            return qs.filter(**{self.field_name: self._user})
        return qs.filter(**{f"{self.field_name}_id": int(value)})


class SectionFilterSet(django_filters.FilterSet):
    """Base class; `filterset_for` adds one filter per declared filter field."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self.form)


def filterset_for(section: Section, user) -> type[SectionFilterSet]:
    readable = section.readable_fields(user)
    attrs: dict[str, django_filters.Filter] = {}
    for name in section.filter_fields:
        if name not in readable:
            continue
        field = section.opts.get_field(name)
        label = str(field.verbose_name).capitalize()
        if name == "owner":
            attrs[name] = OwnerFilter(field_name=name, label=label, user=user)
        elif isinstance(field, models.DateField | models.DateTimeField):
            attrs[name] = DatePresetFilter(field_name=name, label=label)
        elif isinstance(field, models.BooleanField):
            attrs[name] = django_filters.BooleanFilter(
                field_name=name,
                label=label,
                widget=forms.Select(choices=[("", "Any"), ("true", "Yes"), ("false", "No")]),
            )
        elif field.choices:
            attrs[name] = django_filters.ChoiceFilter(
                field_name=name, label=label, choices=field.choices, empty_label="Any"
            )
        elif field.is_relation and field.many_to_one:
            related = field.related_model
            queryset = access.visible(user, related._default_manager.all())
            related_section = registry.for_model(related)
            extra = {}
            if related_section is not None:
                # A big table: type-ahead, and only the chosen row is rendered.
                extra["widget"] = LookupSelect(lookup_url=reverse(f"{related_section.name}:lookup"))
            attrs[name] = django_filters.ModelChoiceFilter(
                field_name=name, label=label, queryset=queryset, empty_label="Any", **extra
            )
        elif isinstance(field, models.IntegerField | models.DecimalField | models.FloatField):
            attrs[f"{name}__gte"] = django_filters.NumberFilter(
                field_name=name, lookup_expr="gte", label=f"{label} from"
            )
            attrs[f"{name}__lte"] = django_filters.NumberFilter(field_name=name, lookup_expr="lte", label=f"{label} to")
        else:
            attrs[name] = django_filters.CharFilter(field_name=name, lookup_expr="icontains", label=label)
    for custom in section.custom_fields():
        if custom.name in readable:
            attrs.update(custom_filters(custom, user))
    attrs.update(queryset_filters(section, readable))
    attrs.update(drill_down_filters(section, user, readable, attrs))
    meta = type("Meta", (), {"model": section.model, "fields": []})
    attrs["Meta"] = meta
    return type(f"{section.model.__name__}FilterSet", (SectionFilterSet,), attrs)


#: yes/no filters that a section's queryset offers as a method of that name, with the fields the method reads:
#: `overdue()`, open and due before now (a rep's "my overdue tasks")
QUERYSET_FILTERS = {"overdue": ("Overdue", ("status", "due"))}


def queryset_filters(section: Section, readable) -> dict[str, django_filters.Filter]:
    """The QUERYSET_FILTERS the section's queryset offers, for who may read the fields they read."""
    queryset = section.model._default_manager.all()
    attrs: dict[str, django_filters.Filter] = {}
    for name, (label, reads) in QUERYSET_FILTERS.items():
        if callable(getattr(queryset, name, None)) and all(field in readable for field in reads):
            attrs[name] = QuerySetMethodFilter(label=label, method_name=name)
    return attrs


class QuerySetMethodFilter(django_filters.BooleanFilter):
    """Yes: the records the queryset's method selects; no: the others."""

    def __init__(self, *args, method_name: str, **kwargs):
        self.method_name = method_name
        kwargs.setdefault("widget", forms.Select(choices=[("", "Any"), ("true", "Yes"), ("false", "No")]))
        super().__init__(*args, field_name="pk", **kwargs)

    def filter(self, qs, value):
        if value is None:
            return qs
        if value:
            return getattr(qs, self.method_name)()
        selected = getattr(qs.model._default_manager.all(), self.method_name)()
        return qs.exclude(pk__in=selected.values("pk"))


def drill_down_filters(section: Section, user, readable, taken) -> dict[str, django_filters.Filter]:
    """Hidden filters on the section's analytics fields, for the lists a dashboard's bars and slices open: a value
    of a lookup, choice or yes/no (where no filter of the list has the field's name), none at all (`__isnull`),
    and a range of dates (`__gte`, `__lt`: a chart's month, a metric's period)."""
    attrs: dict[str, django_filters.Filter] = {}
    hidden = forms.HiddenInput
    for name in section.analytics_fields:
        if name not in readable:
            continue
        field = section.opts.get_field(name)
        if isinstance(field, models.DateField | models.DateTimeField):
            for lookup in ("gte", "lt"):
                attrs[f"{name}__{lookup}"] = DateBoundFilter(field_name=name, lookup_expr=lookup, widget=hidden)
            continue
        attrs[f"{name}__isnull"] = django_filters.BooleanFilter(field_name=name, lookup_expr="isnull", widget=hidden)
        if name in taken:
            continue
        if field.is_relation and field.many_to_one:
            queryset = access.visible(user, field.related_model._default_manager.all())
            attrs[name] = django_filters.ModelChoiceFilter(field_name=name, queryset=queryset, widget=hidden)
        elif field.choices:
            attrs[name] = django_filters.ChoiceFilter(field_name=name, choices=field.choices, widget=hidden)
        elif isinstance(field, models.BooleanField):
            attrs[name] = django_filters.BooleanFilter(field_name=name, widget=hidden)
    for custom in section.custom_fields():  # a chart grouped by a custom date: its day, week, month... or none
        if custom.kind in ("date", "datetime") and custom.name in readable:
            for lookup in ("gte", "lt"):
                attrs[f"{custom.name}__{lookup}"] = CustomDateBoundFilter(
                    field_name=custom.name, lookup_expr=lookup, widget=hidden, with_time=custom.kind == "datetime"
                )
            attrs[f"{custom.name}__isnull"] = django_filters.BooleanFilter(
                field_name=custom.name, lookup_expr="isnull", widget=hidden
            )
    return attrs


class CustomDateBoundFilter(django_filters.DateFilter):
    """One bound of a range of days on a custom date or date-time, kept as ISO text (date-times in UTC)."""

    def __init__(self, *args, with_time: bool = False, **kwargs):
        self.with_time = with_time
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        if value in (None, ""):
            return qs
        bound = _midnight(value).astimezone(datetime.UTC).isoformat() if self.with_time else value.isoformat()
        return qs.filter(**{f"{self.field_name}__{self.lookup_expr}": bound})


class DateBoundFilter(django_filters.DateFilter):
    """One bound of a range of days on a date or date-time field (a date-time from midnight where the user is)."""

    def filter(self, qs, value):
        if value in (None, ""):
            return qs
        model_field = qs.model._meta.get_field(self.field_name)
        bound = _midnight(value) if isinstance(model_field, models.DateTimeField) else value
        return qs.filter(**{f"{self.field_name}__{self.lookup_expr}": bound})


def _style(form) -> None:
    for field in form.fields.values():
        widget = field.widget
        css = "form-select form-select-sm" if isinstance(widget, forms.Select) else "form-control form-control-sm"
        widget.attrs.setdefault("class", css)


class CustomDatePresetFilter(DatePresetFilter):
    """A date preset on a custom date or date-time, kept as ISO text (date-times in UTC), which sorts as the
    dates do."""

    def __init__(self, *args, with_time: bool = False, **kwargs):
        self.with_time = with_time
        super().__init__(*args, **kwargs)

    def bounds(self, qs, start: datetime.date, end: datetime.date) -> tuple:
        if self.with_time:
            return tuple(_midnight(day).astimezone(datetime.UTC).isoformat() for day in (start, end))
        return start.isoformat(), end.isoformat()


class CustomNumberFilter(django_filters.NumberFilter):
    """A bound on a custom number (a decimal is kept as exact text): compared as a number, never as text."""

    def __init__(self, *args, custom, **kwargs):
        self.custom = custom
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        if value in (None, ""):
            return qs
        alias = f"_{self.custom.code}_number"
        return qs.alias(**{alias: self.custom.expression()}).filter(**{f"{alias}__{self.lookup_expr}": value})


def custom_filters(custom, user=None) -> dict[str, django_filters.Filter]:
    """The filters of one custom field, by kind (on the record's JSON: no index, so they narrow other filters
    best; a section that filters by one often can get an expression index)."""
    name, label = custom.name, custom.label[:1].upper() + custom.label[1:]
    kind = custom.kind
    if kind == "choice":
        return {
            name: django_filters.ChoiceFilter(field_name=name, label=label, choices=custom.choices, empty_label="Any")
        }
    if kind == "lookup":
        from crm.designer.lookups import lookup_filter

        return {name: lookup_filter(custom, label, user)}
    if kind == "boolean":
        widget = forms.Select(choices=[("", "Any"), ("true", "Yes"), ("false", "No")])
        return {name: django_filters.BooleanFilter(field_name=name, label=label, widget=widget)}
    if kind in ("date", "datetime"):
        return {name: CustomDatePresetFilter(field_name=name, label=label, with_time=kind == "datetime")}
    if kind in ("integer", "decimal"):
        return {
            f"{name}__gte": CustomNumberFilter(
                field_name=name, lookup_expr="gte", label=f"{label} from", custom=custom
            ),
            f"{name}__lte": CustomNumberFilter(field_name=name, lookup_expr="lte", label=f"{label} to", custom=custom),
        }
    return {name: django_filters.CharFilter(field_name=name, lookup_expr="icontains", label=label)}

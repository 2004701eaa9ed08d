"""Reads of activities: what is connected to a record, a calendar range, today's list, the iCalendar feed.
Each goes through crm.access and declares its joins once."""

from __future__ import annotations

import datetime

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from crm import access
from crm.sections import registry

from .models import Activity, Participant

#: the longest range the calendar asks for at once (a month view shows six weeks)
MAX_RANGE = datetime.timedelta(days=62)
#: an activity longer than this is no event in the time grid but a due item on the day it is due
LONG = datetime.timedelta(days=1)
#: what the iCalendar feed publishes, around today
FEED_PAST = datetime.timedelta(days=90)
FEED_FUTURE = datetime.timedelta(days=400)


def section():
    return registry.get("activities")


def visible_activities(user, action: str = "read") -> models.QuerySet[Activity]:
    return access.visible(user, section().get_queryset(), action)


def get_activity_or_404(user, pk: int, action: str = "read") -> Activity:
    """The one permission-checked fetch of an activity: the same 404 whether it is missing or forbidden."""
    return access.get_object_or_404(user, section().get_queryset(), action, pk=pk)


# --- connections --------------------------------------------------------------------------------------------


#: the records an activity has a foreign key for; any other record is connected through the generic connection
DIRECT_RELATIONS = ("account", "contact")


def direct_relation(model) -> str | None:
    """The name of the activity's own foreign key to `model` (account, contact), if it has one."""
    concrete = model._meta.concrete_model
    for name in DIRECT_RELATIONS:
        if Activity._meta.get_field(name).related_model is concrete:
            return name
    return None


def connectable_record(user, content_type: ContentType | None, object_id: int | None):
    """The record an activity may be connected to: one of a section the user may see, else None."""
    if content_type is None or object_id is None:
        return None
    model = content_type.model_class()
    record_section = registry.for_model(model) if model is not None else None
    if record_section is None or record_section.name == "activities":
        return None
    return access.visible(user, record_section.model._default_manager.all()).filter(pk=object_id).first()


def connection_fields(record) -> dict:
    """The activity fields that connect it to `record`: its own foreign key where it has one (account, contact),
    the generic connection otherwise; and the account and contact of the record, which a connected lead or
    opportunity carries (the activity shows on their pages too)."""
    name = direct_relation(type(record))
    if name:
        fields = {name: record}
    else:
        fields = {"connected_type": ContentType.objects.get_for_model(record), "connected_id": record.pk}
    for related in ("account", "contact"):
        value = getattr(record, related, None)
        if related not in fields and value is not None and direct_relation(type(value)) == related:
            fields[related] = value
    return fields


def connection_params(record) -> dict[str, int]:
    """The query string that opens the create form connected to `record`."""
    name = direct_relation(type(record))
    if name:
        return {name: record.pk}
    return {"connected_type": ContentType.objects.get_for_model(record).pk, "connected_id": record.pk}


def connected_to(user, record) -> models.QuerySet[Activity]:
    """The activities about `record` that the user may see: through the account or contact field, or the generic
    connection."""
    name = direct_relation(type(record))
    content_type = ContentType.objects.get_for_model(record)
    condition = Q(connected_type=content_type, connected_id=record.pk)
    if name:
        condition |= Q(**{name: record})
    return visible_activities(user).filter(condition)


# --- the calendar, today, the feed ---------------------------------------------------------------------------


def calendar_activities(
    user, *, of_user, start: datetime.datetime, end: datetime.datetime, include_final: bool = False
):
    """`of_user`'s activities (owned or taken part in) shown in the calendar between start and end, as far as
    `user` may see them: those of a day or less that take up some of the range, and the longer ones (a process
    task open for five days) only where they are due, so each is drawn once. Completed and canceled ones only
    when asked for. The range is cut to two months."""
    end = min(end, start + MAX_RANGE)
    long = Q(due__gt=F("start") + LONG)
    in_range = (~long & Q(start__lt=end) & (Q(due__gt=start) | Q(start__gte=start))) | (
        long & Q(due__gte=start, due__lt=end)
    )
    activities = (
        visible_activities(user)
        .of_user(of_user)
        .filter(show_in_calendar=True)
        .filter(in_range)
        .select_related("account")
        .order_by("start", "pk")
    )
    return activities if include_final else activities.open()


def _calendar(user, *, of_user, start: datetime.datetime, end: datetime.datetime):
    return (
        visible_activities(user)
        .of_user(of_user)
        .filter(show_in_calendar=True)
        .overlapping(start, end)
        .select_related("account")
        .order_by("start", "pk")
    )


def editable_ids(user, activities) -> set[int]:
    """Which of `activities` the user may change, in one query."""
    ids = [a.pk for a in activities]
    if not ids:
        return set()
    return set(visible_activities(user, "edit").filter(pk__in=ids).values_list("pk", flat=True))


def activities_today(user, now: datetime.datetime | None = None, limit: int = 20) -> list[Activity]:
    """The user's open activities of today and the overdue ones, earliest first."""
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    tz = timezone.get_current_timezone()
    day_start = datetime.datetime.combine(today, datetime.time.min, tzinfo=tz)
    day_end = day_start + datetime.timedelta(days=1)
    return list(
        visible_activities(user)
        .of_user(user)
        .open()
        .filter(Q(start__gte=day_start, start__lt=day_end) | Q(due__lt=now))
        .select_related("account", "contact")
        .order_by("start", "pk")[:limit]
    )


def feed_activities(user, now: datetime.datetime | None = None):
    """What a user's iCalendar feed publishes: their calendar from three months back to a year ahead."""
    now = now or timezone.now()
    return _calendar(user, of_user=user, start=now - FEED_PAST, end=now + FEED_FUTURE).select_related("contact")


def participants_of(activity: Activity) -> list[Participant]:
    return list(
        activity.participants.select_related("user", "contact", "contact__account").order_by(
            "contact", "added_at", "id"
        )
    )

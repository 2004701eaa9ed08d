"""iCalendar (RFC 5545) text for a user's activity feed: escaped values, UTC times, CRLF lines folded at 75
octets. Written here rather than taken from a library: it is small, and the feed needs nothing more."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from .models import Activity

PRODUCT_ID = "-//OpenCRM//Activities//EN"
#: an activity's status as an event's STATUS
EVENT_STATUS = {
    Activity.Status.NOT_STARTED: "CONFIRMED",
    Activity.Status.IN_PROGRESS: "CONFIRMED",
    Activity.Status.COMPLETED: "CONFIRMED",
    Activity.Status.CANCELED: "CANCELLED",
}


def escape_text(value: str) -> str:
    """A TEXT value (RFC 5545 3.3.11): backslash, semicolon and comma escaped, line breaks as \\n."""
    value = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return value.replace("\r\n", "\\n").replace("\r", "\\n").replace("\n", "\\n")


def utc(value: datetime.datetime) -> str:
    """A DATE-TIME in UTC form, e.g. 20260302T090000Z."""
    return value.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")


def fold(line: str) -> str:
    """Fold a content line into pieces of at most 75 octets (RFC 5545 3.1), never inside a UTF-8 character;
    each continuation starts with a space."""
    encoded = line.encode("utf-8")
    if len(encoded) <= 75:
        return line
    pieces, current, size, limit = [], [], 0, 75
    for char in line:
        length = len(char.encode("utf-8"))
        if size + length > limit:
            pieces.append("".join(current))
            current, size, limit = [], 0, 74  # the leading space of a continuation counts
        current.append(char)
        size += length
    pieces.append("".join(current))
    return "\r\n ".join(pieces)


def event_lines(activity: Activity, *, url: str, host: str, stamp: datetime.datetime) -> list[str]:
    lines = [
        "BEGIN:VEVENT",
        f"UID:activity-{activity.pk}@{host}",
        f"DTSTAMP:{utc(stamp)}",
        f"DTSTART:{utc(activity.start)}",
    ]
    if activity.due > activity.start:  # DTEND must come after DTSTART; without it the event is a moment
        lines.append(f"DTEND:{utc(activity.due)}")
    lines += [
        f"SUMMARY:{escape_text(activity.title)}",
        f"STATUS:{EVENT_STATUS.get(activity.status, 'CONFIRMED')}",
        f"LAST-MODIFIED:{utc(activity.modified_at)}",
        f"SEQUENCE:{activity.version}",
        f"URL:{url}",
    ]
    description = [f"{activity.get_type_display()} · {activity.get_status_display()}"]
    description += [str(record) for record in (activity.account, activity.contact) if record is not None]
    if activity.notes:
        description.append(activity.notes)
    lines.append(f"DESCRIPTION:{escape_text(chr(10).join(description))}")
    if activity.account is not None:
        lines.append(f"LOCATION:{escape_text(str(activity.account))}")
    lines.append("END:VEVENT")
    return lines


def calendar(activities: Iterable[Activity], *, name: str, host: str, url_for, stamp: datetime.datetime) -> str:
    """The whole VCALENDAR. `url_for(activity)` gives each event's absolute address."""
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODUCT_ID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape_text(name)}",
    ]
    for activity in activities:
        lines += event_lines(activity, url=url_for(activity), host=host, stamp=stamp)
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)

"""The calendar's geometry: which days a day, week or month view shows, its time slots, and the range and
navigation around a date. Plain functions of dates, so the views stay short."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone

VIEWS = ("day", "week", "month")
SCALES = (15, 30, 60)
DEFAULT_SCALE = 30
LOCAL_FORMAT = "%Y-%m-%dT%H:%M"


@dataclass(frozen=True)
class Period:
    view: str
    anchor: datetime.date
    days: list[datetime.date]

    @property
    def first(self) -> datetime.date:
        return self.days[0]

    @property
    def last(self) -> datetime.date:
        return self.days[-1]

    @property
    def weeks(self) -> list[list[datetime.date]]:
        return [self.days[i : i + 7] for i in range(0, len(self.days), 7)]

    @property
    def title(self) -> str:
        if self.view == "day":
            return f"{self.anchor:%A, %d %B %Y}"
        if self.view == "month":
            return f"{self.anchor:%B %Y}"
        if self.first.month == self.last.month:
            return f"{self.first.day}–{self.last:%d %B %Y}"
        return f"{self.first:%d %b} – {self.last:%d %b %Y}"

    def previous(self) -> datetime.date:
        if self.view == "day":
            return self.anchor - datetime.timedelta(days=1)
        if self.view == "week":
            return self.anchor - datetime.timedelta(days=7)
        return (self.anchor.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)

    def next(self) -> datetime.date:
        if self.view == "day":
            return self.anchor + datetime.timedelta(days=1)
        if self.view == "week":
            return self.anchor + datetime.timedelta(days=7)
        return (self.anchor.replace(day=1) + datetime.timedelta(days=32)).replace(day=1)

    def bounds(self) -> tuple[datetime.datetime, datetime.datetime]:
        """The aware [start, end) of the period in the current time zone."""
        return start_of(self.first), start_of(self.last + datetime.timedelta(days=1))


def period(view: str, anchor: datetime.date) -> Period:
    if view == "day":
        return Period(view, anchor, [anchor])
    if view == "week":
        monday = anchor - datetime.timedelta(days=anchor.weekday())
        return Period(view, anchor, [monday + datetime.timedelta(days=i) for i in range(7)])
    first = anchor.replace(day=1)
    monday = first - datetime.timedelta(days=first.weekday())
    # whole weeks, as many as the month touches (four to six)
    days = []
    day = monday
    while day.month == first.month or day < first or len(days) % 7:
        days.append(day)
        day += datetime.timedelta(days=1)
    return Period(view, anchor, days)


def slots(scale: int) -> list[datetime.time]:
    """The rows of a day or week view: one per `scale` minutes of the day."""
    return [datetime.time(minutes // 60, minutes % 60) for minutes in range(0, 24 * 60, scale)]


def start_of(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=timezone.get_current_timezone())


def parse_date(value: str | None) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(value or "")
    except ValueError:
        return None


def parse_local(value: str | None) -> datetime.datetime | None:
    """A date and time as the calendar sends it (the server's time zone, no offset), made aware."""
    try:
        naive = datetime.datetime.strptime((value or "")[:16], LOCAL_FORMAT)
    except ValueError:
        return None
    return timezone.make_aware(naive, timezone.get_current_timezone())


def local(value: datetime.datetime) -> str:
    """An aware time as the calendar reads it: the server's time zone, to the minute."""
    return timezone.localtime(value).strftime(LOCAL_FORMAT)

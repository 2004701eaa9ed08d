"""The working calendar projects are planned on: working weekdays, hours per working day and holidays, from the
settings (PROJECT_WORKING_DAYS: Monday is 0; PROJECT_HOURS_PER_DAY; PROJECT_HOLIDAYS: ISO dates)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from django.conf import settings


@dataclass(frozen=True)
class WorkingCalendar:
    working_days: frozenset[int]
    hours_per_day: Decimal
    holidays: frozenset[datetime.date]

    def is_working_day(self, day: datetime.date) -> bool:
        return day.weekday() in self.working_days and day not in self.holidays

    def working_days_between(self, start: datetime.date, end: datetime.date) -> int:
        """Working days from `start` to `end`, both included (0 when `end` is before `start`)."""
        if end < start:
            return 0
        days = (end - start).days + 1
        weeks, rest = divmod(days, 7)
        count = weeks * len(self.working_days)
        count += sum(1 for offset in range(rest) if (start.weekday() + offset) % 7 in self.working_days)
        count -= sum(1 for day in self.holidays if start <= day <= end and day.weekday() in self.working_days)
        return count

    def working_hours_between(self, start: datetime.date | None, end: datetime.date | None) -> Decimal:
        """The duration of a project or a task in working hours; 0 while a date is missing."""
        if start is None or end is None:
            return Decimal("0")
        return self.hours_per_day * self.working_days_between(start, end)

    def week_capacity(self, monday: datetime.date) -> Decimal:
        """The working hours of one person in the week starting on `monday`."""
        return self.working_hours_between(monday, monday + datetime.timedelta(days=6))


@lru_cache(maxsize=1)
def _cached(working_days: tuple, hours_per_day: str, holidays: tuple) -> WorkingCalendar:
    return WorkingCalendar(
        working_days=frozenset(working_days),
        hours_per_day=Decimal(hours_per_day),
        holidays=frozenset(datetime.date.fromisoformat(day) for day in holidays),
    )


def calendar() -> WorkingCalendar:
    """The company's working calendar (settings can be overridden in tests, so it is read each time)."""
    return _cached(
        tuple(getattr(settings, "PROJECT_WORKING_DAYS", (0, 1, 2, 3, 4))),
        str(getattr(settings, "PROJECT_HOURS_PER_DAY", 8)),
        tuple(getattr(settings, "PROJECT_HOLIDAYS", ())),
    )

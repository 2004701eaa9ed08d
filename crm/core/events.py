"""Noteworthy events of any party (a company day, a birthday): an abstract model and date helpers."""

from __future__ import annotations

import datetime

from django.db import models
from django.utils import timezone


def anniversary(date: datetime.date, year: int) -> datetime.date:
    """`date`'s day and month in `year`; 29 February falls on 28 February in common years."""
    try:
        return date.replace(year=year)
    except ValueError:
        return date.replace(year=year, day=28)


def next_occurrence(date: datetime.date, today: datetime.date | None = None) -> datetime.date:
    """The next time (today included) that the yearly event of `date` comes round."""
    today = today or timezone.localdate()
    this_year = anniversary(date, today.year)
    return this_year if this_year >= today else anniversary(date, today.year + 1)


def years_since(date: datetime.date, today: datetime.date | None = None) -> int:
    """Whole years from `date` to `today`: an age, or how long a company has existed."""
    today = today or timezone.localdate()
    return today.year - date.year - ((today.month, today.day) < (date.month, date.day))


class NoteworthyEventBase(models.Model):
    """A yearly date worth remembering. A concrete model adds `type` and the party's foreign key."""

    date = models.DateField()
    notes = models.CharField(max_length=250, blank=True)

    class Meta:
        abstract = True
        ordering = ("date", "pk")

    def __str__(self) -> str:
        return f"{self.type}: {self.date.isoformat()}" if self.type_id and self.date else str(self.date or "")

    @property
    def next_date(self) -> datetime.date:
        return next_occurrence(self.date)

    @property
    def days_until(self) -> int:
        return (self.next_date - timezone.localdate()).days

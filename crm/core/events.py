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


# --- notices -----------------------------------------------------------------------------------------------------

#: concrete event models and the name of their party's foreign key, registered by the apps that have them
_event_models: list[tuple[str, str]] = []


def register_event_model(label: str, party_field: str) -> None:
    """`register_event_model("contacts.ContactEvent", "contact")`: its events are noticed on their day."""
    if (label, party_field) not in _event_models:
        _event_models.append((label, party_field))


def _due_on(today: datetime.date) -> models.Q:
    due = models.Q(date__month=today.month, date__day=today.day)
    leap = today.year % 4 == 0 and (today.year % 100 != 0 or today.year % 400 == 0)
    if today.month == 2 and today.day == 28 and not leap:
        due |= models.Q(date__month=2, date__day=29)  # 29 February is remembered on the 28th in common years
    return due


def notify_noteworthy_events(*, today: datetime.date | None = None) -> int:
    """Tell each party's owner of the noteworthy events (birthdays, company days) that fall today, once a day.

    Each notice is claimed by a unique (event, day) row before it is written, in the same transaction, so a
    second run on the same day writes nothing. Returns how many notices went out."""
    from django.apps import apps
    from django.db import IntegrityError, transaction

    from crm.sections import registry

    from .models import EventNotice, Notification
    from .services import notify

    today = today or timezone.localdate()
    sent = 0
    for label, party_field in _event_models:
        model = apps.get_model(label)
        events = model.objects.filter(_due_on(today)).select_related(party_field, "type", f"{party_field}__owner")
        for event in events.iterator(chunk_size=500):
            party = getattr(event, party_field)
            owner = getattr(party, "owner", None)
            if owner is None:
                continue
            section = registry.for_model(party)
            url = section.url("detail", party.pk) if section else ""
            years = years_since(event.date, today)
            title = f"{event.type} of {party} today" + (f" ({years} years)" if years > 0 else "")
            try:
                with transaction.atomic():
                    EventNotice.objects.create(event=f"{label.lower()}:{event.pk}", on_date=today)
                    notify(recipient=owner, kind=Notification.Kind.EVENT, title=title, body=event.notes, url=url)
            except IntegrityError:
                continue  # already noticed today
            sent += 1
    return sent

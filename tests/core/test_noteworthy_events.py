"""Noteworthy events (birthdays, company days) reach the party's owner's bell on their day, once."""

import datetime

import pytest

from contacts.models import BIRTHDAY, ContactEvent, ContactEventType
from crm.core import events, tasks
from crm.core.models import Notification
from tests.factories import ContactFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 29)


def birthday(contact, date):
    kind, _ = ContactEventType.objects.get_or_create(name=BIRTHDAY)
    return ContactEvent.objects.create(contact=contact, type=kind, date=date)


def notices(user):
    return Notification.objects.filter(recipient=user, kind=Notification.Kind.EVENT)


def test_a_birthday_today_tells_the_contacts_owner_once_a_day(alice, bob):
    contact = ContactFactory(owner=alice, given_name="Rosa", surname="Silva")
    birthday(contact, datetime.date(1985, 11, 29))

    assert events.notify_noteworthy_events(today=TODAY) == 1
    assert events.notify_noteworthy_events(today=TODAY) == 0

    notice = notices(alice).get()
    assert notice.title == "Birthday of Rosa Silva today (41 years)"
    assert notice.url.endswith(f"/contacts/{contact.pk}/")
    assert not notices(bob).exists()


def test_other_days_stay_quiet_and_the_next_year_tells_again(alice):
    contact = ContactFactory(owner=alice)
    birthday(contact, datetime.date(1990, 11, 30))

    assert events.notify_noteworthy_events(today=TODAY) == 0
    assert events.notify_noteworthy_events(today=TODAY + datetime.timedelta(days=1)) == 1
    assert events.notify_noteworthy_events(today=datetime.date(2027, 11, 30)) == 1
    assert notices(alice).count() == 2


def test_29_february_is_remembered_on_the_28th_in_a_common_year(alice):
    birthday(ContactFactory(owner=alice), datetime.date(2000, 2, 29))

    assert events.notify_noteworthy_events(today=datetime.date(2027, 2, 28)) == 1
    assert events.notify_noteworthy_events(today=datetime.date(2028, 2, 28)) == 0


def test_the_beat_task_runs_the_same_service(alice):
    from django.utils import timezone

    birthday(ContactFactory(owner=alice), timezone.localdate().replace(year=1980))

    assert tasks.notify_noteworthy_events.delay().get() == 1
    assert notices(alice).count() == 1

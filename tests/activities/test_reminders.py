"""Reminders: at their time they go to the owner and/or the author as a notification (and an email), once, even
when two schedulers run the task at the same moment or a worker runs it again."""

import datetime
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.conf import settings
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.db import connection
from django.utils import timezone

from activities import services, tasks
from activities.models import Activity
from crm.core.models import Notification
from tests.factories import ActivityFactory


def due_reminder(owner, author=None, **fields) -> Activity:
    """An activity starting in ten minutes whose reminder time has just passed."""
    now = timezone.now()
    values = {
        "owner": owner,
        "created_by": author or owner,
        "start": now + datetime.timedelta(minutes=10),
        "remind_owner": True,
        "remind_at": now - datetime.timedelta(seconds=1),
        **fields,
    }
    return ActivityFactory(**values)


def reminders(user=None):
    queryset = Notification.objects.filter(kind=Notification.Kind.REMINDER)
    return queryset.filter(recipient=user) if user else queryset


def test_a_due_reminder_notifies_the_owner_with_a_link_to_the_activity(alice):
    activity = due_reminder(alice, title="Call Nancy")

    assert services.send_due_reminders() == 1

    notification = reminders(alice).get()
    assert notification.title == "Reminder: Call Nancy"
    assert notification.url == activity.get_absolute_url()
    assert notification.read_at is None
    activity.refresh_from_db()
    assert activity.reminded_at is not None


def test_owner_and_author_are_each_reminded_when_asked(alice, bob):
    due_reminder(alice, author=bob, remind_author=True)

    services.send_due_reminders()

    assert (reminders(alice).count(), reminders(bob).count()) == (1, 1)


def test_the_author_is_not_reminded_unless_asked(alice, bob):
    due_reminder(alice, author=bob)

    services.send_due_reminders()

    assert (reminders(alice).count(), reminders(bob).count()) == (1, 0)


def test_an_owner_who_is_also_the_author_is_reminded_once(alice):
    due_reminder(alice, remind_author=True)

    services.send_due_reminders()

    assert reminders(alice).count() == 1


def test_running_twice_reminds_once(alice, bob):
    due_reminder(alice, author=bob, remind_author=True)

    services.send_due_reminders()
    services.send_due_reminders()

    assert (reminders(alice).count(), reminders(bob).count()) == (1, 1)


def test_nothing_fires_before_its_time_or_for_a_closed_activity(alice):
    due_reminder(alice, remind_at=timezone.now() + datetime.timedelta(minutes=5))
    due_reminder(alice, status=Activity.Status.COMPLETED)
    due_reminder(alice, status=Activity.Status.CANCELED)
    due_reminder(alice, remind_owner=False)

    assert services.send_due_reminders() == 0
    assert not reminders().exists()


def test_someone_who_may_no_longer_read_the_activity_is_not_reminded(alice, bob, role_tree):
    from crm.access.models import Membership, ObjectRight

    # activities become Sales team A's alone, and bob, the author, is not in it
    Membership.objects.create(user=alice, role=role_tree.team_a)
    ObjectRight.objects.create(
        section="activities", role=role_tree.team_a, can_read=True, can_create=True, can_edit=True, can_delete=True
    )
    due_reminder(alice, author=bob, remind_author=True)

    services.send_due_reminders()

    assert (reminders(alice).count(), reminders(bob).count()) == (1, 0)


def test_the_reminder_is_emailed_after_the_commit(alice, django_capture_on_commit_callbacks):
    due_reminder(alice, title="Call Nancy")

    with django_capture_on_commit_callbacks(execute=True):
        services.send_due_reminders()

    assert [(m.subject, m.to) for m in mail.outbox] == [("Reminder: Call Nancy", [alice.email])]


class BrokenMailServer(BaseEmailBackend):
    def send_messages(self, email_messages):
        raise ConnectionRefusedError("the mail server is down")


def test_a_mail_server_that_is_down_does_not_take_the_notification_back(
    alice, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = f"{__name__}.BrokenMailServer"
    due_reminder(alice)

    with django_capture_on_commit_callbacks(execute=True):
        services.send_due_reminders()

    assert reminders(alice).count() == 1


def test_the_task_is_scheduled_every_minute_and_calls_the_service(alice):
    due_reminder(alice)

    entry = settings.CELERY_BEAT_SCHEDULE["activities-send-due-reminders"]
    assert (entry["task"], entry["schedule"]) == ("activities.tasks.send_due_reminders", 60.0)
    assert tasks.send_due_reminders.delay().get() == 1
    assert reminders(alice).count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_schedulers_running_at_the_same_moment_remind_once(alice, bob):
    """Two beat schedulers by mistake: two workers scan the same due reminders at once. PostgreSQL only (SQLite
    lets one writer in at a time, so there is no race to lose)."""
    if connection.vendor != "postgresql":
        pytest.skip("the race needs concurrent writers (PostgreSQL)")
    for _ in range(25):
        due_reminder(alice, author=bob, remind_author=True)
    start = threading.Barrier(2)

    def scheduler(_):
        try:
            start.wait(timeout=10)
            return services.send_due_reminders()
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=2) as pool:
        sent = list(pool.map(scheduler, range(2)))

    assert sum(sent) == 50
    assert (reminders(alice).count(), reminders(bob).count()) == (25, 25)


@pytest.mark.broker
def test_a_real_worker_on_redis_sends_the_due_reminders(celery_worker_on_redis, alice):
    due_reminder(alice, title="Call Nancy")

    tasks.send_due_reminders.delay()

    deadline = time.monotonic() + 30
    while not reminders(alice).exists() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert reminders(alice).get().title == "Reminder: Call Nancy"
    tasks.send_due_reminders.delay()
    time.sleep(1)
    assert reminders(alice).count() == 1

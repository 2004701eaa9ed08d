"""The notification centre: a tab per kind with unread counts; opening a tab reads its items, except reminders
and approvals, which wait until marked done; read items leave after 30 days; the bell polls its count."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from crm.core.models import Notification
from crm.core.services import notify

Kind = Notification.Kind


@pytest.fixture
def inbox(alice):
    """Two unread feed items, one reminder, one approval and one system message for alice."""
    return {
        "feed": [notify(recipient=alice, kind=Kind.FEED, title=f"Feed {n}") for n in range(2)],
        "reminder": notify(recipient=alice, kind=Kind.REMINDER, title="Call Contoso"),
        "approval": notify(recipient=alice, kind=Kind.APPROVAL, title="Approve order 17"),
        "system": notify(recipient=alice, kind=Kind.SYSTEM, title="Import finished"),
    }


def unread(user, kind=None) -> int:
    items = Notification.objects.filter(recipient=user, read_at__isnull=True)
    return (items.filter(kind=kind) if kind else items).count()


def test_the_bell_shows_the_unread_count(alice_client, inbox):
    response = alice_client.get(reverse("home"))

    assert '<span class="position-absolute' in response.text
    assert 'id="unread-count">5<' in response.text


def test_the_tabs_show_their_unread_counts(alice_client, inbox):
    response = alice_client.get(reverse("notifications"), {"kind": "system"})

    tabs = {value: count for value, _, count in response.context["tabs"]}
    assert [label for _, label, _ in response.context["tabs"]] == [
        "Reminders",
        "Feed",
        "Approvals",
        "Noteworthy events",
        "System messages",
    ]
    assert tabs == {"reminder": 1, "feed": 2, "approval": 1, "event": 0, "system": 0}


def test_opening_the_feed_tab_reads_its_items_and_nothing_else(alice_client, alice, inbox):
    response = alice_client.get(reverse("notifications"), {"kind": "feed"})

    assert [item.title for item in response.context["items"]] == ["Feed 1", "Feed 0"]
    assert all(item.read_at is None for item in response.context["items"])  # shown as new this once
    assert unread(alice, Kind.FEED) == 0
    assert unread(alice) == 3


def test_reminders_and_approvals_stay_unread_until_marked_done(alice_client, alice, inbox):
    alice_client.get(reverse("notifications"), {"kind": "reminder"})
    alice_client.get(reverse("notifications"), {"kind": "approval"})
    assert unread(alice, Kind.REMINDER) == 1 and unread(alice, Kind.APPROVAL) == 1

    response = alice_client.post(
        reverse("notification_done", args=[inbox["reminder"].pk]), {"kind": "reminder"}, HTTP_HX_REQUEST="true"
    )

    assert response.status_code == 200 and response.content == b""
    assert unread(alice, Kind.REMINDER) == 0 and unread(alice, Kind.APPROVAL) == 1


def test_the_centre_opens_on_the_first_tab_with_unread_items(alice_client, alice):
    notify(recipient=alice, kind=Kind.APPROVAL, title="Approve invoice")

    assert alice_client.get(reverse("notifications")).context["kind"] == "approval"


def test_read_items_older_than_30_days_are_not_shown(alice_client, alice):
    long_ago = timezone.now() - timedelta(days=31)
    old_read = notify(recipient=alice, kind=Kind.SYSTEM, title="Old and read")
    old_unread = notify(recipient=alice, kind=Kind.SYSTEM, title="Old but unread")
    recent_read = notify(recipient=alice, kind=Kind.SYSTEM, title="Recent and read")
    Notification.objects.filter(pk=old_read.pk).update(created_at=long_ago, read_at=long_ago)
    Notification.objects.filter(pk=old_unread.pk).update(created_at=long_ago)
    Notification.objects.filter(pk=recent_read.pk).update(read_at=timezone.now())

    response = alice_client.get(reverse("notifications"), {"kind": "system"})

    assert [item.title for item in response.context["items"]] == ["Recent and read", "Old but unread"]


def test_nobody_marks_someone_elses_notification_done(client, bob, inbox):
    client.force_login(bob)

    response = client.post(reverse("notification_done", args=[inbox["reminder"].pk]))

    assert response.status_code == 404
    inbox["reminder"].refresh_from_db()
    assert inbox["reminder"].read_at is None


def test_the_bell_polls_a_small_count_endpoint(alice_client, alice, inbox):
    response = alice_client.get(reverse("notifications_count"))

    assert 'hx-trigger="every 60s"' in response.text
    assert 'id="unread-count">5<' in response.text
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db  # each request checks the version of the runtime sections
def test_the_count_endpoint_stops_the_polling_once_logged_out(client):
    assert client.get(reverse("notifications_count")).status_code == 286

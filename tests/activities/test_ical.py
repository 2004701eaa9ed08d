"""The iCalendar feed at a user's secret address: RFC 5545 structure (checked by a small parser here, as no
iCalendar library is installed), escaped text, UTC times, folding, and the token as the only key."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from activities import ical, services
from activities.models import CalendarFeed
from tests.factories import ActivityFactory, ParticipantFactory


def unfold(body: bytes) -> list[str]:
    """The content lines of an iCalendar stream, checking the wire format on the way: CRLF line ends, physical
    lines of at most 75 octets, continuations starting with one space."""
    assert body.endswith(b"\r\n")
    physical = body[:-2].split(b"\r\n")
    assert all(b"\n" not in line and b"\r" not in line for line in physical)
    assert all(len(line) <= 75 for line in physical), [line for line in physical if len(line) > 75]
    lines: list[bytes] = []
    for line in physical:
        if line.startswith(b" "):
            lines[-1] += line[1:]
        else:
            lines.append(line)
    return [line.decode("utf-8") for line in lines]


def parse(body: bytes) -> list[dict[str, str]]:
    """The VEVENTs of a VCALENDAR as dicts of property -> value, after checking the components nest."""
    lines = unfold(body)
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-1] == "END:VCALENDAR"
    calendar = dict(line.split(":", 1) for line in lines if not line.startswith(("BEGIN", "END")))
    assert calendar["VERSION"] == "2.0" and calendar["PRODID"]
    events, current = [], None
    for line in lines[1:-1]:
        name, value = line.split(":", 1)
        if line == "BEGIN:VEVENT":
            assert current is None
            current = {}
        elif line == "END:VEVENT":
            events.append(current)
            current = None
        elif current is not None:
            assert name not in current, f"{name} twice in one event"
            current[name] = value
    assert current is None
    for event in events:
        assert {"UID", "DTSTAMP", "DTSTART", "SUMMARY"} <= set(event)
        for name in ("DTSTAMP", "DTSTART", "DTEND"):
            if name in event:
                datetime.datetime.strptime(event[name], "%Y%m%dT%H%M%SZ")
    return events


@pytest.fixture
def feed(alice):
    return services.regenerate_calendar_feed(user=alice)


def get_feed(client, token: str):
    return client.get(reverse("activities:ical", args=[token]))


def test_the_feed_publishes_the_users_calendar_without_a_login(client, alice, bob, feed):
    tomorrow = (timezone.now() + datetime.timedelta(days=1)).date()
    start = timezone.make_aware(
        datetime.datetime.combine(tomorrow, datetime.time(9, 0)), timezone.get_fixed_timezone(60)
    )
    ActivityFactory(owner=alice, title="Kick-off", start=start, due=start + datetime.timedelta(hours=1))
    ParticipantFactory(user=alice, activity=ActivityFactory(owner=bob, title="Bob's review"))
    ActivityFactory(owner=bob, title="Bob alone")
    ActivityFactory(owner=alice, title="Private note", show_in_calendar=False)

    response = get_feed(client, feed.token)

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    events = {event["SUMMARY"]: event for event in parse(response.content)}
    assert set(events) == {"Kick-off", "Bob's review"}
    assert events["Kick-off"]["DTSTART"] == f"{tomorrow:%Y%m%d}T080000Z"
    assert events["Kick-off"]["DTEND"] == f"{tomorrow:%Y%m%d}T090000Z"
    assert events["Kick-off"]["UID"].startswith("activity-")


def test_a_wrong_or_revoked_token_is_a_404(client, alice, feed):
    old = feed.token
    services.regenerate_calendar_feed(user=alice)

    assert get_feed(client, "not-the-token").status_code == 404
    assert get_feed(client, old).status_code == 404


def test_the_feed_of_a_deactivated_user_is_gone(client, alice, feed):
    alice.is_active = False
    alice.save()

    assert get_feed(client, feed.token).status_code == 404


def test_text_is_escaped_and_long_lines_are_folded_at_75_octets(client, alice, feed):
    title = 'Lunch; drinks, and a "\\" — Müller’s 🍕 ' * 4
    ActivityFactory(owner=alice, title=title, notes="Line one\nLine two")

    events = parse(get_feed(client, feed.token).content)

    summary = events[0]["SUMMARY"]
    assert summary == title.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    assert "Line one\\nLine two" in events[0]["DESCRIPTION"]


def test_folding_never_splits_a_character():
    line = "SUMMARY:" + "é" * 100

    folded = ical.fold(line).encode("utf-8")

    assert all(len(piece) <= 75 for piece in folded.split(b"\r\n"))
    assert folded.replace(b"\r\n ", b"").decode("utf-8") == line


def test_a_canceled_activity_is_a_cancelled_event(client, alice, feed):
    ActivityFactory(owner=alice, status="canceled")

    assert parse(get_feed(client, feed.token).content)[0]["STATUS"] == "CANCELLED"


def test_the_calendar_page_gives_the_address_and_a_new_one_on_request(alice_client, alice):
    page = alice_client.get(reverse("activities:calendar"))
    assert page.context["feed_url"] == ""

    alice_client.post(reverse("activities:calendar_feed"))
    first = CalendarFeed.objects.get(user=alice).token
    alice_client.post(reverse("activities:calendar_feed"))
    second = CalendarFeed.objects.get(user=alice).token

    assert first != second
    page = alice_client.get(reverse("activities:calendar"))
    assert page.context["feed_url"] == f"http://testserver/activities/ical/{second}.ics"

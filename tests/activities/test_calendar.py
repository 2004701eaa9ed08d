"""The calendar: the page, the JSON range of a user's activities (only what the viewer may see), quick creation
from a drag over empty time, and moves and resizes with optimistic locking."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from activities.models import Activity
from tests.factories import ActivityFactory, ParticipantFactory

MONDAY = datetime.date(2026, 3, 2)


def at(day: int, hour: int, minute: int = 0) -> datetime.datetime:
    """A time in the week of MONDAY (day 0), in the server's time zone."""
    return timezone.make_aware(
        datetime.datetime.combine(MONDAY + datetime.timedelta(days=day), datetime.time(hour, minute))
    )


def week_events(client, **params) -> dict[str, dict]:
    response = client.get(reverse("activities:calendar_events"), {"start": "2026-03-02", "end": "2026-03-09", **params})
    assert response.status_code == 200
    return {event["title"]: event for event in response.json()["events"]}


# --- the range endpoint -------------------------------------------------------------------------------------------


def test_the_week_shows_my_activities_and_those_i_take_part_in(alice_client, alice, bob):
    ActivityFactory(owner=alice, title="Mine", start=at(0, 9), due=at(0, 10))
    ParticipantFactory(user=alice, activity=ActivityFactory(owner=bob, title="Bob's, with me", start=at(1, 11)))
    ActivityFactory(owner=bob, title="Bob's alone", start=at(1, 11))
    ActivityFactory(owner=alice, title="Not in the calendar", start=at(2, 9), show_in_calendar=False)
    ActivityFactory(owner=alice, title="Next week", start=at(7, 9))
    ActivityFactory(owner=alice, title="Last Sunday into Monday", start=at(-1, 23), due=at(0, 1))

    events = week_events(alice_client)

    assert set(events) == {"Mine", "Bob's, with me", "Last Sunday into Monday"}
    assert events["Mine"]["start"] == "2026-03-02T09:00"
    assert events["Mine"]["end"] == "2026-03-02T10:00"


def test_another_users_calendar_shows_only_what_the_viewer_may_see(
    alice_client, alice, bob, charlie, only_owners_read_records
):
    """Bob's calendar seen by alice: his activities she takes part in are hers to see only if she owns them."""
    ActivityFactory(owner=bob, title="Bob's own", start=at(0, 9))
    ParticipantFactory(user=bob, activity=ActivityFactory(owner=alice, title="Alice's, with Bob", start=at(0, 11)))
    ParticipantFactory(user=bob, activity=ActivityFactory(owner=charlie, title="Charlie's, with Bob", start=at(0, 13)))

    events = week_events(alice_client, user=bob.pk)

    assert set(events) == {"Alice's, with Bob"}


def test_the_colours_say_overdue_open_and_final(alice_client, alice):
    now = timezone.now()
    ActivityFactory(
        owner=alice, title="Overdue", start=now - datetime.timedelta(hours=2), due=now - datetime.timedelta(hours=1)
    )
    ActivityFactory(owner=alice, title="Open", start=now + datetime.timedelta(hours=1))
    ActivityFactory(
        owner=alice, title="Done", status=Activity.Status.COMPLETED, start=now - datetime.timedelta(hours=2), due=now
    )
    today = timezone.localdate()

    response = alice_client.get(
        reverse("activities:calendar_events"),
        {
            "start": (today - datetime.timedelta(days=1)).isoformat(),
            "end": (today + datetime.timedelta(days=2)).isoformat(),
            "final": "1",
        },
    )

    states = {event["title"]: event["state"] for event in response.json()["events"]}
    assert states == {"Overdue": "overdue", "Open": "open", "Done": "final"}


def test_only_the_activities_the_viewer_may_edit_are_draggable(alice_client, alice, bob, only_owners_read_records):
    mine = ActivityFactory(owner=alice, title="Mine", start=at(0, 9))
    ParticipantFactory(user=alice, activity=ActivityFactory(owner=bob, title="Bob's", start=at(0, 10)))

    events = week_events(alice_client)

    assert events == {"Mine": events["Mine"]}
    assert events["Mine"]["editable"] is True
    assert events["Mine"]["version"] == mine.version


def test_a_range_without_dates_is_refused(alice_client):
    response = alice_client.get(reverse("activities:calendar_events"), {"start": "yesterday"})

    assert response.status_code == 400


def test_the_range_endpoint_runs_a_fixed_number_of_queries(alice_client, alice, django_assert_max_num_queries):
    for hour in range(8, 18):
        ActivityFactory(owner=alice, start=at(0, hour))
    week_events(alice_client)

    # 1 session, 2 user, 3 the activities (accounts joined), 4 which of them the user may edit
    with django_assert_max_num_queries(4):
        week_events(alice_client)


def test_completed_and_canceled_activities_are_hidden_unless_asked_for(alice_client, alice):
    ActivityFactory(owner=alice, title="Open", start=at(0, 9))
    ActivityFactory(owner=alice, title="Done", start=at(0, 10), status=Activity.Status.COMPLETED)
    ActivityFactory(owner=alice, title="Dropped", start=at(0, 11), status=Activity.Status.CANCELED)

    assert set(week_events(alice_client)) == {"Open"}
    assert set(week_events(alice_client, final="1")) == {"Open", "Done", "Dropped"}


def test_an_activity_longer_than_a_day_is_one_due_item_on_the_day_it_is_due(alice_client, alice):
    """A process task open from Monday to Saturday is drawn once, as due on Saturday; one due next week is not in
    this week, one started last week and due this Tuesday is."""
    ActivityFactory(owner=alice, title="Five days", start=at(0, 9), due=at(5, 9))
    ActivityFactory(owner=alice, title="Due next week", start=at(3, 9), due=at(8, 9))
    ActivityFactory(owner=alice, title="From last week", start=at(-4, 9), due=at(1, 17))
    ActivityFactory(owner=alice, title="A meeting", start=at(2, 9), due=at(2, 10))

    events = week_events(alice_client)

    assert set(events) == {"Five days", "From last week", "A meeting"}
    assert (events["Five days"]["kind"], events["Five days"]["day"]) == ("due", "2026-03-07")
    assert (events["From last week"]["kind"], events["From last week"]["day"]) == ("due", "2026-03-03")
    assert events["A meeting"]["kind"] == "timed"


def test_hundreds_of_multi_day_tasks_give_a_week_only_the_open_ones_due_in_it(alice_client, alice):
    """The demo volume: 423 process tasks that start now and are due in five days, a third of them done. The week
    of their start gets none of them; the week they are due gets the open ones, each once."""
    tasks = [
        ActivityFactory.build(
            owner=alice,
            account=None,
            contact=None,
            title=f"Task {number}",
            start=at(-3, 9),
            due=at(2, 9),
            status=Activity.Status.COMPLETED if number % 3 == 0 else Activity.Status.NOT_STARTED,
        )
        for number in range(423)
    ]
    for task in tasks:
        task.fill_derived()
    Activity.objects.bulk_create(tasks)

    this_week = week_events(alice_client)
    week_before = alice_client.get(
        reverse("activities:calendar_events"), {"start": "2026-02-23", "end": "2026-03-02"}
    ).json()["events"]

    assert len(this_week) == 282
    assert {(event["kind"], event["day"]) for event in this_week.values()} == {("due", "2026-03-04")}
    assert week_before == []


# --- creating by dragging -----------------------------------------------------------------------------------------


def test_a_drag_over_empty_time_creates_the_activity(alice_client, alice):
    response = alice_client.post(
        reverse("activities:calendar_create"),
        {"title": "Meet Nancy", "type": "meeting", "start": "2026-03-03T10:00", "due": "2026-03-03T11:30"},
    )

    assert response.status_code == 201
    activity = Activity.objects.get()
    assert (activity.title, activity.type, activity.owner) == ("Meet Nancy", "meeting", alice)
    assert activity.start == at(1, 10)
    assert activity.duration == 90
    assert response.json()["event"]["start"] == "2026-03-03T10:00"


def test_a_quick_create_without_a_title_is_refused(alice_client):
    response = alice_client.post(
        reverse("activities:calendar_create"),
        {"title": "", "type": "meeting", "start": "2026-03-03T10:00", "due": "2026-03-03T11:00"},
    )

    assert response.status_code == 422
    assert not Activity.objects.exists()


# --- moving and resizing ------------------------------------------------------------------------------------------


def move(client, activity, start: str, due: str, version: int):
    return client.post(
        reverse("activities:calendar_move", args=[activity.pk]), {"start": start, "due": due, "version": version}
    )


def test_moving_an_activity_to_another_day_and_time(alice_client, alice):
    activity = ActivityFactory(owner=alice, start=at(0, 9), due=at(0, 10))

    response = move(alice_client, activity, "2026-03-04T14:00", "2026-03-04T15:00", activity.version)

    assert response.status_code == 200
    activity.refresh_from_db()
    assert (activity.start, activity.due, activity.version) == (at(2, 14), at(2, 15), 2)
    assert response.json()["event"]["version"] == 2


def test_resizing_an_activity_changes_its_due_time_and_duration(alice_client, alice):
    activity = ActivityFactory(owner=alice, start=at(0, 9), due=at(0, 10))

    move(alice_client, activity, "2026-03-02T09:00", "2026-03-02T11:30", activity.version)

    activity.refresh_from_db()
    assert (activity.due, activity.duration) == (at(0, 11, 30), 150)


def test_a_stale_move_is_refused_and_the_current_times_are_answered(alice_client, alice):
    activity = ActivityFactory(owner=alice, start=at(0, 9), due=at(0, 10))
    move(alice_client, activity, "2026-03-02T12:00", "2026-03-02T13:00", 1)

    response = move(alice_client, activity, "2026-03-05T09:00", "2026-03-05T10:00", 1)

    assert response.status_code == 409
    assert "Someone else changed this activity" in response.json()["error"]
    assert response.json()["event"]["start"] == "2026-03-02T12:00"
    activity.refresh_from_db()
    assert activity.start == at(0, 12)


def test_an_activity_cannot_be_resized_to_end_before_it_starts(alice_client, alice):
    activity = ActivityFactory(owner=alice, start=at(0, 9), due=at(0, 10))

    response = move(alice_client, activity, "2026-03-02T09:00", "2026-03-02T08:00", 1)

    assert response.status_code == 422
    activity.refresh_from_db()
    assert activity.due == at(0, 10)


def test_someone_who_may_not_edit_the_activity_cannot_move_it(client, alice, bob, only_owners_read_records):
    activity = ActivityFactory(owner=alice, start=at(0, 9), due=at(0, 10))
    client.force_login(bob)

    response = move(client, activity, "2026-03-05T09:00", "2026-03-05T10:00", 1)

    assert response.status_code == 404
    activity.refresh_from_db()
    assert activity.start == at(0, 9)


def test_moving_needs_a_post(alice_client, alice):
    activity = ActivityFactory(owner=alice)

    assert alice_client.get(reverse("activities:calendar_move", args=[activity.pk])).status_code == 405


# --- the page -------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("view", "columns"), [("day", 1), ("week", 7), ("month", 42)])
def test_the_calendar_page_draws_the_days_of_its_view(alice_client, view, columns):
    """March 2026 starts on a Sunday: its month view runs from 23 February to 5 April, six weeks."""
    response = alice_client.get(reverse("activities:calendar"), {"view": view, "date": "2026-03-04"})

    body = response.content.decode()
    day_class = "calendar-month-day" if view == "month" else 'class="calendar-day'
    assert body.count(day_class) == columns
    assert 'src="/static/js/calendar.js" defer' in body


def test_the_week_view_starts_on_monday_and_moves_by_a_week(alice_client):
    response = alice_client.get(reverse("activities:calendar"), {"view": "week", "date": "2026-03-04"})

    shown = response.context["period"]
    assert (shown.first, shown.last) == (MONDAY, MONDAY + datetime.timedelta(days=6))
    assert shown.next() == datetime.date(2026, 3, 11)


def test_the_choice_to_show_final_activities_is_kept_when_moving_in_time(alice_client):
    body = alice_client.get(reverse("activities:calendar"), {"view": "week", "date": "2026-03-04", "final": "1"})

    page = body.content.decode()
    assert 'id="calendar-final" data-autosubmit checked' in page
    assert 'data-final="1"' in page
    next_link = page.split('id="calendar-next"')[1].split(">")[0]
    assert "date=2026-03-11&amp;" in next_link and "final=1" in next_link


def test_the_list_links_to_the_calendar(alice_client):
    body = alice_client.get(reverse("activities:list")).content.decode()

    assert reverse("activities:calendar") in body

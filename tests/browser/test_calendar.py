"""A rep's calendar in a real browser: schedule a meeting by dragging over empty time, move it by dragging, and
get its reminder in the notification bell."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from activities import services
from activities.models import Activity
from tests.browser.helpers import log_in
from tests.factories import UserFactory


@pytest.fixture
def alice(transactional_db):
    return UserFactory(username="alice", first_name="Alice", last_name="Archer")


def centre(locator) -> tuple[float, float]:
    box = locator.bounding_box()
    return box["x"] + box["width"] / 2, box["y"] + box["height"] / 2


def drag(page, start: tuple[float, float], end: tuple[float, float]) -> None:
    page.mouse.move(*start)
    page.mouse.down()
    page.mouse.move(*end, steps=8)
    page.mouse.up()


def test_a_rep_schedules_a_meeting_by_dragging_moves_it_and_gets_its_reminder(page, alice):
    today = timezone.localdate()
    log_in(page)

    page.get_by_role("link", name="Activities", exact=True).click()
    page.get_by_role("link", name="Calendar").click()
    expect(page.get_by_role("link", name="Week")).to_have_attribute("aria-current", "page")
    column = page.locator(f'.calendar-day[data-date="{today:%Y-%m-%d}"]')
    column.locator('.calendar-slot[data-time="15:00"]').scroll_into_view_if_needed()  # 10:00 to 15:00 in view

    # drag over empty time, 10:00 to the end of the 10:30 row, and save the meeting
    drag(
        page,
        centre(column.locator('.calendar-slot[data-time="10:00"]')),
        centre(column.locator('.calendar-slot[data-time="10:30"]')),
    )
    dialog = page.get_by_role("dialog", name="New activity")
    expect(dialog).to_be_visible()
    expect(dialog.get_by_label("Start")).to_have_value(f"{today:%Y-%m-%d}T10:00")
    expect(dialog.get_by_label("Due")).to_have_value(f"{today:%Y-%m-%d}T11:00")
    dialog.get_by_label("Subject").fill("Meeting with Nancy")
    dialog.get_by_role("button", name="Save").click()
    expect(dialog).to_be_hidden()
    expect(page.locator(".modal-backdrop")).to_have_count(0)  # gone, so the next drag reaches the calendar

    event = column.locator(".calendar-event", has_text="Meeting with Nancy")
    expect(event).to_be_visible()
    expect(event).to_contain_text("10:00–11:00")
    meeting = Activity.objects.get(title="Meeting with Nancy")
    assert (meeting.type, meeting.owner, meeting.duration) == ("meeting", alice, 60)

    # drag it four hours later
    start = centre(event)
    ten = centre(column.locator('.calendar-slot[data-time="10:00"]'))
    two = centre(column.locator('.calendar-slot[data-time="14:00"]'))
    with page.expect_response(re.compile(r"/activities/calendar/events/")):  # the calendar redraws from the server
        with page.expect_response(re.compile(r"/activities/calendar/\d+/move/$")) as moved:
            drag(page, start, (start[0], start[1] + two[1] - ten[1]))
    assert moved.value.status == 200
    expect(column.locator(".calendar-event", has_text="Meeting with Nancy")).to_contain_text("14:00–15:00")
    meeting.refresh_from_db()
    assert timezone.localtime(meeting.start).time() == datetime.time(14, 0)
    assert meeting.version == 2

    # its reminder comes due: the bell counts it and the notification centre shows it
    Activity.objects.filter(pk=meeting.pk).update(
        remind_owner=True, remind_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    services.send_due_reminders()
    page.reload()
    expect(page.locator("#unread-count")).to_contain_text("1")
    page.get_by_role("link", name="Notifications").click()
    expect(page.locator("#notification-list")).to_contain_text("Reminder: Meeting with Nancy")
    page.get_by_role("link", name="Reminder: Meeting with Nancy").click()
    expect(page.locator("#record-title")).to_have_text("Meeting with Nancy")

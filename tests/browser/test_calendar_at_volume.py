"""The calendar with the demo's volume, at a desktop and a phone width: 423 process tasks that start now and are
due in five days (a third of them done) and a crowded morning. Every view fits a bound height, never scrolls
sideways, and the time grid is on the first screen; the due items collapse to "+N more"."""

import datetime
import os
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from activities.models import Activity
from tests.browser.helpers import log_in
from tests.factories import ActivityFactory, UserFactory

#: the tallest a calendar page may be, per view: the toolbar, the grid (or six weeks), the feed card
HEIGHT_BOUND = {"day": 1500, "week": 1500, "month": 1900}
SHOTS = os.environ.get("CRM_SCREENSHOTS", "")


@pytest.fixture(params=[(1366, 900), (390, 844)], ids=["desktop", "phone"])
def viewport(request) -> dict:
    return {"width": request.param[0], "height": request.param[1]}


@pytest.fixture
def alice(transactional_db):
    return UserFactory(username="alice", first_name="Alice", last_name="Archer")


@pytest.fixture
def busy_calendar(alice):
    """What the demo gives alice: hundreds of multi-day process tasks and a morning of overlapping calls."""
    now = timezone.now().replace(second=0, microsecond=0)
    tasks = [
        ActivityFactory.build(
            owner=alice,
            account=None,
            type=Activity.Type.TASK,
            title=f"Process task {number}",
            start=now,
            due=now + datetime.timedelta(days=5),
            status=Activity.Status.COMPLETED if number % 3 == 0 else Activity.Status.NOT_STARTED,
        )
        for number in range(423)
    ]
    due_day = timezone.localdate(now + datetime.timedelta(days=5))
    nine = timezone.make_aware(datetime.datetime.combine(due_day, datetime.time(9, 0)))
    calls = [
        ActivityFactory.build(
            owner=alice, account=None, title=f"Call {number}", start=nine, due=nine + datetime.timedelta(minutes=30)
        )
        for number in range(12)
    ]
    for activity in tasks + calls:
        activity.fill_derived()
    Activity.objects.bulk_create(tasks + calls)
    return due_day


def measure(page) -> dict:
    return page.evaluate(
        """() => ({
            height: document.documentElement.scrollHeight,
            width: document.documentElement.scrollWidth,
            innerWidth: window.innerWidth,
            innerHeight: window.innerHeight,
            gridTop: (document.querySelector('.calendar-body') || document.querySelector('.calendar-month-week'))
                .getBoundingClientRect().top,
        })"""
    )


@pytest.mark.parametrize("view", ["week", "month", "day"])
def test_a_busy_calendar_fits_its_bounds_and_shows_the_grid_first(page, alice, busy_calendar, view, viewport):
    log_in(page)
    page.goto(f"/activities/calendar/?view={view}&date={busy_calendar:%Y-%m-%d}")
    due_day = page.locator(
        f'.calendar-allday-cell[data-date="{busy_calendar:%Y-%m-%d}"]'
        if view != "month"
        else f'.calendar-month-day[data-date="{busy_calendar:%Y-%m-%d}"]'
    )
    # 282 open tasks and 12 calls that day: three items are drawn, the rest behind "+N more"
    expect(due_day.locator(".calendar-more")).to_have_text("+279 more" if view != "month" else "+291 more")
    expect(due_day.locator(".calendar-chip:visible")).to_have_count(3)
    if view != "month":
        # twelve calls at nine: a few lanes side by side, the rest behind one "+N"
        column = page.locator(f'.calendar-day[data-date="{busy_calendar:%Y-%m-%d}"]')
        hidden = column.locator(".calendar-more-events")
        expect(hidden).to_have_text(re.compile(r"^\+\d+$"))
        assert int(hidden.inner_text()[1:]) + column.locator(".calendar-event").count() == 12
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/calendar-{view}-{viewport['width']}.png", full_page=True)

    sizes = measure(page)

    assert sizes["width"] <= sizes["innerWidth"], sizes
    assert sizes["height"] <= HEIGHT_BOUND[view], sizes
    assert sizes["gridTop"] < sizes["innerHeight"] - 300, sizes  # at least 300 px of the grid on the first screen


def test_the_due_strip_opens_in_place_and_final_tasks_come_back_when_asked(page, alice, busy_calendar, viewport):
    log_in(page)
    page.goto(f"/activities/calendar/?view=day&date={busy_calendar:%Y-%m-%d}")
    strip = page.locator(".calendar-allday-cell")
    expect(strip.locator(".calendar-chip:visible")).to_have_count(3)

    strip.get_by_role("button", name="+279 more").click()
    expect(strip.locator(".calendar-chip:visible")).to_have_count(282)
    assert strip.bounding_box()["height"] <= 250  # it scrolls within itself

    page.get_by_label("Completed and canceled").check()
    expect(page).to_have_url(re.compile(r"final=1"))
    expect(page.locator(".calendar-allday-cell .calendar-more")).to_have_text("+420 more")

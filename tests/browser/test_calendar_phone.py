"""On a phone the calendar opens as the day, whose one column is wide enough to read and tap; a week asked for
stays a week, and a desktop opens the week."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import log_in
from tests.factories import UserFactory

pytestmark = pytest.mark.browser


@pytest.fixture
def alice(transactional_db):
    return UserFactory(username="alice", first_name="Alice", last_name="Archer")


def test_on_a_phone_the_calendar_opens_as_today_s_day(page, alice):
    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page)

    page.goto("/activities/calendar/")

    expect(page).to_have_url(re.compile(r"view=day"))
    expect(page.locator("#calendar")).to_have_attribute("data-view", "day")
    expect(page.locator(".calendar-day")).to_have_count(1)
    assert page.locator(".calendar-day").bounding_box()["width"] > 250
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_on_a_phone_a_week_asked_for_stays_a_week(page, alice):
    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page)

    page.goto("/activities/calendar/?view=week")

    expect(page.locator("#calendar")).to_have_attribute("data-view", "week")
    expect(page.locator(".calendar-day")).to_have_count(7)


def test_on_a_desktop_the_calendar_opens_as_the_week(page, alice):
    page.set_viewport_size({"width": 1366, "height": 900})
    log_in(page)

    page.goto("/activities/calendar/")

    expect(page.locator("#calendar")).to_have_attribute("data-view", "week")
    assert "view=" not in page.url

"""Lists and record pages at a phone's width (390x844): nothing scrolls sideways, and the filter panel waits
behind a "Filters" button so the first screen shows records. At a desktop's width, a filter applied after a sort
click keeps the sort."""

import re

import pytest
from playwright.sync_api import expect

from crm.sections import registry
from tests.browser.helpers import log_in
from tests.factories import UserFactory
from tests.factories.registry import make_record
from tests.factories.seeds import ensure_seeded

pytestmark = pytest.mark.browser

SECTIONS = registry.all_sections()
OVERFLOW = "document.documentElement.scrollWidth - window.innerWidth"
#: the innermost elements that stick out to the right, to say what scrolls sideways
STICKING_OUT = """() => [...document.querySelectorAll("body *")]
  .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
  .filter(e => ![...e.children].some(c => c.getBoundingClientRect().right > window.innerWidth + 1))
  .slice(0, 3)
  .map(e => { const path = []; for (let a = e; a && a !== document.body; a = a.parentElement) {
      path.push(a.tagName.toLowerCase() + (a.id ? "#" + a.id : "") + "." + [...a.classList].join(".")
                + ":" + Math.round(a.getBoundingClientRect().right)); }
    return path.join(" < "); })"""


def assert_no_sideways_scroll(page, what: str) -> None:
    overflow = page.evaluate(OVERFLOW)
    assert overflow <= 0, f"{what} scrolls sideways by {overflow}px: {page.evaluate(STICKING_OUT)}"


@pytest.fixture
def alice(transactional_db):
    ensure_seeded()  # the lookups a browser test before may have flushed
    return UserFactory(username="alice", first_name="Alice", last_name="Archer")


@pytest.mark.parametrize("viewport", [{"width": 390, "height": 844}], ids=["390x844"])
def test_no_list_or_record_page_scrolls_sideways_on_a_phone(page, alice, viewport):
    records = {section.name: make_record(section, alice) for section in SECTIONS}
    log_in(page)

    for section in SECTIONS:
        page.goto(f"/{section.name}/")
        page.wait_for_load_state("networkidle")
        assert_no_sideways_scroll(page, f"the {section.name} list")
        # the filters wait behind a button; the records are on the first screen
        expect(page.locator("#filter-toggle")).to_be_visible()
        expect(page.locator("#filter-form")).to_be_hidden()
        assert page.locator("#list-table").bounding_box()["y"] < viewport["height"], section.name

        page.goto(records[section.name].get_absolute_url())
        page.wait_for_load_state("networkidle")
        assert_no_sideways_scroll(page, f"the {section.name} record page")
        for tab in page.locator("[data-bs-toggle='tab'], [role='tab']").all():
            if tab.is_visible():
                name = tab.get_attribute("data-tab")
                tab.click()
                expect(tab).to_have_class(re.compile(r"\bactive\b"))
                # the tab's content has been swapped in when its address is pushed: measure that, not the one before
                # (networkidle has been reached once already and does not wait again)
                if name:
                    expect(page).to_have_url(re.compile(rf"[?&]tab={re.escape(name)}(&|$)"))
                assert_no_sideways_scroll(page, f"{section.name}: the {tab.inner_text()} tab")


@pytest.mark.parametrize("viewport", [{"width": 390, "height": 844}], ids=["390x844"])
def test_the_filters_button_opens_the_panel_and_counts_the_active_filters(page, alice, viewport):
    log_in(page)
    page.goto("/accounts/?city=bas")

    toggle = page.locator("#filter-toggle")
    expect(toggle).to_contain_text("1")
    toggle.click()
    expect(page.locator("#filter-form")).to_be_visible()
    page.screenshot(path="/tmp/var-u16lists/accounts-filters-open-390.png", full_page=False)


@pytest.mark.parametrize("viewport", [{"width": 390, "height": 844}], ids=["390x844"])
def test_a_list_that_matches_nothing_says_so_on_the_screen_of_a_phone(page, alice, viewport):
    log_in(page)
    page.goto("/contacts/?q=nobody-has-this-name")

    empty = page.get_by_text("No records match.")
    expect(empty).to_be_visible()
    box = empty.bounding_box()
    # the table is wider than the phone: the words stay on the screen, not in its middle out of sight
    assert 0 <= box["x"] and box["x"] + box["width"] <= viewport["width"]


def test_a_filter_applied_after_a_sort_click_keeps_the_sort(page, alice):
    from tests.factories import AccountFactory

    for name, city in (("Alpha", "Basel"), ("Beta", "Zurich"), ("Gamma", "Aarau")):
        AccountFactory(name=name, city=city, owner=alice)
    log_in(page)
    page.goto("/accounts/")

    page.locator('#list-table a[data-sort="city"]').click()
    expect(page).to_have_url(re.compile(r"sort=city"))
    page.locator("#id_city").fill("r")
    page.locator("#id_city").press("Enter")

    expect(page).to_have_url(re.compile(r"city=r"))
    assert "sort=city" in page.url
    expect(page.locator("#list-table .record-link")).to_have_text(["Gamma", "Beta"])


def test_mine_then_a_filter_keeps_mine(page, alice):
    from tests.factories import AccountFactory, UserFactory

    bob = UserFactory(username="bob", first_name="Bob", last_name="Baker")
    AccountFactory(name="Alice's in Basel", city="Basel", owner=alice)
    AccountFactory(name="Alice's in Zurich", city="Zurich", owner=alice)
    AccountFactory(name="Bob's in Basel", city="Basel", owner=bob)
    log_in(page)
    page.goto("/accounts/")

    page.locator("#mine-filter").click()
    expect(page.locator("#mine-filter")).to_have_attribute("aria-pressed", "true")
    expect(page.locator("#id_owner")).to_have_value("me")
    page.locator("#id_city").fill("bas")
    page.locator("#id_city").press("Enter")

    expect(page).to_have_url(re.compile(r"city=bas"))
    expect(page.locator("#list-table .record-link")).to_have_text(["Alice's in Basel"])

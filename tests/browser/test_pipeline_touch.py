"""The pipeline without a mouse: a rep on a phone drags a deal by its grip with a finger (real touch events, which
HTML5 drag and drop ignores), another moves one with the card's "move to stage" menu by tap, and a keyboard user
does it with the keys alone. Every move goes through the same move endpoint and service as a drag."""

import os
import re

import pytest
from playwright.sync_api import expect

from opportunities.models import OpportunityStage
from tests.browser.conftest import TIMEOUT_MS, BrowserJournal, journal_key
from tests.browser.helpers import log_in
from tests.browser.test_pipeline import alice, column, deal  # noqa: F401 (alice is a fixture)

PHONE = {"width": 390, "height": 844}
SHOTS = os.environ.get("CRM_SCREENSHOTS", "")


@pytest.fixture
def phone(request, browser, live_server, expected_http_errors):
    """A page in a touch phone's browser context (Chromium with touch events, mobile viewport)."""
    context = browser.new_context(base_url=live_server.url, viewport=PHONE, has_touch=True, is_mobile=True)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    journal = BrowserJournal(expected_http_errors)
    request.node.stash[journal_key] = journal
    page.on("console", journal.console)
    page.on("pageerror", lambda error: journal.reported.append(f"JavaScript error: {error}"))
    page.on("requestfailed", lambda failed: journal.failed_requests.append((failed.url, failed.failure or "")))
    page.on("response", journal.response)
    yield page
    context.close()
    assert journal.problems() == [], "The browser reported problems after the test:\n" + "\n".join(journal.problems())


def touch_drag(page, start: tuple[float, float], end: tuple[float, float], steps: int = 12) -> None:
    """A finger pressed at `start`, slid to `end` and lifted: touch events as a touch screen sends them."""
    session = page.context.new_cdp_session(page)
    session.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [{"x": start[0], "y": start[1]}]})
    for step in range(1, steps + 1):
        x = start[0] + (end[0] - start[0]) * step / steps
        y = start[1] + (end[1] - start[1]) * step / steps
        session.send("Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": [{"x": x, "y": y}]})
    session.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
    session.detach()


def stage_of(opportunity) -> str:
    opportunity.refresh_from_db()
    return opportunity.stage.code


def test_a_rep_on_a_phone_drags_a_deal_by_its_grip_and_moves_another_by_its_menu(phone, alice):  # noqa: F811
    laptops = deal(alice, "Laptops for Northwind")
    tablets = deal(alice, "Tablets for Contoso")
    log_in(phone)
    phone.goto("/opportunities/pipeline/")
    qualification, presentation = column(phone, "qualification"), column(phone, "presentation")
    expect(qualification.locator("[data-count]")).to_have_text("2")
    assert phone.evaluate(
        "document.documentElement.scrollWidth <= window.innerWidth"
    )  # the board scrolls, not the page

    # the menu, by tap: Tablets for Contoso straight to Proposal, a column out of sight
    qualification.get_by_role("button", name="Move “Tablets for Contoso” to a stage").tap()
    menu = phone.locator("#kanban-move-menu")
    expect(menu).to_be_visible()
    expect(menu.get_by_role("button", name="Qualification")).to_be_disabled()  # where it is already
    if SHOTS:
        phone.screenshot(path=f"{SHOTS}/kanban-menu-390.png")
    with phone.expect_response(re.compile(r"/move/$")):
        menu.get_by_role("button", name="Proposal").tap()
    expect(column(phone, "proposal").locator(".kanban-card", has_text="Tablets for Contoso")).to_have_count(1)
    expect(qualification.locator("[data-count]")).to_have_text("1")
    assert stage_of(tablets) == "proposal"

    # the board scrolled to show Proposal; back to its start, a finger drags Laptops into the next column
    phone.evaluate("document.getElementById('kanban').scrollLeft = 0")
    grip = qualification.locator(".kanban-card", has_text="Laptops for Northwind").locator(".kanban-grip")
    grip_box = grip.bounding_box()
    target = presentation.locator(".kanban-cards").bounding_box()
    assert target["x"] + 40 < PHONE["width"], "the next column is in view"
    with phone.expect_response(re.compile(r"/move/$")) as moved:
        touch_drag(
            phone,
            (grip_box["x"] + grip_box["width"] / 2, grip_box["y"] + grip_box["height"] / 2),
            (target["x"] + 40, target["y"] + 20),
        )
    assert moved.value.status == 200
    expect(presentation.locator(".kanban-card", has_text="Laptops for Northwind")).to_be_visible()
    expect(presentation.locator("[data-count]")).to_have_text("1")
    expect(qualification.locator("[data-count]")).to_have_text("0")
    assert stage_of(laptops) == "presentation"


def test_a_keyboard_user_moves_a_deal_with_the_move_to_stage_menu(page, alice):  # noqa: F811
    laptops = deal(alice, "Laptops for Northwind")
    log_in(page)
    page.goto("/opportunities/pipeline/")
    presentation = column(page, "presentation")

    toggle = page.get_by_role("button", name="Move “Laptops for Northwind” to a stage")
    toggle.focus()
    page.keyboard.press("Enter")
    expect(page.locator("#kanban-move-menu")).to_be_visible()
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/kanban-menu-1366.png")
    page.keyboard.press("ArrowDown")  # the first stage it may go to: its own (Qualification) is skipped
    expect(page.locator("#kanban-move-menu").get_by_role("button", name="Presentation")).to_be_focused()
    with page.expect_response(re.compile(r"/opportunities/pipeline/\?|/opportunities/pipeline/$")):  # the totals
        page.keyboard.press("Enter")
    expect(presentation.locator(".kanban-card", has_text="Laptops for Northwind")).to_be_visible()
    expect(presentation.locator("[data-count]")).to_have_text("1")
    expect(toggle).to_be_focused()  # the keyboard stays with the card
    assert stage_of(laptops) == "presentation"
    assert OpportunityStage.objects.get(code="presentation").pk == int(presentation.get_attribute("data-stage"))

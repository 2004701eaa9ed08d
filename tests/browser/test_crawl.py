"""The crawl: every kind of page (home, each section's list and tags, a record of it with every tab, its form, the
pipeline, the calendar, analytics, imports, designer, access, approvals, feed, notifications, search) with the demo
data, as the rep and as the administrator, at a desktop's and a phone's width. A page fails when it scrolls
sideways, when it is taller than the bound for its kind, or when the browser reports a console error or a failed
request (the `page` fixture fails the test on those).
"""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command
from django.urls import reverse
from playwright.sync_api import expect

from crm import access
from crm.core.demo import DEMO_PASSWORD
from crm.sections import registry
from tests.browser.test_phone_width import STICKING_OUT
from tests.factories.seeds import ensure_seeded

pytestmark = [pytest.mark.browser, pytest.mark.slow]

DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}
OVERFLOW = "document.documentElement.scrollWidth - window.innerWidth"
HEIGHT = "document.documentElement.scrollHeight"
#: the tallest page of each kind, in CSS pixels (a month of the calendar was 13,920 px before it was fixed); a
#: record page on a phone stacks its cards, tabs and timeline (an account of the demo: about 9,700 px)
BOUNDS = {"list": 6_000, "record": 12_000, "form": 9_000, "page": 6_000}


def _pages(user) -> list[tuple[str, str, str]]:
    """(kind, what, URL) of every kind of page `user` may open, one visible record per section."""
    pages = [("page", "home", reverse("home"))]
    for section in registry.all_sections():
        if not access.can(user, "read", section):
            continue
        pages.append(("list", f"{section.name} list", section.url("list")))
        pages.append(("page", f"{section.name} tags", section.url("tags")))
        record = access.visible(user, section.get_queryset()).order_by("pk").first()
        if record is not None:
            pages.append(("record", f"a record of {section.name}", section.url("detail", record.pk)))
        if access.can(user, "create", section):
            pages.append(("form", f"new {section.name}", section.url("create")))
    for name in (
        "opportunities:kanban",
        "opportunities:analytics",
        "leads:analytics",
        "activities:calendar",
        "imports:list",
        "imports:new",
        "approvals:inbox",
        "analytics:index",
        "analytics:goals",
        "feed:index",
        "notifications",
        "knowledge:browse",
        "projects:gantt_list",
        "projects:timesheet",
        "projects:analytics",
    ):
        pages.append(("page", name, reverse(name)))
    project = access.visible(user, registry.get("projects").get_queryset()).order_by("pk").first()
    if project is not None:
        pages.append(("page", "a project's Gantt chart", reverse("projects:gantt", args=[project.pk])))
    pages.append(("page", "search", reverse("search") + "?q=an"))
    pages.append(("page", "knowledge search", reverse("knowledge:search") + "?q=discount"))
    article = access.visible(user, registry.get("knowledge").get_queryset()).order_by("pk").first()
    if article is not None:
        pages.append(("record", "knowledge:read", reverse("knowledge:read", args=[article.pk])))
        pages.append(("page", "knowledge:history", reverse("knowledge:history", args=[article.pk])))
    pages.append(("page", "the opportunities' dashboards", reverse("opportunities:list") + "?view=dashboards"))
    if user.is_superuser:
        names = ("designer:index", "designer:custom_sections", "access:users", "approvals:routes")
        pages += [("page", name, reverse(name)) for name in names]
        pages.append(("form", "new section (section wizard)", reverse("designer:custom_section_create")))
        pages.append(("form", "new field", reverse("designer:field_create", args=["site_visits"])))
        # the system designer's pages of a section, the Lookups page and a table's values, configuration as data
        designer = (
            "designer:rules",
            "designer:rule_create",
            "designer:layout",
            "designer:details",
            "designer:detail_create",
        )
        pages += [("page", name, reverse(name, args=["opportunities"])) for name in designer]
        pages += [
            ("page", "designer:lookups", reverse("designer:lookups")),
            ("page", "designer:lookup", reverse("designer:lookup", args=["accounts.industry"])),
            ("page", "designer:configuration", reverse("designer:configuration")),
        ]
    return pages


@pytest.fixture
def demo(transactional_db):
    ensure_seeded()  # the lookups the migrations made, which a browser test before may have flushed
    call_command("seed_demo", verbosity=0)


def log_in_as(page, username: str) -> None:
    page.goto("/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name=re.compile("Good to see you"))).to_be_visible()


def _look(page, kind: str, what: str, problems: list[str]) -> None:
    overflow = page.evaluate(OVERFLOW)
    if overflow > 0:
        problems.append(f"{what} scrolls sideways by {overflow}px: {page.evaluate(STICKING_OUT)}")
    height = page.evaluate(HEIGHT)
    if height > BOUNDS[kind]:
        problems.append(f"{what} is {height}px tall (bound {BOUNDS[kind]})")


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1366x900", "390x844"])
@pytest.mark.parametrize("username", ["alice", "admin"])
def test_every_kind_of_page_fits_its_screen_and_the_browser_reports_nothing(page, demo, username, viewport):
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.get(username=username)
    log_in_as(page, username)
    problems: list[str] = []
    pages = _pages(user)
    assert len(pages) > 30, pages  # the crawl reaches every section: it cannot pass by opening nothing
    for kind, what, url in pages:
        page.goto(url)
        page.wait_for_load_state("networkidle")
        _look(page, kind, what, problems)
        if kind == "record":
            tabs = page.locator("#record-tabs a[href]")
            for index in range(tabs.count()):
                tab = tabs.nth(index)
                if not tab.is_visible() and page.locator("#record-tabs-more").is_visible():
                    page.locator("#record-tabs-more").click()  # a tab folded into the "More" menu
                if not tab.is_visible():
                    continue
                label = tab.inner_text().strip()
                tab.click()
                page.wait_for_load_state("networkidle")
                _look(page, kind, f"{what}, tab {label}", problems)
    assert problems == [], "\n".join(problems)

"""The crawl: every kind of page (home, each section's list and tags, a record of it with every tab and the pages
its header's actions open, its form, the pipeline, the calendar, analytics, imports and the mapping of an uploaded
file, designer and its section pages, access screens, approvals, feed, notifications, search) with the demo data,
as the rep and as the administrator, at a desktop's and a phone's width (one login each, both widths in turn). A
page fails when it scrolls sideways, when it is taller than the bound for its kind, or when the browser reports a
console error or a failed request (the `page` fixture fails the test on those).
"""

from __future__ import annotations

import re
import time
from urllib.parse import urlsplit

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import Resolver404, resolve, reverse
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from crm import access
from crm.core.demo import DEMO_PASSWORD
from crm.sections import registry
from tests.browser.test_phone_width import STICKING_OUT
from tests.factories.seeds import ensure_seeded

pytestmark = [pytest.mark.browser, pytest.mark.slow]

DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}
#: how far the page scrolls sideways and how tall it is, in one call
MEASURE = "() => [document.documentElement.scrollWidth - window.innerWidth, document.documentElement.scrollHeight]"
#: a page has settled when none of its requests has been in flight for this long (htmx asks for the next part
#: within its 20 ms settle delay); Playwright's "networkidle" waited 500 ms after every page, the crawl's biggest
#: cost, and did not wait at all for a tab loaded by htmx once the page it is on had been idle
QUIET_SECONDS = 0.05
#: a record tab as the crawl sees it, in one call: shown (as Playwright's is_visible has it), its label, whether
#: it lies in the open "More" menu, and whether the "More" toggle is shown
TAB_STATE = """tab => {
    const shown = element => {
        const box = element.getBoundingClientRect();
        return box.width > 0 && box.height > 0 && getComputedStyle(element).visibility !== "hidden";
    };
    const more = document.querySelector("#record-tabs-more");
    return {
        shown: shown(tab),
        label: tab.innerText.trim(),
        inMenu: tab.classList.contains("dropdown-item"),
        moreShown: more !== null && shown(more),
    };
}"""
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
        pages += _designer_section_pages()
        pages += _access_pages()
    pages += _import_mapping(user)
    return pages


def _designer_section_pages() -> list[tuple[str, str, str]]:
    """The designer's pages of a section: its fields (of a built-in and of a runtime section), a field's form and
    a runtime section's form."""
    from crm.designer.models import CustomSection, FieldDefinition

    pages = [("page", f"designer:section {name}", reverse("designer:section", args=[name])) for name in ("accounts",)]
    custom = CustomSection.objects.order_by("pk").first()
    if custom is not None:
        pages.append(
            ("form", "designer:custom_section_update", reverse("designer:custom_section_update", args=[custom.pk]))
        )
        pages.append(("page", f"designer:section {custom.code}", reverse("designer:section", args=[custom.code])))
    field = FieldDefinition.objects.order_by("pk").first()
    if field is not None:
        pages.append(("form", "designer:field_update", reverse("designer:field_update", args=[field.pk])))
    return pages


def _access_pages() -> list[tuple[str, str, str]]:
    """The access screens: roles, a role, object, operation, record and column rights, delegations, a user."""
    from django.contrib.auth import get_user_model

    from crm.access.models import Role

    names = ("access:roles", "access:object_rights", "access:operation_rights", "access:record_rights")
    pages = [("page", name, reverse(name)) for name in (*names, "access:column_rights", "access:delegations")]
    role = Role.objects.filter(parent__isnull=False).order_by("pk").first() or Role.objects.order_by("pk").first()
    if role is not None:
        pages.append(("page", "access:role", reverse("access:role", args=[role.pk])))
    rep = get_user_model().objects.filter(username="alice").first()
    if rep is not None:
        pages.append(("page", "access:user", reverse("access:user", args=[rep.pk])))
    return pages


#: a file to import: its mapping page matches the header to the contacts' fields and asks about the rest
CONTACTS_CSV = (
    "Given name,Surname,E-mail,Mobile phone,Account,Job title,Something else\n"
    "Rosa,García,rosa.garcia@example.com,+34 600 000 001,Northwind Traders,Buyer,x\n"
    "Henry,Rossi,henry.rossi@example.com,+39 300 000 002,Nova Logistics,CFO,y\n"
)


def _import_mapping(user) -> list[tuple[str, str, str]]:
    """The mapping page of a CSV `user` uploaded to the contacts (nothing when they may not import there)."""
    from crm.imports import services

    upload = SimpleUploadedFile("contacts.csv", CONTACTS_CSV.encode(), content_type="text/csv")
    try:
        job = services.create_job(user=user, section_name="contacts", upload=upload)
    except PermissionDenied:
        return []
    return [("form", "the mapping of an uploaded CSV", reverse("imports:map", args=[job.pk]))]


#: record actions that open the same page in every section
SHARED_ACTIONS = ("select_products",)


def _action_kind(url: str, seen: set[str]) -> str | None:
    """The kind of the page a record's action link opens, or None to skip it: a page of ours not seen yet (an
    edit form is the kind of the section's new form, which the crawl opens already)."""
    path = urlsplit(url).path
    try:
        match = resolve(path)
    except Resolver404:
        return None
    # the product selection is one page of every section that has products: its kind once
    key = match.url_name if match.url_name in SHARED_ACTIONS else match.view_name
    if key in seen or match.url_name == "update":
        return None
    seen.add(key)
    return "form" if match.url_name in SHARED_ACTIONS else "page"


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


class Traffic:
    """The page's requests in flight, to wait until it has settled."""

    def __init__(self, page):
        self.page = page
        self.in_flight: set = set()
        page.on("request", self._started)
        page.on("requestfinished", self._ended)
        page.on("requestfailed", self._ended)

    def _started(self, request) -> None:
        self.in_flight.add(request)

    def _ended(self, request) -> None:
        self.in_flight.discard(request)

    def settle(self, timeout: float = 10.0) -> None:
        """Wait until no request has been in flight for QUIET_SECONDS (the events arrive while Playwright waits)."""
        deadline = time.monotonic() + timeout
        quiet_since = None
        while True:
            self.page.wait_for_timeout(20)
            now = time.monotonic()
            if self.in_flight:
                quiet_since = None
                if now > deadline:
                    raise AssertionError(f"still loading: {[request.url for request in self.in_flight]}")
            elif quiet_since is None:
                quiet_since = now
            elif now - quiet_since >= QUIET_SECONDS:
                return


def _look(page, kind: str, what: str, problems: list[str]) -> None:
    overflow, height = page.evaluate(MEASURE)
    if overflow > 0:
        problems.append(f"{what} scrolls sideways by {overflow}px: {page.evaluate(STICKING_OUT)}")
    if height > BOUNDS[kind]:
        problems.append(f"{what} is {height}px tall (bound {BOUNDS[kind]})")


def _open(page, url: str, traffic: Traffic) -> bool:
    """Go to `url` and wait for it to settle; False when it is a download rather than a page."""
    try:
        response = page.goto(url)
    except PlaywrightError as error:
        if "Download is starting" in str(error):
            return False
        raise
    if response is not None and "text/html" not in (response.headers.get("content-type") or ""):
        return False
    traffic.settle()
    return True


def _click_clear_of_the_top_bar(locator) -> None:
    """Click in the middle of the screen: scrolled just into view, a tab (or the "More" menu opened upwards) lies
    under the sticky top bar on a phone. The scroll is instant: Bootstrap scrolls smoothly, and Playwright waits
    for the element to stop moving before it clicks."""
    locator.evaluate("element => element.scrollIntoView({block: 'center', behavior: 'instant'})")
    locator.click()


def _open_more_menu(page) -> None:
    """Open the "More" menu of folded tabs with its toggle near the top of the screen, below the sticky top bar:
    the menu (fixed, at most half the screen tall) then lies on the screen whole."""
    page.locator("#record-tabs-more").evaluate(
        "element => { element.scrollIntoView({block: 'start', behavior: 'instant'});"
        " window.scrollBy({top: -120, behavior: 'instant'}); }"
    )
    page.locator("#record-tabs-more").click()


def _crawl_record(page, traffic: Traffic, kind: str, what: str, problems: list[str], seen_actions: set[str]) -> None:
    """Every tab of the record page open, then the pages its header's actions open (each kind once)."""
    tabs = page.locator("#record-tabs a[href]")
    actions = page.locator("#record-actions a[href]").evaluate_all("links => links.map(a => a.href)")
    for index in range(tabs.count()):
        tab = tabs.nth(index)
        state = tab.evaluate(TAB_STATE)
        if not state["shown"] and state["moreShown"]:
            _open_more_menu(page)  # a tab folded into the "More" menu
            state = tab.evaluate(TAB_STATE)
        if not state["shown"]:
            continue
        if state["inMenu"]:
            tab.click()  # in the open menu: it scrolls inside the menu
        else:
            _click_clear_of_the_top_bar(tab)
        traffic.settle()
        _look(page, kind, f"{what}, tab {state['label']}", problems)
    for url in actions:
        action_kind = _action_kind(url, seen_actions)
        if action_kind is not None and _open(page, url, traffic):
            _look(page, action_kind, f"{what}, action {urlsplit(url).path}", problems)


@pytest.mark.parametrize("username", ["alice", "admin"])
def test_every_kind_of_page_fits_its_screen_and_the_browser_reports_nothing(page, demo, username):
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.get(username=username)
    traffic = Traffic(page)
    log_in_as(page, username)
    problems: list[str] = []
    pages = _pages(user)
    assert len(pages) > 30, pages  # the crawl reaches every section: it cannot pass by opening nothing
    kinds = {what for _, what, _ in pages}
    assert "the mapping of an uploaded CSV" in kinds
    if user.is_superuser:
        assert {"access:roles", "access:role", "access:column_rights", "designer:field_update"} <= kinds
    opened_actions = 0
    for viewport in (DESKTOP, PHONE):
        page.set_viewport_size(viewport)
        size = f"{viewport['width']}x{viewport['height']}"
        seen_actions: set[str] = set()
        for kind, what, url in pages:
            assert _open(page, url, traffic), f"{what} ({url}) is not a page"
            _look(page, kind, f"{what} at {size}", problems)
            if kind == "record":
                _crawl_record(page, traffic, kind, f"{what} at {size}", problems, seen_actions)
        opened_actions += len(seen_actions)
    assert opened_actions > 4, "the records' action links were not followed"
    assert problems == [], "\n".join(problems)

"""Playwright on Debian's chromium against pytest-django's live server.

The `page` fixture fails the test on any JavaScript error, console error (CSP violations included), failed
request or HTTP error response, except the statuses a test declares with `expect_http_error`.
"""

import os
import re

import pytest

# Playwright's sync API runs an event loop in this thread; the ORM calls of the fixtures are still synchronous.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
TIMEOUT_MS = 10_000
journal_key = pytest.StashKey["BrowserJournal"]()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    """A problem the browser reported fails the test itself (not only its teardown)."""
    result = yield
    journal = item.stash.get(journal_key, None)
    problems = journal.problems() if journal else []
    if problems:
        journal.clear()
        raise AssertionError("The browser reported problems:\n" + "\n".join(problems))
    return result


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api")
    if not os.path.exists(CHROMIUM):
        pytest.skip(f"{CHROMIUM} is not installed (.ci/run installs it)")
    # an assertion waits as long as an action does: on CI's two busy cores an htmx swap can take over the
    # default 5 s (a tag filter's list, once, at 390 px)
    sync_api.expect.set_options(timeout=TIMEOUT_MS)
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def expected_http_errors() -> list[tuple[int, str]]:
    """(status, part of the URL) pairs a test expects, e.g. (404, "/accounts/999/")."""
    return []


@pytest.fixture
def expect_http_error(expected_http_errors):
    """`expect_http_error(404, "/accounts/999/")`: that error response does not fail the test. (A page that is
    not our shell, such as Django's plain 404 page, also makes the browser ask for /favicon.ico.)"""

    def expect(status: int, url_part: str) -> None:
        expected_http_errors.append((status, url_part))

    return expect


@pytest.fixture
def viewport() -> dict:
    return {"width": 1366, "height": 900}


class BrowserJournal:
    """What went wrong in the browser. A download ends its navigation with ERR_ABORTED: that one is expected."""

    def __init__(self, expected_http_errors: list[tuple[int, str]]):
        self.expected_http_errors = expected_http_errors
        self.reported: list[str] = []
        self.failed_requests: list[tuple[str, str]] = []
        self.downloads: set[str] = set()

    def expected(self, status: int, url: str) -> bool:
        return any(status == expected and part in url for expected, part in self.expected_http_errors)

    def console(self, message) -> None:
        if message.type != "error":
            return
        url = message.location.get("url", "")
        status = re.search(r"responded with a status of (\d+)", message.text)
        if status and self.expected(int(status.group(1)), url):
            return  # the browser's own note about an error response the test expects
        self.reported.append(f"console error: {message.text} ({url})")

    def response(self, response) -> None:
        if response.status >= 400 and not self.expected(response.status, response.url):
            self.reported.append(f"HTTP {response.status}: {response.request.method} {response.url}")

    def problems(self) -> list[str]:
        failed = [
            f"request failed: {url} {failure}"
            for url, failure in self.failed_requests
            if not (failure == "net::ERR_ABORTED" and (url in self.downloads or _dropped_in_passing(url)))
        ]
        return self.reported + failed

    def clear(self) -> None:
        self.reported.clear()
        self.failed_requests.clear()


def _dropped_in_passing(url: str) -> bool:
    """A request the browser drops when the page navigates on: a static file (the favicon, a stylesheet), a
    record page's tab still loading by htmx, or a type-ahead search that the next keystroke or the next page
    superseded (app.js aborts it itself). An error of the tab or the search itself would show as an HTTP status."""
    return "/static/" in url or url.endswith("/favicon.ico") or "/tab/" in url or "/lookup/?q=" in url


@pytest.fixture
def page(request, browser, live_server, viewport, expected_http_errors):
    context = browser.new_context(base_url=live_server.url, viewport=viewport, accept_downloads=True)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    journal = BrowserJournal(expected_http_errors)
    request.node.stash[journal_key] = journal
    page.on("console", journal.console)
    page.on("pageerror", lambda error: journal.reported.append(f"JavaScript error: {error}"))
    page.on("requestfailed", lambda failed: journal.failed_requests.append((failed.url, failed.failure or "")))
    page.on("download", lambda download: journal.downloads.add(download.url))
    page.on("response", journal.response)
    yield page
    context.close()
    assert journal.problems() == [], "The browser reported problems after the test:\n" + "\n".join(journal.problems())

"""Tags in a real browser: a rep tags contacts in bulk from the list, filters the list by the tag and tags one
more on its record page; another rep sees the same contacts and not the private tag."""

import re

import pytest
from playwright.sync_api import expect

from tests.factories import ContactFactory, UserFactory
from tests.factories.customers import ensure_customer_lookups

from .helpers import log_in

pytestmark = pytest.mark.browser

SHOTS = "/tmp/var-tags"


@pytest.fixture
def reps(transactional_db):
    ensure_customer_lookups()  # a transactional test before may have flushed them
    alice = UserFactory(username="alice", first_name="Alice", last_name="Archer")
    bob = UserFactory(username="bob", first_name="Bob", last_name="Baker")
    for name in ("Ann Lee", "Ben Ode", "Cleo Park", "Dan Ruiz"):
        given, surname = name.split()
        ContactFactory(owner=alice, given_name=given, surname=surname, full_name=name)
    return alice, bob


@pytest.fixture(params=[1366, 390], ids=["desktop", "phone"])
def viewport(request) -> dict:
    return {"width": request.param, "height": 900}


def row(page, name: str):
    return page.locator("#list-table tbody tr").filter(has_text=name)


def test_a_rep_tags_contacts_in_bulk_and_filters_by_the_tag_which_another_rep_never_sees(
    page, browser, live_server, reps, viewport
):
    log_in(page, "alice")
    page.goto("/contacts/")

    # two contacts chosen in the list, tagged from the bulk bar with a new tag (it becomes alice's private tag)
    row(page, "Ann Lee").locator('input[name="ids"]').check()
    row(page, "Cleo Park").locator('input[name="ids"]').check()
    page.locator("#bulk-tags-toggle").click()
    page.locator("#bulk-tag-names").fill("Golf partner")
    page.locator("#bulk-add-tags").click()
    expect(page.locator("#messages")).to_contain_text("Tagged 2 record(s) with “Golf partner”")
    expect(row(page, "Ann Lee").locator(".tag-badge")).to_have_text("Golf partner")
    expect(row(page, "Ben Ode").locator(".tag-badge")).to_have_count(0)

    # the list filtered by the tag shows those two only
    if page.locator("#filter-toggle").is_visible():  # on a phone the filters wait behind a button
        page.locator("#filter-toggle").click()
    page.locator("#tag-filter").get_by_text("Golf partner").click()
    expect(page.locator("#list-table tbody tr")).to_have_count(2)
    expect(page.locator("#record-count")).to_have_text("2 records")
    expect(page).to_have_url(re.compile(r"tags=\d+"))
    page.screenshot(path=f"{SHOTS}/tags-list-{viewport['width']}.png", full_page=True)

    # one more, on its record page, in place
    page.goto("/contacts/?reset=1")  # the list's filters forgotten
    row(page, "Dan Ruiz").locator("a.record-link").click()
    page.locator("#record-tag-input").fill("golf partner")
    page.locator("#record-tag-add").click()
    expect(page.locator("#record-tags .tag-badge")).to_have_text("Golf partner")
    page.screenshot(path=f"{SHOTS}/tags-record-{viewport['width']}.png", full_page=False)
    page.goto("/contacts/tags/")
    expect(page.locator("#private-tags")).to_contain_text("Golf partner")
    page.screenshot(path=f"{SHOTS}/tags-screen-{viewport['width']}.png", full_page=True)

    # bob sees alice's contacts, and nothing of her private tag: not in the list, its filter or a record page
    context = browser.new_context(base_url=live_server.url, viewport=viewport)
    other = context.new_page()
    log_in(other, "bob")
    other.goto("/contacts/")
    expect(other.locator("#list-table tbody tr")).to_have_count(4)
    expect(other.locator("body")).not_to_contain_text("Golf partner")
    row(other, "Ann Lee").locator("a.record-link").click()
    expect(other.locator("#record-title")).to_have_text("Ann Lee")
    expect(other.locator("body")).not_to_contain_text("Golf partner")
    other.goto("/contacts/tags/")
    expect(other.locator("body")).not_to_contain_text("Golf partner")
    context.close()

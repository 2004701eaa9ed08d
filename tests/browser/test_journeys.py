"""Whole user journeys in a real browser: a sales rep's day in the lists, a record, its form and the search."""

import io
import re
from pathlib import Path

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from accounts.models import Industry
from crm.sections import registry
from tests.browser.helpers import open_tab
from tests.factories import AccountFactory, ContactFactory, UserFactory
from tests.factories.core import PASSWORD


@pytest.fixture
def alice(transactional_db):
    return UserFactory(username="alice", first_name="Alice", last_name="Archer")


@pytest.fixture
def book(alice):
    """Alice's accounts: two she knows by name and enough others to fill more than one page."""
    retail, _ = Industry.objects.get_or_create(name="Retail")  # a transactional test before may have emptied it
    northwind = AccountFactory(name="Northwind Traders", city="Seattle", industry=retail, owner=alice)
    AccountFactory(name="Contoso Pharmaceuticals", city="Basel", owner=alice)
    for number in range(30):
        AccountFactory(name=f"Zephyr Client {number:02d}", city="Oslo", owner=alice)
    ContactFactory(given_name="Nancy", surname="Davolio", job_title="Buyer", account=northwind, owner=alice)
    return northwind


def log_in(page, username: str = "alice") -> None:
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/auth/login/\?next=/$"))
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Good to see you, Alice")).to_be_visible()


def list_rows(page):
    return page.locator("#list-table tbody tr")


def test_a_sales_rep_works_through_lists_a_record_export_and_search(page, live_server, book):
    log_in(page)

    # every section's list opens from the left navigation
    navigation = page.locator("#sidebar")
    for section in registry.all_sections():
        navigation.get_by_role("link", name=section.title, exact=True).click()
        expect(page).to_have_url(f"{live_server.url}/{section.name}/")
        expect(page.get_by_role("heading", level=1)).to_contain_text(section.title)
        expect(page.locator("#list-table")).to_be_visible()

    navigation.get_by_role("link", name="Accounts", exact=True).click()
    expect(page.locator("#record-count")).to_have_text("32 records")

    # page: Next swaps the table and keeps a URL that can be bookmarked
    page.locator("#next-page").click()
    expect(page).to_have_url(re.compile(r"/accounts/\?page=2$"))
    expect(list_rows(page)).to_have_count(7)

    # filter: choosing an industry swaps the table
    page.locator("#filter-form").get_by_label("Industry").select_option(label="Retail")
    expect(page).to_have_url(re.compile(r"industry=\d+"))
    expect(list_rows(page)).to_have_count(1)
    expect(list_rows(page).first).to_contain_text("Northwind Traders")
    page.get_by_role("link", name="Reset").click()

    # sort: clicking a header sorts by it, clicking again reverses it
    page.locator("#list-table thead").get_by_role("link", name="City").click()
    expect(page).to_have_url(re.compile(r"sort=city"))
    expect(list_rows(page).first).to_contain_text("Basel")
    page.locator("#list-table thead").get_by_role("link", name="City").click()
    expect(page).to_have_url(re.compile(r"sort=-city"))
    expect(list_rows(page).first).to_contain_text("Seattle")

    # quick search, with a URL that can be bookmarked and reloaded
    page.get_by_label("Quick search").fill("northwind")
    expect(page).to_have_url(re.compile(r"q=northwind"))
    expect(list_rows(page)).to_have_count(1)
    page.reload()
    expect(list_rows(page)).to_have_count(1)
    expect(page.get_by_label("Quick search")).to_have_value("northwind")

    # export what is shown
    page.locator("#list-actions").click()
    with page.expect_download() as download_info:
        page.locator("#export-xlsx").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".xlsx")
    workbook = load_workbook(io.BytesIO(Path(download.path()).read_bytes()), read_only=True)
    exported = [list(row) for row in workbook.active.iter_rows(values_only=True)]
    assert exported[0][:3] == ["Name", "Code", "Type"]
    assert [row[0] for row in exported[1:]] == ["Northwind Traders"]

    # open the record and its contact
    page.locator("#list-table").get_by_role("link", name="Northwind Traders").click()
    expect(page.locator("#record-title")).to_have_text("Northwind Traders")
    open_tab(page, "Contacts")
    expect(page).to_have_url(re.compile(r"\?tab=contacts$"))
    expect(page.locator("#tab-content")).to_contain_text("Nancy Davolio")
    page.locator("#tab-content").get_by_role("link", name="Nancy Davolio").click()
    expect(page.locator("#record-title")).to_have_text("Nancy Davolio")

    # edit it: pick another account with the type-ahead lookup, change the job title, save
    page.locator("#edit-record").click()
    page.locator("#id_account-search").fill("Contoso")
    page.locator(".lookup-results").get_by_role("button", name="Contoso Pharmaceuticals").click()
    expect(page.locator("#id_account-search")).to_have_value("Contoso Pharmaceuticals")
    page.get_by_label("Job title").fill("Head of Procurement")
    page.locator("#save-record").click()
    expect(page.locator("#record-title")).to_have_text("Nancy Davolio")
    expect(page.locator('[data-field="account"]')).to_have_text("Contoso Pharmaceuticals")
    expect(page.locator('[data-field="job_title"]')).to_have_text("Head of Procurement")

    # the change log tab says who changed what from what to what
    open_tab(page, "Change log")
    expect(page).to_have_url(re.compile(r"\?tab=history$"))
    change_log = page.locator("#change-log")
    expect(change_log.locator("tr", has_text="Job title")).to_contain_text("Buyer")
    expect(change_log.locator("tr", has_text="Job title")).to_contain_text("Head of Procurement")
    expect(change_log.locator("tr", has_text="Account")).to_contain_text("Northwind Traders")
    expect(change_log).to_contain_text("Alice Archer")

    # global search from the top bar
    page.get_by_label("Search", exact=True).fill("davolio")
    page.locator("#search-hits").get_by_role("link", name=re.compile("Nancy Davolio")).click()
    expect(page.locator("#record-title")).to_have_text("Nancy Davolio")

    # log out
    page.locator("#user-menu").click()
    page.get_by_role("button", name="Log out").click()
    expect(page).to_have_url(re.compile(r"/auth/login/$"))
    expect(page.get_by_role("button", name="Log in")).to_be_visible()


@pytest.mark.parametrize("viewport", [{"width": 375, "height": 740}])
def test_on_a_phone_the_navigation_opens_from_the_toggler(page, live_server, alice, viewport):
    log_in(page)
    contacts_link = page.locator("#sidebar").get_by_role("link", name="Contacts", exact=True)
    expect(contacts_link).to_be_hidden()

    page.get_by_role("button", name="Menu").click()
    expect(contacts_link).to_be_visible()
    contacts_link.click()

    expect(page).to_have_url(f"{live_server.url}/contacts/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Contacts")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"the page scrolls sideways on a phone ({width}px wide)"

"""The section wizard end to end: an administrator makes a "Competitor analysis" section with a lookup to accounts,
a choice and a money field; a rep adds records, filters, sorts, exports and imports them."""

import re

import pytest
from playwright.sync_api import expect

from crm.sections import registry
from tests.browser.helpers import log_in, workbook
from tests.factories import AccountFactory, UserFactory
from tests.factories.seeds import ensure_seeded

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture
def people(transactional_db):
    ensure_seeded()
    ada = UserFactory(username="ada", first_name="Ada", last_name="Admin", is_staff=True, is_superuser=True)
    alice = UserFactory(username="alice", first_name="Alice", last_name="Archer")
    AccountFactory(owner=alice, name="Contoso Pharmaceuticals")
    AccountFactory(owner=alice, name="Northwind Traders")
    return ada, alice


def add_field(page, code: str, label: str, kind: str, *, options: str = "", target: str = "") -> None:
    page.locator("#new-field").click()
    page.get_by_label("Code").fill(code)
    page.get_by_label("Label").fill(label)
    page.get_by_label("Type").select_option(kind)
    if options:
        page.get_by_label("Options").fill(options)
    if target:
        page.locator("#id_target").select_option(target)
    page.locator("#save-field").click()
    expect(page.locator("#custom-fields")).to_contain_text(label)


def add_record(page, name: str, account: str, strength: str, budget: str) -> None:
    page.goto("/competitor_analysis/new/")
    page.locator("#id_name").fill(name)
    page.locator("#id_custom__account-search").fill(account.split()[0])
    page.locator(".lookup-results").get_by_role("button", name=account).click()
    page.locator("#id_custom__strength").select_option(strength)
    page.locator("#id_custom__budget").fill(budget)
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator("#record-title")).to_have_text(name)


def test_an_administrator_makes_a_section_that_a_rep_fills_filters_sorts_exports_and_imports(page, people):
    log_in(page, "ada")
    page.goto("/designer/")
    page.locator('[data-tool="designer:custom_sections"]').click()
    page.locator("#new-section").click()
    page.locator("#id_title").fill("Competitor analysis")
    page.locator("#id_code").fill("competitor_analysis")
    page.locator("#id_icon").select_option("bi-trophy")
    page.locator("#save-section").click()
    expect(page.get_by_role("heading", name=re.compile("Competitor analysis: custom fields"))).to_be_visible()
    add_field(page, "account", "Account", "lookup", target="accounts")
    add_field(page, "strength", "Strength", "choice", options="Weak\nStrong")
    add_field(page, "budget", "Budget", "decimal")
    page.screenshot(path="/tmp/sections-wizard-fields.png", full_page=True)

    page.context.clear_cookies()  # the rep's turn
    log_in(page, "alice")
    expect(page.get_by_role("link", name="Competitor analysis", exact=True).first).to_be_visible()
    add_record(page, "Initech", "Contoso Pharmaceuticals", "Strong", "1200.50")
    expect(page.locator('[data-field="custom__account"]')).to_have_text("Contoso Pharmaceuticals")
    add_record(page, "Globex", "Northwind Traders", "Weak", "300")

    page.goto("/competitor_analysis/")
    expect(page.locator("table thead")).to_contain_text("Budget")
    page.locator("#id_custom__strength").select_option("Strong")
    page.get_by_role("button", name="Apply").click()
    expect(page.locator("table tbody")).to_contain_text("Initech")
    expect(page.locator("table tbody")).not_to_contain_text("Globex")
    page.wait_for_load_state("networkidle")  # the filtered list's own requests end before the next page

    page.goto("/competitor_analysis/?sort=-custom__budget")
    expect(page.locator("table tbody tr").first).to_contain_text("Initech")
    page.goto("/competitor_analysis/?sort=custom__budget")
    expect(page.locator("table tbody tr").first).to_contain_text("Globex")
    page.screenshot(path="/tmp/sections-list-1366.png", full_page=True)

    page.goto("/competitor_analysis/")
    page.get_by_role("button", name="Actions").click()
    with page.expect_download() as download:
        page.locator("#export-csv").click()
    with open(download.value.path(), encoding="utf-8-sig") as exported:
        text = exported.read()
    assert "Initech" in text and "Strong" in text and "Contoso Pharmaceuticals" in text

    page.get_by_role("button", name="Actions").click()
    page.get_by_role("link", name="Import from Excel or CSV").click()
    content = workbook([["Name", "Account", "Strength", "Budget"], ["Umbrella", "Northwind Traders", "strong", 99]])
    page.locator('input[type="file"]').set_input_files(
        files=[{"name": "rivals.xlsx", "mimeType": "application/octet-stream", "buffer": content}]
    )
    page.locator("#upload-submit").click()
    expect(page.get_by_role("heading", name=re.compile("Map the columns"))).to_be_visible()
    page.locator("#start-import").click()
    expect(page.locator("#import-status")).to_have_text("Completed")
    expect(page.locator("#count-created")).to_have_text("1")

    model = registry.get("competitor_analysis").model
    imported = model._default_manager.get(name="Umbrella")
    northwind = registry.get("accounts").model._default_manager.get(name="Northwind Traders")
    # the lookup's cell names the account: found by its name among those the rep may see
    assert imported.custom["account"] == northwind.pk
    assert imported.custom["strength"] == "Strong" and imported.custom["budget"] == "99.00"

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/competitor_analysis/")
    page.screenshot(path="/tmp/sections-list-390.png", full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0

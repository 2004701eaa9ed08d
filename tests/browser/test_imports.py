"""Importing contacts from Excel in a browser: upload from the list, map a column by hand, dry run, import with
the progress bar, download the refused row, fix it and import it again (the mapping is remembered)."""

import io
import re
from pathlib import Path

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from accounts.models import Account
from contacts.models import Contact
from tests.browser.helpers import log_in, workbook
from tests.factories import UserFactory
from tests.factories.seeds import ensure_seeded


@pytest.fixture
def alice(transactional_db):
    ensure_seeded()
    return UserFactory(username="alice", first_name="Alice", last_name="Archer")


def upload(page, content: bytes, name: str) -> None:
    page.goto("/contacts/")
    page.get_by_role("button", name="Actions").click()
    page.get_by_role("link", name="Import from Excel or CSV").click()
    page.locator('input[type="file"]').set_input_files(
        files=[{"name": name, "mimeType": "application/octet-stream", "buffer": content}]
    )
    page.locator("#upload-submit").click()
    expect(page.get_by_role("heading", name=re.compile("Map the columns"))).to_be_visible()


def test_a_rep_imports_contacts_fixes_the_refused_row_and_imports_it_again(page, alice):
    Account.objects.create(name="Northwind", owner=alice, created_by=alice, modified_by=alice, code="A-1")
    rows = [
        ["First name", "Last name", "Firma", "E-mail"],
        ["Ann", "Lee", "Northwind", "ann@x.example"],
        ["Bo", "Ma", "Northwind", "bo-at-x.example"],
    ]
    log_in(page)
    upload(page, workbook(rows), "people.xlsx")

    # "Firma" is no name the CRM knows: map it to the account by hand; the others are matched by their headers
    page.locator('select[data-column="2"]').select_option("account")
    page.locator("#dry-run").click()
    expect(page.locator('#dry-run-result [data-count="create"]')).to_have_text("1")
    expect(page.locator('#dry-run-result [data-count="refuse"]')).to_have_text("1")
    expect(page.locator("#dry-run-result")).to_contain_text("is not an email address")
    assert not Contact.objects.exists()

    page.locator("#start-import").click()
    expect(page.locator("#import-status")).to_have_text("Completed")
    expect(page.locator('progress[aria-label="Import progress"]')).to_have_attribute("value", "100")
    expect(page.locator("#count-created")).to_have_text("1")
    expect(page.locator("#count-refused")).to_have_text("1")

    with page.expect_download() as download:
        page.locator("#download-refused").click()
    refused = load_workbook(io.BytesIO(download.value.path().read_bytes())).active
    header, row = [list(r) for r in refused.iter_rows(values_only=True)]
    assert header[-1] == "Reason" and row[:4] == ["Bo", "Ma", "Northwind", "bo-at-x.example"]
    fixed = [header[:-1], [*row[:3], "bo@x.example"]]

    upload(page, workbook(fixed), "people-fixed.xlsx")
    expect(page.locator('select[data-column="2"]')).to_have_value("account")  # remembered from the first import
    page.locator("#start-import").click()
    expect(page.locator("#import-status")).to_have_text("Completed")
    expect(page.locator("#count-created")).to_have_text("1")
    expect(page.locator("#count-refused")).to_have_text("0")

    assert set(Contact.objects.values_list("full_name", "account__name")) == {
        ("Ann Lee", "Northwind"),
        ("Bo Ma", "Northwind"),
    }


def test_a_catalogue_brings_its_products_with_their_price_list_prices(page, alice):
    from products.models import ProductPrice

    rows = [["SKU", "Product name", "List price", "VIP price", "Currency"], ["CAT-1", "Anvil", 12.5, "11,00", "eur"]]
    log_in(page)
    page.goto("/products/")
    page.get_by_role("button", name="Actions").click()
    page.get_by_role("link", name="Import from Excel or CSV").click()
    page.locator('input[type="file"]').set_input_files(
        files=[{"name": "catalogue.xlsx", "mimeType": "application/octet-stream", "buffer": workbook(rows)}]
    )
    page.locator("#upload-submit").click()

    # every column is matched by what catalogues call it, and the product code is the key
    expect(page.locator('select[data-column="0"]')).to_have_value("code")
    expect(page.locator('select[data-column="3"] option:checked')).to_have_text("Price in VIP list")
    expect(page.locator('input[name="keys"][value="code"]')).to_be_checked()
    page.locator("#dry-run").click()
    expect(page.locator("#dry-run-result")).to_contain_text("Price in VIP list: 11.00; Currency: EUR")
    page.locator("#start-import").click()
    expect(page.locator("#import-status")).to_have_text("Completed")
    expect(page.locator("#count-created")).to_have_text("1")

    page.goto("/products/")
    page.get_by_role("link", name="Anvil").click()
    expect(page.get_by_role("row", name=re.compile("VIP"))).to_contain_text("11.00")
    assert ProductPrice.objects.get().price_list.name == "VIP"


@pytest.mark.slow
def test_a_rep_imports_an_outlook_export_with_addresses_and_a_company_that_is_made_for_it(page, alice):
    outlook = (Path(__file__).parents[1] / "imports" / "files" / "exports" / "outlook.csv").read_bytes()
    log_in(page)
    upload(page, outlook, "outlook.csv")

    # the home and work address columns are matched by their Outlook headers
    for column, field in {
        8: "address__work__street",
        10: "address__work__city",
        12: "address__work__zip_code",
        14: "address__home__street",
        15: "address__home__city",
        17: "address__home__zip_code",
    }.items():
        expect(page.locator(f'select[data-column="{column}"]')).to_have_value(field)
    # the titles Outlook writes ("Dr.") are matched to ours ("Dr") in the value step
    titles = page.locator('[data-value-column="0"]')
    expect(titles.locator('[data-file-value="Dr."] select option:checked')).to_have_text("Dr")
    expect(titles.locator("[data-unmatched]")).to_have_attribute("data-unmatched", "0")

    # creating missing values creates the companies no account is there for yet; the value step says so too
    page.get_by_label("Create missing values").check()
    expect(titles.locator('[data-file-value="Dr."] select option[value="__create__"]')).to_have_count(1)
    page.locator("#start-import").click()
    expect(page.locator("#import-status")).to_have_text("Completed")
    expect(page.locator("#count-created")).to_have_text("5")
    expect(page.locator("#count-refused")).to_have_text("0")

    page.goto("/contacts/")
    page.get_by_role("link", name="Anna Schmidt").click()
    expect(page.get_by_role("heading", name=re.compile("Anna Schmidt"))).to_be_visible()
    expect(page.locator("main")).to_contain_text("Lindenstraße 5")
    expect(page.locator("main")).to_contain_text("Friedrichstraße 100")
    page.locator("main").get_by_role("link", name="ACME GmbH").first.click()
    expect(page.get_by_role("heading", name=re.compile("ACME GmbH"))).to_be_visible()
    acme = Account.objects.get(name="ACME GmbH")
    assert acme.owner == alice
    assert Contact.objects.get(email="anna.schmidt@acme.example").account == acme

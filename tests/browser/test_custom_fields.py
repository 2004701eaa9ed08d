"""An administrator adds a custom field in the system designer, fills it in on a contact, sees it on the record
page, shows it as a list column, imports a file whose column of that name is mapped to it by itself, and filters
the list by it."""

import re

import pytest
from playwright.sync_api import expect

from contacts.models import Contact
from crm.designer.models import FieldDefinition
from tests.browser.helpers import log_in, workbook
from tests.factories import UserFactory
from tests.factories.seeds import ensure_seeded


@pytest.fixture
def ada(transactional_db):
    ensure_seeded()
    return UserFactory(username="ada", first_name="Ada", last_name="Admin", is_staff=True, is_superuser=True)


def test_an_administrator_adds_a_field_that_the_form_the_record_the_list_and_the_import_use(page, ada):
    log_in(page, "ada")

    page.locator("#user-menu").click()
    page.locator("#menu-designer").click()
    page.locator('#designer-sections [data-section="contacts"]').click()
    page.locator("#new-field").click()
    page.get_by_label("Code").fill("loyalty_tier")
    page.get_by_label("Label").fill("Loyalty tier")
    page.get_by_label("Type").select_option("choice")
    page.get_by_label("Options").fill("Gold\nSilver\nBronze")
    page.locator("#save-field").click()
    expect(page.locator("#custom-fields")).to_contain_text("Gold, Silver, Bronze")
    assert FieldDefinition.objects.get(code="loyalty_tier").options == ["Gold", "Silver", "Bronze"]

    page.goto("/contacts/new/")
    page.get_by_label("First name").fill("Ann")
    page.get_by_label("Last name").fill("Lee")
    page.get_by_label("Loyalty tier").select_option("Gold")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator('[data-field="custom__loyalty_tier"]')).to_have_text("Gold")
    assert Contact.objects.get(given_name="Ann").custom == {"loyalty_tier": "Gold"}

    page.goto("/contacts/")
    page.get_by_role("button", name="Actions").click()
    page.get_by_role("button", name="Choose columns").click()
    page.locator("#columns-modal").get_by_label("Loyalty tier").check()
    page.locator("#columns-modal").get_by_role("button", name="Save").click()
    expect(page.locator("table thead")).to_contain_text("Loyalty tier")
    expect(page.locator("table tbody")).to_contain_text("Gold")

    page.get_by_role("button", name="Actions").click()
    page.get_by_role("link", name="Import from Excel or CSV").click()
    content = workbook([["First name", "Last name", "Loyalty tier"], ["Bo", "Ma", "silver"]])
    page.locator('input[type="file"]').set_input_files(
        files=[{"name": "tiers.xlsx", "mimeType": "application/octet-stream", "buffer": content}]
    )
    page.locator("#upload-submit").click()
    expect(page.get_by_role("heading", name=re.compile("Map the columns"))).to_be_visible()
    expect(page.locator('select[data-column="2"]')).to_have_value("custom__loyalty_tier")
    page.locator("#start-import").click()
    expect(page.locator("#import-status")).to_have_text("Completed")
    expect(page.locator("#count-created")).to_have_text("1")
    assert Contact.objects.get(given_name="Bo").custom == {"loyalty_tier": "Silver"}

    page.goto("/contacts/")
    page.locator("#id_custom__loyalty_tier").select_option("Gold")
    page.get_by_role("button", name="Apply").click()
    expect(page.locator("table tbody")).to_contain_text("Ann Lee")
    expect(page.locator("table tbody")).not_to_contain_text("Bo Ma")

"""The customer base in a real browser: a rep creates an account, gives it communication options and an address
in place, then adds a contact from the account's Contacts tab and finds the contact on the account."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import open_tab
from tests.factories import UserFactory
from tests.factories.core import PASSWORD
from tests.factories.customers import ensure_customer_lookups

pytestmark = pytest.mark.browser


@pytest.fixture
def alice(transactional_db):
    ensure_customer_lookups()  # a transactional test before may have flushed them
    return UserFactory(username="alice", first_name="Alice", last_name="Archer")


def log_in(page) -> None:
    page.goto("/auth/login/")
    page.get_by_label("Username").fill("alice")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Good to see you, Alice")).to_be_visible()


def add_row(page, detail: str, fields: dict[str, str], selects: dict[str, str]) -> None:
    """Open the detail's add form in its card, fill it in and save; the card comes back with the form closed."""
    card = page.locator(f"#detail-{detail}")
    card.locator(f'[data-detail-add="{detail}"]').click()
    for name, label in selects.items():
        card.locator(f"#id_detail-{detail}-{name}").select_option(label=label)
    for name, value in fields.items():
        card.locator(f"#id_detail-{detail}-{name}").fill(value)
    card.locator(f'[data-detail-save="{detail}"]').click()
    expect(page.locator(f"#detail-{detail} form.detail-form")).to_have_count(0)


def test_a_rep_creates_an_account_with_options_and_an_address_then_a_contact_under_it(page, live_server, alice):
    log_in(page)

    # a new account
    page.goto("/accounts/new/")
    page.get_by_label("Name").fill("Fabrikam Industries")
    page.locator("#save-record").click()
    expect(page.locator("#record-title")).to_have_text("Fabrikam Industries")

    # two communication options and an address, added in place on the General information tab (the first one)
    expect(page.locator("#record-tabs").get_by_role("tab", name="General information")).to_have_class(
        re.compile("active")
    )
    expect(page.locator("#detail-communication_options")).to_be_visible()
    add_row(page, "communication_options", {"value": "+49 711 555 0100"}, {"type": "Primary phone"})
    add_row(page, "communication_options", {"value": "fabrikam.example"}, {"type": "Web"})
    add_row(
        page,
        "addresses",
        {"street": "12 Königstraße", "zip_code": "70173", "city": "Stuttgart", "country": "Germany"},
        {"type": "Legal"},
    )
    options = page.locator("#detail-communication_options tbody tr")
    expect(options).to_have_count(2)
    expect(options.filter(has_text="Primary phone")).to_contain_text("+49 711 555 0100")
    expect(options.filter(has_text="Web")).to_contain_text("https://fabrikam.example")
    expect(page.locator("#detail-addresses tbody")).to_contain_text("12 Königstraße, 70173 Stuttgart, Germany")

    # the account's own fields follow its primary options and address
    page.reload()
    expect(page.locator('[data-field="phone"]')).to_have_text("+49 711 555 0100")
    expect(page.locator('[data-field="city"]')).to_have_text("Stuttgart")

    # a contact under it, from the Contacts tab: the account is filled in
    open_tab(page, "Contacts")
    page.locator("#tab-content").get_by_role("link", name="New").click()
    expect(page).to_have_url(re.compile(r"/contacts/new/\?account=\d+$"))
    expect(page.locator("#id_account-search")).to_have_value("Fabrikam Industries")
    page.get_by_label("First name").fill("Nancy")
    page.get_by_label("Last name").fill("Davolio")
    page.get_by_label("Job title").fill("Buyer")
    page.locator("#save-record").click()
    expect(page.locator("#record-title")).to_have_text("Nancy Davolio")
    expect(page.locator("#profile-account")).to_contain_text("Fabrikam Industries")

    # her career starts at the account
    open_tab(page, "Job experience")
    expect(page.locator("#detail-career tbody")).to_contain_text("Fabrikam Industries")

    # and the account lists her
    page.locator("#profile-account [data-profile-link]").click()
    expect(page.locator("#record-title")).to_have_text("Fabrikam Industries")
    open_tab(page, "Contacts")
    expect(page.locator("#tab-content")).to_contain_text("Nancy Davolio")
    expect(page.locator("#tab-content")).to_contain_text("Buyer")

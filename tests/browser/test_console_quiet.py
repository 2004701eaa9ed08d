"""A person who mistypes sees the errors on the page and the browser's console stays clean (the `page` fixture
fails on any console error or HTTP error response): no 422 logged for a form sent again, whole page or htmx card,
no /favicon.ico 404 on the admin's pages."""

import pytest
from playwright.sync_api import expect

from tests.factories import UserFactory
from tests.factories.core import PASSWORD
from tests.factories.customers import AccountFactory, ensure_customer_lookups

pytestmark = pytest.mark.browser


@pytest.fixture
def alice(transactional_db):
    ensure_customer_lookups()  # a transactional test before may have flushed them
    return UserFactory(username="alice", first_name="Alice", last_name="Archer")


def log_in(page, username: str) -> None:
    page.goto("/auth/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.locator("body")).not_to_contain_text("Please enter a correct username")


def test_an_option_without_a_value_shows_its_error_in_the_card_and_logs_nothing(page, live_server, alice):
    account = AccountFactory(name="Fabrikam Industries", owner=alice)
    log_in(page, "alice")
    page.goto(f"/accounts/{account.pk}/")
    card = page.locator("#detail-communication_options")

    card.locator('[data-detail-add="communication_options"]').click()
    card.locator("#id_detail-communication_options-type").select_option(label="Primary phone")
    card.locator('[data-detail-save="communication_options"]').click()

    expect(card).to_contain_text("This field is required.")
    expect(card.locator("form.detail-form")).to_have_count(1)
    assert not account.communication_options.exists(), "nothing was saved"


def test_a_new_account_without_a_name_shows_the_error_and_logs_no_failed_request(page, live_server, alice):
    log_in(page, "alice")
    page.goto("/accounts/new/")

    page.locator("#save-record").click()

    expect(page.locator("#record-form")).to_contain_text("This field is required.")
    assert page.url.endswith("/accounts/new/")


def test_an_admin_page_names_its_icon_and_the_browser_asks_no_favicon_ico(page, live_server, transactional_db):
    UserFactory(username="ada", first_name="Ada", last_name="Admin", is_staff=True, is_superuser=True)
    asked = []
    page.on("request", lambda request: asked.append(request.url))
    log_in(page, "ada")

    page.goto("/admin/")

    expect(page.locator('link[rel="icon"]')).to_have_attribute("href", "/static/img/favicon.svg")
    page.wait_for_load_state("networkidle")
    assert not [url for url in asked if url.endswith("/favicon.ico")]

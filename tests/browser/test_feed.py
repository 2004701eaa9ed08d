"""The feed in a real browser: alice posts on an account's Feed tab mentioning bob through the autocomplete;
bob logs in, finds the notification under the bell and reads the post."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import open_tab
from tests.factories import AccountFactory, UserFactory
from tests.factories.core import PASSWORD


@pytest.fixture
def alice(transactional_db):
    return UserFactory(username="alice", first_name="Alice", last_name="Archer")


@pytest.fixture
def bob(transactional_db):
    return UserFactory(username="bob", first_name="Bob", last_name="Baker")


def log_in(page, username: str) -> None:
    page.goto("/auth/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).not_to_have_url(re.compile(r"/auth/login/"))


def test_alice_mentions_bob_on_an_account_and_bob_reads_it(page, browser, live_server, alice, bob):
    account = AccountFactory(name="Northwind Traders", owner=alice)

    log_in(page, "alice")
    page.goto(f"/accounts/{account.pk}/")
    open_tab(page, "Feed")
    composer = page.locator("#composer textarea")
    composer.click()
    composer.press_sequentially("Renewal is due, @Bo")
    suggestion = page.locator(".mention-menu").get_by_role("option", name=re.compile("Bob Baker"))
    suggestion.click()
    expect(composer).to_have_value("Renewal is due, @bob ")
    composer.press_sequentially("please call their buyer.")
    page.locator("#composer-submit").click()

    post = page.locator("#feed-posts article").first
    expect(post).to_contain_text("Renewal is due, @Bob Baker please call their buyer.")
    expect(composer).to_have_value("")

    bob_context = browser.new_context(base_url=live_server.url)
    problems = []
    bob_page = bob_context.new_page()
    bob_page.on("console", lambda message: message.type == "error" and problems.append(message.text))
    bob_page.on("pageerror", lambda error: problems.append(str(error)))
    try:
        log_in(bob_page, "bob")
        expect(bob_page.locator("#unread-count")).to_contain_text("1")
        bob_page.get_by_role("link", name="Notifications").click()
        expect(bob_page.locator("#notification-tabs .nav-link.active")).to_contain_text("Feed")
        bob_page.get_by_role("link", name="Alice Archer mentioned you in a post on Northwind Traders").click()
        expect(bob_page.locator("article.feed-post")).to_contain_text("please call their buyer.")
        expect(bob_page.locator("#unread-count")).to_have_count(0)
    finally:
        bob_context.close()
    assert problems == []

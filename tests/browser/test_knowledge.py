"""The knowledge base in a real browser: alice writes an article in the editor (a heading, a list, a link and a
pasted picture) in a group; bob finds it by a word of its body in the global search, comments, likes it and marks
it helpful; alice edits it and restores the first version from the history, then links it to an opportunity,
where it shows."""

import base64
import io
import re

import pytest
from PIL import Image
from playwright.sync_api import expect

from knowledge.models import Article
from tests.browser.helpers import log_in
from tests.factories import OpportunityFactory, UserFactory
from tests.factories.seeds import ensure_seeded


def png_base64() -> str:
    """A small red picture, as the clipboard would hold it."""
    buffer = io.BytesIO()
    Image.new("RGB", (40, 20), "red").save(buffer, "PNG")
    return base64.b64encode(buffer.getvalue()).decode()


PASTE_IMAGE = """(data) => {
  const bytes = Uint8Array.from(atob(data), c => c.charCodeAt(0));
  const file = new File([bytes], "chart.png", { type: "image/png" });
  const transfer = new DataTransfer();
  transfer.items.add(file);
  const editor = document.querySelector("trix-editor");
  editor.dispatchEvent(new ClipboardEvent("paste", { clipboardData: transfer, bubbles: true, cancelable: true }));
}"""


@pytest.fixture
def alice(transactional_db):
    ensure_seeded()
    return UserFactory(username="alice", first_name="Alice", last_name="Archer")


@pytest.fixture
def bob(transactional_db):
    return UserFactory(username="bob", first_name="Bob", last_name="Baker")


def write_article(page) -> None:
    page.goto("/knowledge/browse/")
    page.locator("#group-name").fill("Sales playbook")
    page.locator("#group-form").get_by_role("button", name="Add").click()
    expect(page.locator("#group-tree .active")).to_contain_text("Sales playbook")
    page.locator("#new-article").click()
    page.get_by_label("Name").fill("Answering the price objection")
    page.get_by_label("Type").select_option(label="Sales scripts")
    editor = page.locator("trix-editor")
    editor.click()
    page.locator("trix-toolbar [data-trix-attribute=heading1]").click()
    editor.press_sequentially("Listen first")
    editor.press("Enter")
    page.locator("trix-toolbar [data-trix-attribute=bullet]").click()
    editor.press_sequentially("Ask what they compare with")
    editor.press("Enter")
    editor.press_sequentially("Offer a smaller first phase")
    editor.press("Enter")
    editor.press("Enter")
    editor.press_sequentially("Read the quokka pricing study")
    editor.press("Shift+Home")
    page.locator("trix-toolbar [data-trix-attribute=href]").click()
    page.locator("trix-toolbar input[name=href]").fill("https://example.com/pricing-study")
    page.locator("trix-toolbar input[data-trix-method=setAttribute]").click()
    editor.press("End")
    editor.press("Enter")
    page.evaluate(PASTE_IMAGE, png_base64())
    expect(editor.locator("img[src^='/knowledge/images/']")).to_be_visible()
    # caret="initial": hiding the caret injects a style, which the page's CSP refuses
    page.screenshot(path="/tmp/knowledge-form-1366.png", full_page=True, caret="initial")
    page.locator("#save-record").click()
    expect(page.locator("#record-title")).to_have_text("Answering the price objection")


def test_an_article_is_written_found_discussed_restored_and_linked(page, browser, live_server, alice, bob):
    log_in(page, "alice")
    write_article(page)
    article = Article.objects.get()
    assert "<h1>Listen first</h1>" in article.body
    assert "<li>Ask what they compare with</li>" in article.body
    assert 'href="https://example.com/pricing-study"' in article.body
    assert article.group.name == "Sales playbook"
    page.goto(f"/knowledge/{article.pk}/read/")
    expect(page.locator("#article-body h1")).to_have_text("Listen first")
    expect(page.locator("#article-body img")).to_be_visible()
    page.screenshot(path="/tmp/knowledge-read-1366.png", full_page=True)

    bob_context = browser.new_context(base_url=live_server.url, viewport={"width": 390, "height": 844})
    bob_page = bob_context.new_page()
    problems = []
    bob_page.on("console", lambda message: message.type == "error" and problems.append(message.text))
    bob_page.on("pageerror", lambda error: problems.append(str(error)))
    try:
        log_in(bob_page, "bob")
        bob_page.locator("#global-search").fill("quokka")
        bob_page.locator("#search-dropdown").get_by_role("link", name=re.compile("Answering the price")).click()
        bob_page.get_by_role("link", name="Read", exact=True).click()
        expect(bob_page.locator("#article-body")).to_contain_text("quokka pricing study")
        expect(bob_page.locator("#article-body img")).to_be_visible()
        bob_page.locator("#article-like button").click()
        expect(bob_page.locator("#article-like .like-count")).to_have_text("1")
        bob_page.locator("#helpful").get_by_role("button", name="Yes").click()
        expect(bob_page.locator("#helpful-count")).to_contain_text("1 of 1 found it helpful")
        composer = bob_page.locator("#composer textarea")
        composer.fill("Used it with ACME today: worked.")
        bob_page.locator("#composer-submit").click()
        expect(bob_page.locator("#feed-posts")).to_contain_text("Used it with ACME today: worked.")
        bob_page.screenshot(path="/tmp/knowledge-read-390.png", full_page=True)
        assert problems == []
    finally:
        bob_context.close()

    page.goto(f"/knowledge/{article.pk}/edit/")
    editor = page.locator("trix-editor")
    expect(editor.locator("h1")).to_have_text("Listen first")
    editor.locator("h1").click()
    editor.press("End")
    editor.press_sequentially(", then answer")
    page.locator("#save-record").click()
    expect(page.locator("#article-panel")).to_contain_text("Listen first, then answer")
    page.goto(f"/knowledge/{article.pk}/history/")
    expect(page.locator("#comparison")).to_contain_text("then answer")
    page.screenshot(path="/tmp/knowledge-history-1366.png", full_page=True)
    page.once("dialog", lambda dialog: dialog.accept())
    page.locator("[data-restore='1']").click()
    expect(page.locator("#versions tbody tr").first).to_contain_text("restored 1")
    article.refresh_from_db()
    assert "<h1>Listen first</h1>" in article.body and "then answer" not in article.body

    opportunity = OpportunityFactory(owner=alice, name="Rollout at ACME")
    page.goto(f"/opportunities/{opportunity.pk}/?tab=knowledge")
    page.locator("#link-article-search").fill("price objection")
    page.locator(".lookup-results button", has_text="Answering the price objection").click()
    page.locator("#link-article-form").get_by_role("button", name="Link").click()
    expect(page.locator("#linked-articles")).to_contain_text("Answering the price objection")
    page.screenshot(path="/tmp/knowledge-tab-1366.png", full_page=True)
    page.goto(f"/knowledge/{article.pk}/read/")
    expect(page.locator("#article-usages")).to_contain_text("Rollout at ACME")
    page.goto("/knowledge/browse/")
    page.screenshot(path="/tmp/knowledge-browse-1366.png", full_page=True)

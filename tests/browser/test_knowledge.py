"""The knowledge base in a real browser: alice writes an article in the editor (a heading, a list, a link, a 2x2
table with a header row and a pasted picture) in a group; bob finds it by a word of its body in the global search,
reads it on a phone (the table is there), comments, likes it and marks it helpful; alice edits it (a row and two
columns more: on a phone the table scrolls in its own wrapper, not the page) and restores the first version from
the history, then links it to an opportunity, where it shows. An article written in the old editor (Trix) opens in
the new one with its formatting, reached and left by the keyboard."""

import base64
import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image
from playwright.sync_api import expect

from knowledge import services
from knowledge.models import Article
from tests.browser.helpers import log_in
from tests.factories import ArticleFactory, OpportunityFactory, UserFactory
from tests.factories.seeds import ensure_seeded
from tests.parsed_html import elements


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
  const editor = document.querySelector(".article-editor-text");
  editor.dispatchEvent(new ClipboardEvent("paste", { clipboardData: transfer, bubbles: true, cancelable: true }));
}"""


@pytest.fixture
def alice(transactional_db):
    ensure_seeded()
    return UserFactory(username="alice", first_name="Alice", last_name="Archer")


@pytest.fixture
def bob(transactional_db):
    return UserFactory(username="bob", first_name="Bob", last_name="Baker")


def toolbar_button(page, name: str):
    return page.locator(".article-editor").get_by_role("button", name=name, exact=True)


def page_scrolls_sideways(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth > document.documentElement.clientWidth")


def write_article(page) -> None:
    page.goto("/knowledge/browse/")
    page.locator("#group-name").fill("Sales playbook")
    page.locator("#group-form").get_by_role("button", name="Add").click()
    expect(page.locator("#group-tree .active")).to_contain_text("Sales playbook")
    page.locator("#new-article").click()
    page.get_by_label("Name").fill("Answering the price objection")
    page.get_by_label("Type").select_option(label="Sales scripts")
    editor = page.get_by_role("textbox", name="Article body")
    editor.click()
    toolbar_button(page, "Heading").click()
    expect(toolbar_button(page, "Heading")).to_have_attribute("aria-pressed", "true")
    editor.press_sequentially("Listen first")
    editor.press("Enter")
    toolbar_button(page, "Bulleted list").click()
    editor.press_sequentially("Ask what they compare with")
    editor.press("Enter")
    editor.press_sequentially("Offer a smaller first phase")
    editor.press("Enter")
    editor.press("Enter")
    editor.press_sequentially("Read the quokka pricing study")
    editor.press("Shift+Home")
    toolbar_button(page, "Link").click()
    page.get_by_label("Link address").fill("javascript:alert(1)")
    page.get_by_label("Link address").press("Enter")
    expect(page.get_by_text("A link starts with https://")).to_be_visible()
    page.get_by_label("Link address").fill("https://example.com/pricing-study")
    page.get_by_label("Link address").press("Enter")
    expect(editor.locator("a[href='https://example.com/pricing-study']")).to_have_text("Read the quokka pricing study")
    editor.press("End")
    editor.press("Enter")
    toolbar_button(page, "Table").click()
    page.get_by_role("spinbutton", name="Rows").fill("2")
    page.get_by_role("spinbutton", name="Columns").fill("2")
    expect(page.get_by_role("checkbox", name="Header row")).to_be_checked()
    page.get_by_role("button", name="Insert table").click()
    expect(page.get_by_role("toolbar", name="Table")).to_be_visible()
    for cell in ("Plan", "Price", "Gold"):
        editor.press_sequentially(cell)
        editor.press("Tab")
    editor.press_sequentially("49 EUR")
    editor.press("ArrowDown")
    expect(page.get_by_role("toolbar", name="Table")).to_be_hidden()
    page.evaluate(PASTE_IMAGE, png_base64())
    expect(editor.locator("img[src^='/knowledge/images/']")).to_be_visible()
    # caret="initial": hiding the caret injects a style, which the page's CSP refuses
    page.screenshot(path="/tmp/knowledge-form-1366.png", full_page=True, caret="initial")
    page.set_viewport_size({"width": 390, "height": 844})
    assert not page_scrolls_sideways(page)
    toolbar = page.get_by_role("toolbar", name="Formatting")
    rows = toolbar.evaluate(
        "bar => new Set([...bar.querySelectorAll('button')].map(b => Math.round(b.getBoundingClientRect().top))).size"
    )
    assert rows > 1 and toolbar.evaluate("bar => bar.scrollWidth <= bar.clientWidth")  # it wraps, within the form
    page.screenshot(path="/tmp/knowledge-form-390.png", full_page=True, caret="initial")
    page.set_viewport_size({"width": 1366, "height": 900})
    page.locator("#save-record").click()
    expect(page.locator("#record-title")).to_have_text("Answering the price objection")


def test_an_article_is_written_found_discussed_restored_and_linked(page, browser, live_server, alice, bob):
    log_in(page, "alice")
    write_article(page)
    article = Article.objects.get()
    assert "<h1>Listen first</h1>" in article.body
    assert "<li><p>Ask what they compare with</p></li>" in article.body
    table = article.body.split("<table>")[1].split("</table>")[0]
    assert [tag for tag, _ in elements(table) if tag in {"tr", "th", "td"}] == ["tr", "th", "th", "tr", "td", "td"]
    assert "<p>Plan</p>" in table and "<p>49 EUR</p>" in table
    assert 'href="https://example.com/pricing-study"' in article.body
    assert article.group.name == "Sales playbook"
    page.goto(f"/knowledge/{article.pk}/read/")
    expect(page.locator("#article-body h1")).to_have_text("Listen first")
    expect(page.locator("#article-body img")).to_be_visible()
    expect(page.locator("#article-body .article-table th")).to_have_text(["Plan", "Price"])
    expect(page.locator("#article-body .article-table td")).to_have_text(["Gold", "49 EUR"])
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
        expect(bob_page.get_by_role("region", name="Table").locator("th").first).to_have_text("Plan")
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
    editor = page.get_by_role("textbox", name="Article body")
    expect(editor.locator("h1")).to_have_text("Listen first")
    editor.locator("h1").click()
    editor.press("End")
    editor.press_sequentially(", then answer")
    editor.locator("td", has_text="Gold").click()
    expect(toolbar_button(page, "Header row")).to_have_attribute("aria-pressed", "true")
    toolbar_button(page, "Add a row below").click()
    editor.press("ArrowDown")
    editor.press_sequentially("Silver")
    editor.press("Tab")
    editor.press_sequentially("29 EUR")
    editor.locator("th", has_text="Price").click()
    for heading in ("Seats", "Support"):
        toolbar_button(page, "Add a column on the right").click()
        editor.press("Tab")
        editor.press_sequentially(heading)
    expect(editor.locator("tr")).to_have_count(3)
    expect(editor.locator("th")).to_have_text(["Plan", "Price", "Seats", "Support"])
    page.locator("#save-record").click()
    expect(page.locator("#article-panel")).to_contain_text("Listen first, then answer")
    article.refresh_from_db()
    assert "<p>Silver</p>" in article.body and "<p>Support</p>" in article.body, article.body

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"/knowledge/{article.pk}/read/")
    wrapper = page.get_by_role("region", name="Table")
    expect(wrapper.locator("tr")).to_have_count(3)
    assert wrapper.evaluate("element => element.scrollWidth > element.clientWidth")
    assert not page_scrolls_sideways(page)
    wrapper.scroll_into_view_if_needed()
    page.screenshot(path="/tmp/knowledge-read-table-390.png", full_page=True)
    page.set_viewport_size({"width": 1366, "height": 900})
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


TRIX_BODY = (
    "<div>Before the call<br>check the account</div><h1>Prices</h1><ul><li>Gold</li><li><strong>Silver</strong></li>"
    '</ul><div><a href="https://example.com/prices">price list</a></div><pre>discount = 0.1</pre>'
    '<blockquote>Never promise a date</blockquote><figure><img src="{image}" width="40" height="20">'
    "<figcaption></figcaption></figure>"
)


def test_an_article_written_in_trix_opens_in_the_editor_and_keeps_its_formatting(page, live_server, alice):
    article = ArticleFactory(owner=alice, name="Old pricing notes")
    picture = SimpleUploadedFile("old.png", base64.b64decode(png_base64()), content_type="image/png")
    upload = reverse("knowledge:image", args=[services.add_image(user=alice, article=article, uploaded=picture).pk])
    Article.objects.filter(pk=article.pk).update(body=TRIX_BODY.format(image=upload))
    log_in(page, "alice")

    page.goto(f"/knowledge/{article.pk}/edit/")
    editor = page.get_by_role("textbox", name="Article body")
    expect(editor.locator("p").first).to_have_text("Before the callcheck the account")
    assert editor.locator("p").first.inner_html() == "Before the call<br>check the account"
    expect(editor.locator("h1")).to_have_text("Prices")
    expect(editor.locator("li")).to_have_text(["Gold", "Silver"])
    expect(editor.locator("li strong")).to_have_text("Silver")
    expect(editor.locator("a[href='https://example.com/prices']")).to_have_text("price list")
    expect(editor.locator("pre")).to_have_text("discount = 0.1")
    expect(editor.locator("blockquote")).to_have_text("Never promise a date")
    expect(editor.locator(f"img[src='{upload}']")).to_be_visible()

    # the keyboard: Alt+F10 reaches the toolbar, the arrows move in it, Escape goes back to the text
    editor.locator("h1").click()
    editor.press("Alt+F10")
    expect(toolbar_button(page, "Normal text")).to_be_focused()
    page.keyboard.press("ArrowRight")
    expect(toolbar_button(page, "Heading")).to_be_focused()
    expect(toolbar_button(page, "Heading")).to_have_attribute("aria-pressed", "true")
    page.keyboard.press("End")
    expect(toolbar_button(page, "Redo")).to_be_focused()
    page.keyboard.press("Escape")
    expect(editor).to_be_focused()
    page.keyboard.press("End")
    page.keyboard.type(" and discounts")
    page.locator("#save-record").click()
    expect(page.locator("#record-title")).to_have_text("Old pricing notes")

    article.refresh_from_db()
    for fragment in (
        "<p>Before the call<br>check the account</p>",
        "<h1>Prices and discounts</h1>",
        "<li><p><strong>Silver</strong></p></li>",
        '<a href="https://example.com/prices" rel="noopener noreferrer nofollow">price list</a>',
        "<pre><code>discount = 0.1</code></pre>",
        "<blockquote><p>Never promise a date</p></blockquote>",
        f'<img src="{upload}" width="40" height="20">',
    ):
        assert fragment in article.body

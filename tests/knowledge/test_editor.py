"""The article form's editor (TipTap, vendored): its toolbar is served with the form, every button named for a
screen reader, nothing inline for the CSP to refuse; what the editor writes (tables included) is saved through the
allow-list; the vendored files are complete (licences, no missing source map) and the old editor is gone."""

from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from knowledge.models import Article
from tests.factories import ArticleFactory
from tests.parsed_html import elements

pytestmark = pytest.mark.django_db

VENDOR = Path(settings.BASE_DIR) / "static" / "vendor"

#: what the editor writes for a 2x2 table with a header row (TipTap 3's getHTML), with its own inline style
EDITOR_TABLE = (
    '<table style="min-width: 192px"><colgroup><col style="min-width: 96px"><col style="min-width: 96px"></colgroup>'
    '<tbody><tr><th colspan="1" rowspan="1"><p>Plan</p></th><th colspan="1" rowspan="1"><p>Price</p></th></tr>'
    '<tr><td colspan="1" rowspan="1"><p>Gold</p></td><td colspan="1" rowspan="1"><p>49 EUR</p></td></tr></tbody>'
    "</table>"
)


def form_page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_the_form_serves_the_editor_and_its_toolbar_every_button_named(alice_client):
    page = form_page(alice_client, reverse("knowledge:create"))

    editor = page.split('<div class="article-editor"')[1].split('<div class="article-editor-content')[0]
    buttons = [attributes for tag, attributes in elements(editor) if tag == "button"]
    tools = [attributes for attributes in buttons if {"data-command", "data-panel", "data-image"} & set(attributes)]
    names = {attributes.get("aria-label") for attributes in tools}
    assert {"Heading", "Bulleted list", "Link", "Picture", "Table", "Add a row below", "Delete the table"} <= names
    assert len(tools) == 29 and all(attributes.get("aria-label") for attributes in tools)
    assert all(attributes.get("type") == "button" for attributes in buttons), "a button that would submit the form"
    assert 'role="toolbar" aria-label="Formatting"' in editor
    assert "vendor/tiptap/tiptap.min.js" in page and "js/knowledge-editor.js" in page
    assert "trix" not in page.lower()


def test_the_form_has_nothing_inline_for_the_csp_to_refuse(alice_client):
    page = form_page(alice_client, reverse("knowledge:create"))

    found = elements(page)
    assert [tag for tag, attributes in found if tag == "script" and "src" not in attributes] == []
    assert [tag for tag, attributes in found if "style" in attributes] == []
    assert [(tag, name) for tag, attributes in found for name in attributes if name.startswith("on")] == []


def test_the_editing_form_holds_the_stored_body_escaped_in_its_input(alice_client, alice):
    article = ArticleFactory(owner=alice, body='<p>Say "yes" &amp; <strong>mean it</strong></p>')

    page = form_page(alice_client, reverse("knowledge:update", args=[article.pk]))

    inputs = [attributes for tag, attributes in elements(page) if tag == "input" and attributes.get("name") == "body"]
    assert inputs == [{"type": "hidden", "name": "body", "id": "id_body", "value": article.body}]
    assert f"?article={article.pk}" in page.split("data-upload-url=")[1].split(" ")[0]


def test_the_table_panels_fields_are_not_sent_with_the_article(alice_client):
    """The rows, columns and header-row fields of the table panel belong to no form (form=""): saving the article
    sends its own fields only."""
    page = form_page(alice_client, reverse("knowledge:create"))

    panel = [
        attributes for tag, attributes in elements(page) if attributes.get("name") in {"rows", "columns", "header"}
    ]
    assert len(panel) == 3 and all(attributes.get("form") == "" for attributes in panel)


def test_a_table_written_in_the_editor_is_saved_without_its_inline_style(alice_client, alice, faq):
    body = "<h2>Prices</h2>" + EDITOR_TABLE + '<p><a target="_blank" href="https://example.com">list</a></p>'

    response = alice_client.post(
        reverse("knowledge:create"), {"name": "Price table", "type": faq.pk, "owner": alice.pk, "body": body}
    )

    assert response.status_code == 302
    stored = Article.objects.get().body
    assert "style" not in stored and "colgroup" not in stored and "target" not in stored
    assert (
        "<table><tbody><tr>"
        '<th colspan="1" rowspan="1"><p>Plan</p></th><th colspan="1" rowspan="1"><p>Price</p></th></tr>'
        '<tr><td colspan="1" rowspan="1"><p>Gold</p></td><td colspan="1" rowspan="1"><p>49 EUR</p></td></tr>'
        "</tbody></table>"
    ) in stored
    assert Article.objects.get().body_text == "Prices\nPlan Price\nGold 49 EUR\nlist"


def test_the_vendored_editor_is_complete_and_the_old_one_gone():
    bundle = (VENDOR / "tiptap" / "tiptap.min.js").read_text()

    assert "sourceMappingURL" not in bundle
    assert "Tiptap GmbH" in (VENDOR / "tiptap" / "LICENSE").read_text()
    licences = (VENDOR / "tiptap" / "LICENSES.txt").read_text()
    assert all(name in licences for name in ("prosemirror-tables", "prosemirror-view", "linkifyjs", "@tiptap/core"))
    assert "tiptap 3.35.0" in (VENDOR / "VERSIONS.txt").read_text()
    assert not (VENDOR / "trix").exists()

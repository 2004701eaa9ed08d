"""Search of articles: ranked name above summary above body, the passage highlighted and escaped, only what the
user may read; the global search finds an article by a word of its body. (On PostgreSQL the same tests run against
the tsvector; tests/knowledge/test_search.py::test_postgres_* only there.)"""

import pytest
from django.db import connection
from django.urls import reverse

from crm.sections.search import search
from knowledge import search as knowledge_search
from knowledge.models import Article

pytestmark = pytest.mark.django_db


@pytest.fixture
def library(alice, write):
    return {
        "body": write(alice, name="Handling objections", body="<p>When the customer mentions a discount, pause.</p>"),
        "name": write(alice, name="Discount policy", body="<p>Managers approve above ten percent.</p>"),
        "summary": write(alice, name="Price lists", summary="Where each discount is written", body="<p>See ERP.</p>"),
        "other": write(alice, name="Travel expenses", body="<p>Economy class only.</p>"),
    }


def test_the_name_ranks_above_the_summary_above_the_body(alice, library):
    results = knowledge_search.ranked(Article.objects.all(), "discount")

    assert [r.article.pk for r in results] == [library[k].pk for k in ("name", "summary", "body")]
    assert [r.found_in for r in results] == ["name", "summary", "body"]


def test_the_matching_passage_is_highlighted(alice_client, library):
    page = alice_client.get(reverse("knowledge:search"), {"q": "discount"}).content.decode()

    assert "<mark>discount</mark>" in page
    assert "Travel expenses" not in page


def test_the_passage_is_escaped(alice, write):
    write(alice, name="Markup", body="<p>Type &lt;script&gt; to see the discount code.</p>")

    [result] = knowledge_search.ranked(Article.objects.all(), "discount")

    assert "<script>" not in result.passage and "script" in result.passage


def test_search_shows_only_what_the_user_may_read(client, alice, bob, library, only_owners_read_records):
    client.force_login(bob)

    page = client.get(reverse("knowledge:search"), {"q": "discount"}).content.decode()

    assert "Discount policy" not in page and "No article matches" in page


def test_the_global_search_finds_an_article_by_a_word_of_its_body(alice, library):
    hits = search(alice, "pause")

    assert [(hit.section.name, hit.obj.pk) for hit in hits] == [("knowledge", library["body"].pk)]


def test_the_global_search_keeps_hidden_articles_hidden(bob, library, only_owners_read_records):
    assert search(bob, "pause") == []


def test_the_page_says_how_it_matches(alice_client, library):
    page = alice_client.get(reverse("knowledge:search"), {"q": "discount"}).content.decode()

    if connection.vendor == "postgresql":
        assert "in any of their forms" in page
    else:
        assert "every word (as written)" in page


@pytest.mark.skipif(connection.vendor != "postgresql", reason="full-text search is PostgreSQL's")
def test_postgres_websearch_syntax_and_stemming(alice, library):
    def names(text):
        return {r.article.name for r in knowledge_search.ranked(Article.objects.all(), text)}

    assert "Handling objections" in names("mentioning discounts")
    assert names('"economy class"') == {"Travel expenses"}
    assert names("economy or managers") == {"Travel expenses", "Discount policy"}
    assert "Discount policy" not in names("discount -managers")


def test_the_search_page_shows_where_an_article_holds_the_words(alice_client, library):
    page = alice_client.get(reverse("search"), {"q": "pause"}).content.decode()

    assert "Handling objections" in page
    assert '<div class="small text-secondary search-passage">' in page and "<mark>pause</mark>" in page


def test_an_article_found_by_its_name_alone_gets_no_passage(alice, library):
    [hit] = search(alice, "Travel", passages=True)

    assert hit.obj.pk == library["other"].pk and hit.passage == ""


def test_the_top_bars_list_shows_names_only(alice_client, library):
    page = alice_client.get(reverse("search"), {"q": "pause"}, headers={"HX-Request": "true"}).content.decode()

    assert "Handling objections" in page and "<mark>" not in page


def test_the_passage_is_escaped_on_the_search_page(alice_client, alice, write):
    write(alice, name="Markup", body="<p>Type &lt;img src=x onerror=alert(1)&gt; for the coupon.</p>")

    page = alice_client.get(reverse("search"), {"q": "coupon"}).content.decode()

    passage = page[page.index("search-passage") :].split("</div>")[0]
    # the text is shown as text (PostgreSQL's parser drops the brackets, SQLite's passage escapes them)
    assert "<mark>coupon</mark>" in passage and "onerror" in passage and "<img" not in passage

"""The ranked search ranks capped sets (issue 19's speed): a word in an article's title (name, corporate tags,
summary) ranks it above every match in the body alone, however many the body's matches and wherever the index
puts them; the body's matches fill a page the titles leave short; a second word, a phrase or a -word is checked
against the whole article; and what the reader may not see stays out. The caps are made tiny here so that the
matches outnumber them (on SQLite the plain match has no caps and the same order)."""

import pytest
from django.db import connection

from crm import access
from crm.sections import registry, tags
from knowledge import search
from knowledge.models import Article

pytestmark = pytest.mark.django_db


@pytest.fixture
def tiny_caps(monkeypatch):
    monkeypatch.setattr(search, "TITLE_CANDIDATES", 2)
    monkeypatch.setattr(search, "CANDIDATES", 2)


def names(results) -> list[str]:
    return [result.article.name for result in results]


def test_a_word_in_the_name_ranks_first_though_the_body_matches_outnumber_the_cap(alice, write, tiny_caps):
    for n in range(5):
        write(alice, name=f"Objections {n}", body="<p>Ask about the discount before the price.</p>")
    # written last: the index gives the body's matches first
    write(alice, name="Discount policy", body="<p>Managers approve above ten percent.</p>")

    results = search.ranked(Article.objects.all(), "discount", limit=3)

    assert names(results)[0] == "Discount policy"
    assert [r.found_in for r in results] == ["name", "body", "body"]


def test_the_titles_beyond_their_cap_still_rank_above_the_body(alice, tag_manager, write, tiny_caps, monkeypatch):
    monkeypatch.setattr(search, "CANDIDATES", 10)  # the body's matches hold the titles beyond their cap
    knowledge = registry.get("knowledge")
    for n in range(3):
        write(alice, name=f"Body {n}", body="<p>A discount, a discount, a discount.</p>")
    in_names = [write(alice, name=f"Discount rule {n}", body="<p>Ask.</p>") for n in range(3)]
    tagged = write(alice, name="Price lists", body="<p>See the ERP.</p>")
    tag = tags.create_tag(user=tag_manager, section=knowledge, name="Discounts", corporate=True)
    tags.set_tags(user=tag_manager, section=knowledge, obj=tagged, tags=[tag])

    results = search.ranked(Article.objects.all(), "discount", limit=10)

    assert len(results) == 7
    assert {r.article.pk for r in results[:3]} == {a.pk for a in in_names}
    assert [r.found_in for r in results] == ["name"] * 3 + ["tags"] + ["body"] * 3


def test_every_word_must_be_in_the_article_one_in_the_name_another_in_the_body(alice, write, tiny_caps):
    write(alice, name="Renewal notes", body="<p>Call them a month before.</p>")
    write(alice, name="Old deals", body="<p>The contract renewal is due.</p>")
    write(alice, name="Contract terms", body="<p>Check the renewal date.</p>")

    results = search.ranked(Article.objects.all(), "contract renewal")

    assert names(results) == ["Contract terms", "Old deals"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="phrases and -words are PostgreSQL's")
def test_a_phrase_or_an_excluded_word_is_checked_against_the_whole_article(alice, write, tiny_caps):
    write(alice, name="Warranty claims", body="<p>No refund after a year.</p>")
    write(alice, name="Warranty cover", body="<p>Two years on every part.</p>")
    write(alice, name="Budget price", body="<p>The budget comes first, the price second.</p>")
    write(alice, name="Quarterly plan", body="<p>Agree the price budget with finance.</p>")
    write(alice, name="Price budget", body="<p>Ask.</p>")

    assert names(search.ranked(Article.objects.all(), "warranty -refund")) == ["Warranty cover"]
    assert names(search.ranked(Article.objects.all(), '"price budget"')) == ["Price budget", "Quarterly plan"]


def test_a_title_match_the_reader_may_not_see_stays_out(alice, bob, write, tiny_caps, only_owners_read_records):
    write(alice, name="Discount policy", body="<p>Managers approve.</p>")
    write(bob, name="Objections", body="<p>Ask about the discount.</p>")

    results = search.ranked(access.visible(bob, Article.objects.all()), "discount")

    assert names(results) == ["Objections"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the vectors are PostgreSQL's")
def test_the_title_vector_holds_the_name_tags_and_summary_and_follows_a_renamed_tag(alice, tag_manager, write):
    knowledge = registry.get("knowledge")
    article = write(alice, name="Price lists", summary="Where each rate is", body="<p>See the ERP system.</p>")
    tag = tags.create_tag(user=tag_manager, section=knowledge, name="Discounts", corporate=True)
    tags.set_tags(user=tag_manager, section=knowledge, obj=article, tags=[tag])

    def title():
        return Article.objects.values_list("title_vector", flat=True).get(pk=article.pk)

    assert "'price':1A" in title() and "'discount':3B" in title() and "'rate'" in title()
    assert "erp" not in title()

    tags.rename_tag(user=tag_manager, tag=tag, name="Rebates")
    assert "rebat" in title() and "discount" not in title()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the indexes are PostgreSQL's")
def test_the_name_tier_and_the_title_tier_can_use_their_indexes(alice, write):
    """The name's expression must be the index's to the letter, or the first tier reads every article."""
    write(alice, name="Discount policy", body="<p>Managers approve.</p>")
    any_word = search._any_word("discount")
    names = Article.objects.annotate(_name_vector=search.name_vector()).filter(_name_vector=any_word)
    titles = Article.objects.filter(title_vector=any_word)
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        plans = {}
        for label, rows in (("name", names), ("title", titles)):
            sql, params = rows.values("pk").query.sql_with_params()
            cursor.execute(f"EXPLAIN {sql}", params)
            plans[label] = " ".join(row[0] for row in cursor.fetchall())

    assert "article_name_vector_idx" in plans["name"]
    assert "article_title_vector_idx" in plans["title"]

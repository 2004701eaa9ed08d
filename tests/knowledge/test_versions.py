"""Every save of an article keeps a version: the history lists who saved which when, compares two readably, and
restores one in a single save that keeps the versions in between."""

import pytest
from django.urls import reverse

from knowledge.models import Article, ArticleVersion

pytestmark = pytest.mark.django_db


def test_every_save_keeps_a_version_and_the_previous_ones_stay(alice, bob, write):
    article = write(alice, body="<p>Offer a discount.</p>")
    article = write(bob, article, body="<p>Never offer a discount.</p>")

    versions = list(article.versions.order_by("number"))

    assert [(v.number, v.saved_by, v.body_text) for v in versions] == [
        (1, alice, "Offer a discount."),
        (2, bob, "Never offer a discount."),
    ]


def test_a_save_that_changes_only_the_owner_keeps_no_new_text_version(alice, bob, write):
    article = write(alice)
    write(alice, article, owner=bob)

    assert article.versions.count() == 1


def test_the_history_shows_who_saved_when_and_what_changed(alice_client, alice, bob, write):
    article = write(alice, body="<p>Listen first.</p><p>Ask about the budget.</p>")
    write(bob, article, body="<p>Listen first.</p><p>Ask about the timeline.</p><p>Summarise.</p>")

    page = alice_client.get(reverse("knowledge:history", args=[article.pk])).content.decode()

    assert "Bob Baker" in page and "Alice Archer" in page
    assert '<p class="diff-same">Listen first.</p>' in page
    assert "Ask about the <del>budget.</del> <ins>timeline.</ins>" in page
    assert '<p class="diff-added"><span class="visually-hidden">Added: </span>Summarise.</p>' in page


def test_the_diff_escapes_what_the_text_holds(alice_client, alice, write):
    article = write(alice, body="<p>a &lt;script&gt; tag</p>")
    write(alice, article, body="<p>a &lt;b&gt; tag</p>")

    page = alice_client.get(reverse("knowledge:history", args=[article.pk])).content.decode()

    assert "<script>" not in page
    assert "&lt;script&gt;" in page


def test_restoring_a_version_makes_its_text_current_in_one_new_version(alice_client, alice, write):
    article = write(alice, name="Prices", body="<p>First text.</p>")
    article = write(alice, article, name="Prices 2025", body="<p>Second text.</p>")

    response = alice_client.post(
        reverse("knowledge:restore", args=[article.pk, 1]), {"version": Article.objects.get(pk=article.pk).version}
    )

    assert response.status_code == 302
    restored = Article.objects.get(pk=article.pk)
    assert (restored.name, restored.body) == ("Prices", "<p>First text.</p>")
    latest = restored.versions.order_by("-number").first()
    assert (latest.number, latest.restored_from) == (3, 1)
    assert restored.versions.count() == 3


def test_a_restore_from_a_stale_history_page_changes_nothing(alice_client, alice, bob, write):
    article = write(alice, body="<p>One.</p>")
    opened_at = write(alice, article, body="<p>Two.</p>").version
    write(bob, Article.objects.get(pk=article.pk), body="<p>Three, by Bob.</p>")

    alice_client.post(reverse("knowledge:restore", args=[article.pk, 1]), {"version": opened_at})

    assert Article.objects.get(pk=article.pk).body == "<p>Three, by Bob.</p>"
    assert ArticleVersion.objects.filter(article=article).count() == 3


def test_who_may_not_edit_cannot_restore(client, alice, bob, write, only_owners_edit_records):
    article = write(alice, body="<p>One.</p>")
    write(alice, article, body="<p>Two.</p>")
    client.force_login(bob)

    response = client.post(reverse("knowledge:restore", args=[article.pk, 1]), {"version": 2})

    assert response.status_code == 404
    assert Article.objects.get(pk=article.pk).body == "<p>Two.</p>"


def test_who_may_not_read_sees_no_history(client, alice, bob, write, only_owners_read_records):
    article = write(alice)
    client.force_login(bob)

    assert client.get(reverse("knowledge:history", args=[article.pk])).status_code == 404

"""The article's text under column rights: a reader whose role may not read the body sees the article (its name,
who wrote it) but never its text: not on the reading page, the record page, the history, nor as a search match or
passage; nor may they restore a version. The author, whose role may, sees it all."""

import pytest
from django.urls import reverse

from crm.access.models import ColumnRight, Membership
from crm.sections.search import search
from knowledge.models import Article

pytestmark = pytest.mark.django_db

SECRET = "Severance is three months' pay"


@pytest.fixture
def hidden_body(alice, role_tree):
    """The text is hidden from every employee but Sales team A, alice's team."""
    Membership.objects.create(user=alice, role=role_tree.team_a)
    for role, access in (
        (role_tree.all_employees, ColumnRight.Access.HIDDEN),
        (role_tree.team_a, ColumnRight.Access.EDIT),
    ):
        ColumnRight.objects.create(section="knowledge", field_name="body", role=role, access=access)


@pytest.fixture
def article(alice, write):
    first = write(alice, name="Leaving the company", summary="What HR pays", body=f"<p>{SECRET}, paid monthly.</p>")
    return write(alice, first, body=f"<p>{SECRET}, paid at once.</p>")


def page(client, user, url, **params):
    client.force_login(user)
    response = client.get(url, params)
    assert response.status_code == 200
    return response.content.decode()


def test_the_reading_and_record_pages_show_the_article_but_not_its_text(client, alice, bob, article, hidden_body):
    for url in (reverse("knowledge:read", args=[article.pk]), reverse("knowledge:detail", args=[article.pk])):
        shown, hidden = page(client, alice, url), page(client, bob, url)

        assert SECRET in shown and "may not read this article" not in shown
        assert "Leaving the company" in hidden and "What HR pays" in hidden
        assert SECRET not in hidden and "paid at once" not in hidden
        assert "Your role may not read this article’s text." in hidden


def test_the_history_lists_the_versions_without_their_text_or_a_restore(client, alice, bob, article, hidden_body):
    url = reverse("knowledge:history", args=[article.pk])
    shown = page(client, alice, url)
    hidden = page(client, bob, url, older="1", newer="2")

    assert "monthly" in shown and "data-restore" in shown
    assert "monthly" not in hidden and "at once" not in hidden and "data-restore" not in hidden
    assert 'data-version="1"' in hidden and "cannot be compared or restored" in hidden


def test_a_restore_by_a_reader_without_the_text_is_refused_and_changes_nothing(client, bob, article, hidden_body):
    client.force_login(bob)

    response = client.post(
        reverse("knowledge:restore", args=[article.pk, 1]), {"version": str(article.version)}, follow=True
    )

    assert "may not restore a version" in response.content.decode()
    assert "paid at once" in Article.objects.get(pk=article.pk).body


def test_a_word_of_the_text_finds_nothing_for_who_may_not_read_it(client, alice, bob, article, hidden_body):
    url = reverse("knowledge:search")

    assert "Leaving the company" in page(client, alice, url, q="severance")
    assert "Leaving the company" not in page(client, bob, url, q="severance")
    assert [hit.obj.pk for hit in search(alice, "severance")] == [article.pk]
    assert search(bob, "severance") == []
    # what bob may read still finds it: its name and summary, without a passage
    found = page(client, bob, url, q="leaving")
    assert "Leaving the company" in found and SECRET not in found and "<mark>" not in found
    # "pay" is in the summary and the text: alice gets the text's passage, bob the article alone
    assert "<mark>" in search(alice, "pay", passages=True)[0].passage
    [hit] = search(bob, "pay", passages=True)
    assert hit.obj.pk == article.pk and hit.passage == ""


def test_a_hidden_summary_stays_off_the_front_page(client, alice, bob, article, role_tree):
    ColumnRight.objects.create(
        section="knowledge", field_name="summary", role=role_tree.all_employees, access=ColumnRight.Access.HIDDEN
    )

    front = page(client, bob, reverse("knowledge:browse"))
    reading = page(client, bob, reverse("knowledge:read", args=[article.pk]))

    assert "Leaving the company" in front and "What HR pays" not in front
    assert "What HR pays" not in reading and SECRET in reading

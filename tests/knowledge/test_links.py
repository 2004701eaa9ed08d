"""Articles linked from a record of any section: the record's Knowledge base tab lists those the user may read,
the article lists the records it is used in that the user may see; linking needs the article read and the record
editable, and the links go with the record."""

import pytest
from django.urls import reverse

from crm.sections.services import delete_record
from knowledge.models import ArticleLink
from tests.factories import AccountFactory, ArticleFactory, OpportunityFactory

pytestmark = pytest.mark.django_db


def link(client, record, section_name, article):
    return client.post(reverse("knowledge:link_create", args=[section_name, record.pk]), {"article": article.pk})


def test_an_article_linked_from_an_opportunity_shows_on_both(alice_client, alice):
    opportunity = OpportunityFactory(owner=alice, name="Rollout at ACME")
    article = ArticleFactory(owner=alice, name="Presentation: the 2026 platform")

    response = link(alice_client, opportunity, "opportunities", article)

    assert response.status_code == 302
    tab = alice_client.get(reverse("opportunities:tab", args=[opportunity.pk, "knowledge"])).content.decode()
    assert "Presentation: the 2026 platform" in tab
    reading = alice_client.get(reverse("knowledge:read", args=[article.pk])).content.decode()
    assert "Rollout at ACME" in reading.split('id="article-usages"')[1]


def test_every_other_section_has_the_tab(alice_client, alice):
    account = AccountFactory(owner=alice)

    page = alice_client.get(reverse("accounts:detail", args=[account.pk])).content.decode()

    assert 'data-tab="knowledge"' in page


def test_linking_twice_keeps_one_link_and_unlinking_removes_it(alice_client, alice):
    account = AccountFactory(owner=alice)
    article = ArticleFactory(owner=alice)
    link(alice_client, account, "accounts", article)
    link(alice_client, account, "accounts", article)
    found = ArticleLink.objects.get()

    alice_client.post(reverse("knowledge:link_delete", args=["accounts", account.pk, found.pk]))

    assert not ArticleLink.objects.exists()


def test_an_article_the_user_may_not_read_cannot_be_linked(client, alice, bob, only_owners_read_records):
    account = AccountFactory(owner=bob)
    secret = ArticleFactory(owner=alice, name="HR: salary bands")
    client.force_login(bob)

    response = link(client, account, "accounts", secret)

    assert response.status_code == 302
    assert not ArticleLink.objects.exists()


def test_a_record_the_user_may_not_edit_gets_no_link(client, alice, bob, only_owners_edit_records):
    account = AccountFactory(owner=alice)
    article = ArticleFactory(owner=bob)
    client.force_login(bob)

    response = link(client, account, "accounts", article)

    assert response.status_code == 404
    assert not ArticleLink.objects.exists()


def test_the_article_shows_only_the_records_the_reader_may_see(client, alice, bob, only_owners_read_records):

    article = ArticleFactory(owner=bob)
    hidden = AccountFactory(owner=alice, name="Secret Holdings")
    visible = AccountFactory(owner=bob, name="Open Trading")
    for account in (hidden, visible):
        ArticleLink.objects.create(article=article, content_type_id=_type(account), object_id=account.pk)
    client.force_login(bob)

    usages = client.get(reverse("knowledge:read", args=[article.pk])).content.decode().split('id="article-usages"')[1]

    assert "Open Trading" in usages and "Secret Holdings" not in usages


def test_a_record_shows_only_the_articles_the_reader_may_read(client, alice, bob, only_owners_read_records):
    account = AccountFactory(owner=bob)
    for owner, name in ((alice, "Alice's private notes"), (bob, "Bob's checklist")):
        article = ArticleFactory(owner=owner, name=name)
        ArticleLink.objects.create(article=article, content_type_id=_type(account), object_id=account.pk)
    client.force_login(bob)

    tab = client.get(reverse("accounts:tab", args=[account.pk, "knowledge"])).content.decode()

    assert "Bob&#x27;s checklist" in tab and "Alice" not in tab


def test_the_links_go_with_the_record(alice):
    account = AccountFactory(owner=alice)
    article = ArticleFactory(owner=alice)
    ArticleLink.objects.create(article=article, content_type_id=_type(account), object_id=account.pk)

    delete_record(user=alice, obj=account)

    assert not ArticleLink.objects.exists()


def _type(record) -> int:
    from django.contrib.contenttypes.models import ContentType

    return ContentType.objects.get_for_model(record).pk

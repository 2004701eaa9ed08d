"""Tags in the knowledge base: related articles are those sharing the most tags the reader sees (then the same
type and group), and an article's corporate tags rank in its search between the name and the body, following
every change of them; a private tag relates and ranks nothing for another user."""

import pytest
from django.db import connection

from crm.sections import registry, tags
from crm.sections.models import TaggedRecord
from knowledge import search, selectors
from knowledge.models import Article
from tests.factories import ArticleFactory, ArticleGroupFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def knowledge():
    return registry.get("knowledge")


def corporate(user, section, name):
    return tags.create_tag(user=user, section=section, name=name, corporate=True)


def names(articles) -> list[str]:
    return [article.name for article in articles]


# --- related articles -------------------------------------------------------------------------------------------


def test_related_articles_share_the_most_tags_then_the_same_type_and_group(alice, tag_manager, knowledge):
    onboarding, pricing = corporate(tag_manager, knowledge, "Onboarding"), corporate(tag_manager, knowledge, "Pricing")
    group = ArticleGroupFactory()
    article = ArticleFactory(owner=alice, group=group, name="Article")
    both = ArticleFactory(owner=alice, name="Both tags")
    one = ArticleFactory(owner=alice, name="One tag")
    sibling = ArticleFactory(owner=alice, group=group, type=article.type, name="Same group")
    ArticleFactory(owner=alice, name="Unrelated")
    for obj, chosen in ((article, [onboarding, pricing]), (both, [onboarding, pricing]), (one, [pricing])):
        tags.set_tags(user=tag_manager, section=knowledge, obj=obj, tags=chosen)

    assert names(selectors.related(alice, article)) == [both.name, one.name, sibling.name]


def test_another_users_private_tag_relates_nothing_for_the_reader(alice, bob, knowledge):
    secret = tags.create_tag(user=bob, section=knowledge, name="Secret")
    article = ArticleFactory(owner=alice, name="Article", group=ArticleGroupFactory())
    other = ArticleFactory(owner=alice, name="Tagged by bob", group=ArticleGroupFactory())
    for obj in (article, other):
        tags.set_tags(user=bob, section=knowledge, obj=obj, tags=[secret])

    assert other.name in names(selectors.related(bob, article))
    assert other.name not in names(selectors.related(alice, article))


def test_related_articles_are_only_those_the_reader_may_read(
    alice, bob, tag_manager, knowledge, only_owners_read_records
):
    vip = corporate(tag_manager, knowledge, "VIP")
    article = ArticleFactory(owner=alice)
    hidden = ArticleFactory(owner=bob, name="Bob's")
    TaggedRecord.objects.bulk_create([TaggedRecord(tag=vip, object_id=obj.pk) for obj in (article, hidden)])

    assert hidden.name not in names(selectors.related(alice, article))


@pytest.mark.parametrize("count", [2, 8])
def test_related_articles_take_one_query_whatever_their_number(
    alice, tag_manager, knowledge, count, django_assert_num_queries
):
    vip = corporate(tag_manager, knowledge, "VIP")
    article = ArticleFactory(owner=alice)
    for obj in [article, *(ArticleFactory(owner=alice) for _ in range(count))]:
        tags.set_tags(user=tag_manager, section=knowledge, obj=obj, tags=[vip])

    selectors.related(alice, article)  # the rights' cache, read once per request
    with django_assert_num_queries(1):
        found = selectors.related(alice, article, size=count)
    assert len(found) == count


# --- search -----------------------------------------------------------------------------------------------------


@pytest.fixture
def library(alice, tag_manager, knowledge, write):
    articles = {
        "body": write(alice, name="Handling objections", body="<p>When a customer asks for a discount, pause.</p>"),
        "tags": write(alice, name="Price lists", body="<p>See the ERP.</p>"),
        "name": write(alice, name="Discount policy", body="<p>Managers approve above ten percent.</p>"),
    }
    discount = corporate(tag_manager, knowledge, "Discounts")
    tags.set_tags(user=tag_manager, section=knowledge, obj=articles["tags"], tags=[discount])
    return articles


def test_the_name_ranks_above_the_tags_above_the_body(alice, library):
    results = search.ranked(Article.objects.all(), "discount")

    assert [r.article.pk for r in results] == [library[k].pk for k in ("name", "tags", "body")]
    assert [r.found_in for r in results] == ["name", "tags", "body"]


def test_a_renamed_or_removed_tag_is_searched_no_more(alice, tag_manager, knowledge, library):
    tag = tags.visible_tags(tag_manager, knowledge).get(name="Discounts")
    tags.rename_tag(user=tag_manager, tag=tag, name="Rebates")

    assert names(r.article for r in search.ranked(Article.objects.all(), "rebates")) == ["Price lists"]

    tags.bulk_tag(user=tag_manager, section=knowledge, ids=[library["tags"].pk], tag_ids=[tag.pk], adding=False)
    assert search.ranked(Article.objects.all(), "rebates") == []

    tags.bulk_tag(user=tag_manager, section=knowledge, ids=[library["tags"].pk], tag_ids=[tag.pk], adding=True)
    assert names(r.article for r in search.ranked(Article.objects.all(), "rebates")) == ["Price lists"]

    tags.delete_tag(user=tag_manager, tag=tag)
    assert search.ranked(Article.objects.all(), "rebates") == []


def test_a_private_tag_ranks_nothing_in_the_search(alice, bob, knowledge, write):
    article = write(alice, name="Price lists", body="<p>See the ERP.</p>")
    secret = tags.create_tag(user=bob, section=knowledge, name="Confidential")
    tags.set_tags(user=bob, section=knowledge, obj=article, tags=[secret])

    assert search.ranked(Article.objects.all(), "confidential") == []
    if connection.vendor == "postgresql":
        vector = Article.objects.values_list("search_vector", flat=True).get(pk=article.pk)
        assert "confidenti" not in vector and "price" in vector

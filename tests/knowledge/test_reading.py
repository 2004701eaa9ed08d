"""The reading page: the article for reading (not a form), counted as a view; "was this helpful" once per reader,
changeable; the front page's groups tree and its most read and most helpful lists; related articles; comments
and likes through the feed, following the article's rights."""

import re

import pytest
from django.urls import reverse

from feed import services as feed_services
from feed.models import Like
from knowledge import services
from knowledge.models import Article, ArticleFeedback
from tests.factories import ArticleFactory, ArticleGroupFactory

pytestmark = pytest.mark.django_db


def test_reading_an_article_counts_a_view(alice_client, alice):
    article = ArticleFactory(owner=alice)

    alice_client.get(reverse("knowledge:read", args=[article.pk]))
    page = alice_client.get(reverse("knowledge:read", args=[article.pk])).content.decode()

    assert Article.objects.get(pk=article.pk).view_count == 2
    assert "2 views" in page
    assert "<form" not in page.split('id="article-body"')[1].split("</div>")[0]


def test_was_this_helpful_counts_one_answer_per_reader_and_may_change(alice_client, alice, bob):
    article = ArticleFactory(owner=bob)
    url = reverse("knowledge:helpful", args=[article.pk])

    alice_client.post(url, {"helpful": "yes"})
    alice_client.post(url, {"helpful": "yes"})
    counts = Article.objects.values_list("helpful_count", "not_helpful_count").get(pk=article.pk)
    assert counts == (1, 0)

    alice_client.post(url, {"helpful": "no"}, headers={"HX-Request": "true"})
    counts = Article.objects.values_list("helpful_count", "not_helpful_count").get(pk=article.pk)
    assert counts == (0, 1)
    assert ArticleFeedback.objects.get(article=article, user=alice).helpful is False


def test_who_may_not_read_the_article_cannot_answer(client, alice, bob, only_owners_read_records):
    article = ArticleFactory(owner=alice)
    client.force_login(bob)

    response = client.post(reverse("knowledge:helpful", args=[article.pk]), {"helpful": "yes"})

    assert response.status_code == 404
    assert Article.objects.get(pk=article.pk).helpful_count == 0


def test_the_front_page_shows_the_tree_and_the_most_read_and_helpful(alice_client, alice):
    sales = ArticleGroupFactory(name="Sales")
    scripts = ArticleGroupFactory(name="Scripts", parent=sales)
    read_most = ArticleFactory(owner=alice, name="Cold call opener", group=scripts, view_count=40)
    ArticleFactory(owner=alice, name="Rarely read", group=sales, view_count=1)
    helped = ArticleFactory(owner=alice, name="Discount rules", helpful_count=9)

    page = alice_client.get(reverse("knowledge:browse")).content.decode()
    most_read = page.split('id="most-read"')[1].split("</ul>")[0]
    most_helpful = page.split('id="most-helpful"')[1].split("</ul>")[0]

    tree = page.split('id="group-tree"')[1].split("</nav>")[0]
    assert tree.index(f'data-group="{sales.pk}"') < tree.index(f'data-group="{scripts.pk}"')
    assert "depth-1" in tree.split(f'data-group="{scripts.pk}"')[0].rsplit("<a", 1)[1]
    assert most_read.index(read_most.name) < most_read.index("Rarely read")
    assert helped.name in most_helpful

    group_page = alice_client.get(reverse("knowledge:browse"), {"group": sales.pk}).content.decode()
    listed = group_page.split('id="group-articles"')[1].split('id="most-read"')[0]
    assert read_most.name in listed and "Rarely read" in listed and helped.name not in listed


def test_a_hidden_article_is_not_listed_nor_counted(client, alice, bob, only_owners_read_records):
    group = ArticleGroupFactory(name="HR regulations")
    ArticleFactory(owner=alice, name="Salary bands", group=group, view_count=99, helpful_count=5)
    client.force_login(bob)

    page = client.get(reverse("knowledge:browse")).content.decode()

    assert "Salary bands" not in page
    assert 'badge rounded-pill text-bg-light border">1<' not in page


def test_related_articles_are_of_the_same_type_and_group(alice_client, alice):
    group = ArticleGroupFactory()
    article = ArticleFactory(owner=alice, group=group)
    sibling = ArticleFactory(owner=alice, group=group, name="Sibling article")
    ArticleFactory(owner=alice, name="Elsewhere article")

    page = alice_client.get(reverse("knowledge:read", args=[article.pk])).content.decode()
    related = page.split('id="related-articles"')[1].split("</ul>")[0]

    assert sibling.name in related and "Elsewhere article" not in related


def test_comments_and_likes_are_the_feeds_on_the_article(alice_client, alice, bob):
    article = ArticleFactory(owner=alice)
    post = feed_services.post_on_record(user=bob, record=article, text="Worked for me with ACME.")
    feed_services.like(user=alice, post=post)

    comments = alice_client.get(reverse("knowledge:tab", args=[article.pk, "feed"])).content.decode()

    assert "Worked for me with ACME." in comments
    assert Like.objects.filter(post=post, user=alice).exists()
    assert reverse("feed:post_like", args=[post.pk]) in comments


def test_who_may_not_read_the_article_cannot_comment_on_it(alice, bob, only_owners_read_records):
    from django.core.exceptions import PermissionDenied

    article = ArticleFactory(owner=alice)

    with pytest.raises(PermissionDenied):
        feed_services.post_on_record(user=bob, record=article, text="Sneaky")


def test_groups_are_added_under_a_parent_and_named_once(alice_client, alice):
    sales = services.create_group(user=alice, name="Sales")

    alice_client.post(reverse("knowledge:group_create"), {"name": "Scripts", "parent": sales.pk})
    alice_client.post(reverse("knowledge:group_create"), {"name": "scripts", "parent": sales.pk})

    assert [str(group) for group in sales.children.all()] == ["Scripts"]


def test_the_front_page_stays_within_its_query_budget(alice_client, alice, django_assert_max_num_queries):
    group = ArticleGroupFactory()
    ArticleFactory.create_batch(3, owner=alice, group=group, view_count=3, helpful_count=1)
    url = reverse("knowledge:browse")
    alice_client.get(url)

    # session and user, the groups, their counts, the recent list, most read, most helpful, plus the access
    # layer's rules: the same at 3 articles as at 30
    with django_assert_max_num_queries(14) as few:
        alice_client.get(url, {"group": group.pk})
    ArticleFactory.create_batch(27, owner=alice, group=group, view_count=3, helpful_count=1)
    with django_assert_max_num_queries(len(few.captured_queries)):
        alice_client.get(url, {"group": group.pk})


def test_the_record_page_styles_the_articles_text_as_the_reading_page_does(alice_client, alice):
    # the record page's panel shows the text: without the section's stylesheet a wide image ran off a phone
    article = ArticleFactory(owner=alice, body='<p>Text</p><img src="/knowledge/attachments/1/" alt="wide">')
    page = alice_client.get(reverse("knowledge:detail", args=[article.pk])).content.decode()
    head = page.split("</head>")[0]
    assert 'id="article-panel"' in page and "article-body" in page
    assert re.search(r'<link rel="stylesheet" href="[^"]*/css/knowledge[.\w]*\.css"', head)

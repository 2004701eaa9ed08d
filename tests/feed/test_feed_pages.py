"""The feed's pages and htmx endpoints: the feed, channels, a post, the record Feed tab, comments, likes,
follows and the @mention autocomplete."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import resolve, reverse

from crm.sections import registry
from feed import services
from feed.models import Comment, Follow, Like, Post, Subscription
from tests.factories import AccountFactory, CommentFactory, LikeFactory, PostFactory, UserFactory
from tests.factories.registry import make_record

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def subscribed(alice, company_news):
    Subscription.objects.create(user=alice, channel=company_news)
    return company_news


def test_the_feed_shows_the_users_posts_and_a_composer_that_asks_for_a_channel(alice_client, subscribed):
    PostFactory(channel=subscribed, text="Quarterly results are out", rendered_html="<p>Quarterly results are out</p>")

    response = alice_client.get(reverse("feed:index"))

    assert response.status_code == 200
    assert "Quarterly results are out" in response.text
    assert "Choose a channel…" in response.text


def test_posting_with_htmx_answers_the_new_post(alice_client, subscribed):
    response = alice_client.post(reverse("feed:index"), {"channel": subscribed.pk, "text": "Hello **team**"}, **HTMX)

    assert response.status_code == 200
    assert response["HX-Trigger"] == "feed-posted"
    assert "<strong>team</strong>" in response.text
    assert Post.objects.get().channel == subscribed


def test_posting_without_a_channel_is_refused(alice_client, subscribed):
    response = alice_client.post(reverse("feed:index"), {"text": "Where does this go?"}, **HTMX)

    assert response["HX-Retarget"] == "#composer-errors"
    assert "Choose a channel." in response.text
    assert not Post.objects.exists()


def test_posting_without_htmx_comes_back_to_the_feed(alice_client, subscribed):
    response = alice_client.post(reverse("feed:index"), {"channel": subscribed.pk, "text": "Plain form"})

    assert response.status_code == 302 and response["Location"] == reverse("feed:index")
    assert Post.objects.filter(text="Plain form").exists()


def test_older_posts_come_page_by_page(alice_client, alice, subscribed):
    posts = [PostFactory(author=alice, channel=subscribed) for _ in range(25)]

    first = alice_client.get(reverse("feed:index"))
    cursor = first.context["next_cursor"]
    second = alice_client.get(reverse("feed:index"), {"before": cursor}, **HTMX)

    newest_first = list(reversed(posts))
    assert [p.pk for p in first.context["posts"]] == [p.pk for p in newest_first[:20]]
    assert [p.pk for p in second.context["posts"]] == [p.pk for p in newest_first[20:]]
    assert second.context["next_cursor"] == 0


def make_busy_feed(alice, channel, count: int) -> None:
    """`count` posts, half in a channel alice follows and half about her accounts, each with two comments,
    two likes and a liked comment."""
    people = [UserFactory() for _ in range(2)]
    for index in range(count):
        if index % 2:
            post = PostFactory(author=people[0], channel=channel)
        else:
            post = PostFactory(author=people[1], record=AccountFactory(owner=alice))
        for person in people:
            comment = CommentFactory(post=post, author=person)
            LikeFactory(post=post, user=person)
        LikeFactory(post=None, comment=comment, user=alice)


def count_queries(client, url) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context), "\n".join(q["sql"] for q in context.captured_queries)


def test_the_feed_runs_as_many_queries_for_40_busy_posts_as_for_10(alice_client, alice, subscribed):
    url = reverse("feed:index")
    make_busy_feed(alice, subscribed, 10)
    alice_client.get(url)  # warm up: content types, the session
    few, _ = count_queries(alice_client, url)

    make_busy_feed(alice, subscribed, 30)
    many, sql = count_queries(alice_client, url)

    assert len(alice_client.get(url).context["posts"]) == 20
    assert few == many, sql


def test_the_feed_stays_within_its_query_budget(alice_client, alice, subscribed, django_assert_max_num_queries):
    make_busy_feed(alice, subscribed, 40)
    alice_client.get(reverse("feed:index"))

    # 1 session, 2 user, 3 the page of posts (author, channel, like counts, liked-by-me in SQL), 4 their
    # comments (authors, like counts, liked-by-me), 5 the accounts the posts are about (one per section shown),
    # 6 the default channel, 7 the composer's channels, 8 "has subscriptions", 9 the bell's unread count
    with django_assert_max_num_queries(9):
        alice_client.get(reverse("feed:index"))


def test_a_comment_with_htmx_answers_the_posts_comments(alice_client, alice, bob, company_news):
    post = services.post_to_channel(user=bob, channel=company_news, text="Any ideas?")

    response = alice_client.post(reverse("feed:comment_create", args=[post.pk]), {"text": "Ask _Maria_"}, **HTMX)

    assert f'id="comments-{post.pk}"' in response.text
    assert "Ask <em>Maria</em>" in response.text
    assert Comment.objects.get().author == alice


def test_an_empty_comment_is_refused_in_place(alice_client, bob, company_news):
    post = services.post_to_channel(user=bob, channel=company_news, text="Any ideas?")

    response = alice_client.post(reverse("feed:comment_create", args=[post.pk]), {"text": " "}, **HTMX)

    assert "Write a comment first." in response.text
    assert not Comment.objects.exists()


def test_the_like_button_likes_and_unlikes(alice_client, alice, bob, company_news):
    post = services.post_to_channel(user=bob, channel=company_news, text="Closed Contoso!")
    url = reverse("feed:post_like", args=[post.pk])

    liked = alice_client.post(url, {"action": "like"}, **HTMX)
    assert 'aria-pressed="true"' in liked.text and '<span class="like-count">1</span>' in liked.text

    unliked = alice_client.post(url, {"action": "unlike"}, **HTMX)
    assert 'aria-pressed="false"' in unliked.text and not Like.objects.exists()


def test_a_comment_like_button_likes(alice_client, alice, bob, company_news):
    post = services.post_to_channel(user=alice, channel=company_news, text="News")
    comment = services.comment(user=bob, post=post, text="Cool")

    response = alice_client.post(reverse("feed:comment_like", args=[comment.pk]), {"action": "like"}, **HTMX)

    assert 'aria-pressed="true"' in response.text
    assert Like.objects.get().comment == comment


def test_the_author_edits_and_deletes_a_post_others_cannot(client, alice, bob, company_news):
    post = services.post_to_channel(user=alice, channel=company_news, text="First")
    client.force_login(bob)
    assert client.post(reverse("feed:post_edit", args=[post.pk]), {"text": "Bob was here"}).status_code == 404
    assert client.post(reverse("feed:post_delete", args=[post.pk])).status_code == 404

    client.force_login(alice)
    client.post(reverse("feed:post_edit", args=[post.pk]), {"text": "Second"})
    post.refresh_from_db()
    assert post.text == "Second"
    assert client.post(reverse("feed:post_delete", args=[post.pk]), **HTMX).content == b""
    assert not Post.objects.exists()


@pytest.mark.parametrize("section", registry.all_sections(), ids=lambda s: s.name)
def test_every_record_page_has_a_feed_tab(alice_client, alice, section):
    record = make_record(section, alice)

    detail = alice_client.get(section.url("detail", record.pk))
    tab = alice_client.get(reverse(f"{section.name}:tab", args=[record.pk, "feed"]))

    assert ("feed", "Feed") in detail.context["tabs"]
    assert tab.status_code == 200
    assert reverse("feed:record_post", args=[section.name, record.pk]) in tab.text


def test_posting_on_a_record_shows_on_its_feed_tab(alice_client, account):
    response = alice_client.post(
        reverse("feed:record_post", args=["accounts", account.pk]), {"text": "Signed the NDA"}, **HTMX
    )
    tab = alice_client.get(reverse("accounts:tab", args=[account.pk, "feed"]))

    assert response.status_code == 200
    assert "Signed the NDA" in tab.text
    assert Post.objects.get().record == account


def test_following_a_record_from_its_feed_tab(alice_client, alice, account):
    url = reverse("feed:record_follow", args=["accounts", account.pk])

    followed = alice_client.post(url, {"action": "follow"}, **HTMX)
    assert "Unfollow" in followed.text and Follow.objects.filter(user=alice).exists()

    unfollowed = alice_client.post(url, {"action": "unfollow"}, **HTMX)
    assert 'name="action" value="follow"' in unfollowed.text
    assert not Follow.objects.filter(user=alice).exists()


def test_a_record_one_may_not_read_cannot_be_posted_on_or_followed(only_owners_read_records, client, charlie, account):
    client.force_login(charlie)

    assert client.post(reverse("feed:record_post", args=["accounts", account.pk]), {"text": "x"}).status_code == 404
    assert client.post(reverse("feed:record_follow", args=["accounts", account.pk])).status_code == 404
    assert client.get(reverse("accounts:tab", args=[account.pk, "feed"])).status_code == 404
    assert not Post.objects.exists() and not Follow.objects.exists()


def test_the_channels_page_subscribes_and_unsubscribes(alice_client, alice, company_news):
    assert "Company news" in alice_client.get(reverse("feed:channels")).text
    url = reverse("feed:subscription", args=[company_news.pk])

    subscribed = alice_client.post(url, {"action": "subscribe"}, **HTMX)
    assert "Unsubscribe" in subscribed.text and Subscription.objects.filter(user=alice).exists()

    alice_client.post(url, {"action": "unsubscribe"}, **HTMX)
    assert not Subscription.objects.filter(user=alice).exists()


def test_a_channel_page_lists_its_posts_and_takes_new_ones(alice_client, company_news):
    PostFactory(channel=company_news, text="Old news", rendered_html="<p>Old news</p>")
    url = reverse("feed:channel", args=[company_news.pk])

    assert "Old news" in alice_client.get(url).text
    alice_client.post(url, {"channel": company_news.pk, "text": "Fresh news"})
    assert Post.objects.filter(channel=company_news, text="Fresh news").exists()


def test_the_mention_autocomplete_offers_active_users_by_name_prefix(alice_client, bob):
    UserFactory(username="bobby", first_name="Roberta", last_name="Stone", is_active=False)
    UserFactory(username="carol", first_name="Carol", last_name="Bobson")

    by_username = alice_client.get(reverse("feed:mentions"), {"q": "bo"}).json()["results"]
    by_full_name = alice_client.get(reverse("feed:mentions"), {"q": "Bob Ba"}).json()["results"]

    assert [r["username"] for r in by_username] == ["bob", "carol"]
    assert by_full_name == [{"username": "bob", "name": "Bob Baker"}]


@pytest.mark.parametrize(
    "name,args",
    [
        ("index", []),
        ("channels", []),
        ("channel", [1]),
        ("subscription", [1]),
        ("post", [1]),
        ("post_edit", [1]),
        ("post_delete", [1]),
        ("post_like", [1]),
        ("comment_create", [1]),
        ("comment_like", [1]),
        ("comment_delete", [1]),
        ("record_post", ["accounts", 1]),
        ("record_follow", ["accounts", 1]),
        ("mentions", []),
    ],
)
def test_every_feed_url_reverses_and_resolves(name, args):
    url = reverse(f"feed:{name}", args=args)

    assert resolve(url).view_name == f"feed:{name}"


def test_the_navigation_links_to_the_feed(alice_client):
    response = alice_client.get(reverse("home"))

    assert f'href="{reverse("feed:index")}" id="nav-feed"' in response.text


def test_a_record_feed_tab_runs_as_many_queries_for_40_busy_posts_as_for_10(alice_client, alice, account):
    url = reverse("accounts:tab", args=[account.pk, "feed"])
    people = [UserFactory() for _ in range(2)]

    def add_posts(count: int) -> None:
        for _ in range(count):
            post = PostFactory(author=people[0], record=account)
            for person in people:
                comment = CommentFactory(post=post, author=person)
                LikeFactory(post=post, user=person)
                LikeFactory(post=None, comment=comment, user=alice)

    add_posts(10)
    alice_client.get(url)  # warm up
    few, _ = count_queries(alice_client, url)
    add_posts(30)
    many, sql = count_queries(alice_client, url)

    assert few == many, sql

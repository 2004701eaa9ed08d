"""Who sees which post: channel posts are for everyone (private channels for their members), a post about a
record only for those who may read the record, and no notification ever tells about a record one may not read."""

import pytest
from django.urls import reverse

from crm.core.models import Notification
from feed import selectors, services
from feed.models import Mention, Subscription
from tests.factories import AccountFactory, ChannelFactory, ContactFactory, FollowFactory, PostFactory


@pytest.fixture
def hidden_post(only_owners_read_records, alice, account):
    """A post about alice's account, which charlie may not read."""
    return services.post_on_record(user=alice, record=account, text="Renewal at risk, @charlie knows why")


def test_an_outsider_sees_no_post_about_a_record_they_may_not_read(hidden_post, alice, charlie, account):
    assert list(selectors.visible_posts(alice)) == [hidden_post]
    assert list(selectors.visible_posts(charlie)) == []
    assert list(selectors.record_posts(charlie, account)) == []


def test_mentioning_someone_who_may_not_read_the_record_tells_them_nothing(hidden_post, charlie):
    assert not Notification.objects.filter(recipient=charlie).exists()
    assert not Mention.objects.filter(user=charlie).exists()
    assert list(selectors.feed_for(charlie)) == []


def test_an_outsider_cannot_open_comment_or_like_a_hidden_post(hidden_post, client, charlie):
    client.force_login(charlie)

    assert client.get(reverse("feed:post", args=[hidden_post.pk])).status_code == 404
    assert client.post(reverse("feed:comment_create", args=[hidden_post.pk]), {"text": "hi"}).status_code == 404
    assert client.post(reverse("feed:post_like", args=[hidden_post.pk])).status_code == 404
    assert not hidden_post.comments.exists() and not hidden_post.likes.exists()


def test_comments_on_a_hidden_post_notify_nobody_who_lost_sight_of_it(hidden_post, alice, bob, account):
    """Bob commented while the account was his to read; once it is not, alice's reply does not reach him."""
    account.owner = bob
    account.save()
    services.comment(user=bob, post=hidden_post, text="Following up")
    account.owner = alice
    account.save()

    services.comment(user=alice, post=hidden_post, text="Thanks @bob")

    assert not Notification.objects.filter(recipient=bob).exists()


def test_channel_posts_are_visible_to_everyone(company_news, alice, charlie):
    post = services.post_to_channel(user=alice, channel=company_news, text="All hands at 10")

    assert list(selectors.visible_posts(charlie)) == [post]


def test_private_channel_posts_are_visible_only_to_members(alice, charlie):
    board = ChannelFactory(name="Board", is_public=False)
    Subscription.objects.create(user=alice, channel=board)
    post = services.post_to_channel(user=alice, channel=board, text="Budget draft")

    assert list(selectors.visible_posts(alice)) == [post]
    assert list(selectors.visible_posts(charlie)) == []
    assert board not in selectors.visible_channels(charlie)


def test_an_inactive_user_sees_nothing(company_news, alice, bob):
    services.post_to_channel(user=alice, channel=company_news, text="Hello")
    bob.is_active = False
    bob.save()

    assert list(selectors.visible_posts(bob)) == []


def test_the_feed_holds_subscribed_followed_owned_mentioning_and_own_posts_only(alice, bob, company_news):
    sales = ChannelFactory(name="Sales")
    services.subscribe(user=bob, channel=company_news)
    owned = AccountFactory(owner=bob, name="Bob's account")
    followed = ContactFactory(owner=alice)
    FollowFactory(user=bob, record=followed)
    other = AccountFactory(owner=alice, name="Alice's other account")

    subscribed_post = services.post_to_channel(user=alice, channel=company_news, text="Subscribed")
    owned_post = services.post_on_record(user=alice, record=owned, text="About bob's account")
    followed_post = services.post_on_record(user=alice, record=followed, text="About a followed contact")
    mentioning_post = services.post_to_channel(user=alice, channel=sales, text="Hey @bob")
    own_post = services.post_to_channel(user=bob, channel=sales, text="Bob's own post")
    commented = services.post_on_record(user=alice, record=other, text="Mentioned in a comment")
    services.comment(user=alice, post=commented, text="@bob what do you think?")
    services.post_to_channel(user=alice, channel=sales, text="Unsubscribed channel")
    services.post_on_record(user=alice, record=AccountFactory(owner=alice), text="Unrelated record")

    feed = list(selectors.feed_for(bob))

    assert feed == [commented, own_post, mentioning_post, followed_post, owned_post, subscribed_post]


def test_the_feed_leaves_out_followed_records_the_user_may_no_longer_read(only_owners_read_records, alice, bob):
    account = AccountFactory(owner=alice)
    FollowFactory(user=bob, record=account)
    PostFactory(author=alice, record=account)

    assert list(selectors.feed_for(bob)) == []


def test_the_timeline_lists_posts_about_the_record_for_readers_only(only_owners_read_records, alice, charlie, account):
    from crm.sections import timeline

    services.post_on_record(user=alice, record=account, text="Signed!")

    assert [item.summary for item in timeline.items_for(alice, account, only={"post"})] == ["Signed!"]
    assert timeline.items_for(charlie, account, only={"post"}) == []

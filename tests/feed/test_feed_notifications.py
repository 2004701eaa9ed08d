"""Mentions, comments and likes put an entry under "Feed" in the notification centre of the person concerned,
never of the one who acted."""

from crm.core.models import Notification
from feed import services
from feed.models import Mention


def feed_notifications(user):
    return list(Notification.objects.filter(recipient=user, kind=Notification.Kind.FEED))


def test_a_mention_notifies_the_mentioned_user(alice, bob, account):
    post = services.post_on_record(user=alice, record=account, text="@bob can you call them?")

    [notification] = feed_notifications(bob)
    assert notification.title == "Alice Archer mentioned you in a post on Northwind Traders"
    assert notification.url == post.get_absolute_url()
    assert Mention.objects.filter(post=post, user=bob, comment=None).exists()


def test_mentioning_oneself_or_an_unknown_name_notifies_nobody(alice, company_news):
    services.post_to_channel(user=alice, channel=company_news, text="Note to @alice and @nobody")

    assert not Notification.objects.exists()


def test_an_inactive_user_is_not_mentioned(alice, bob, company_news):
    bob.is_active = False
    bob.save()

    post = services.post_to_channel(user=alice, channel=company_news, text="Thanks @bob")

    assert "@bob" in post.rendered_html and not Mention.objects.exists()
    assert not Notification.objects.exists()


def test_editing_a_post_notifies_only_the_newly_mentioned(alice, bob, charlie, company_news):
    post = services.post_to_channel(user=alice, channel=company_news, text="Hi @bob")

    services.edit_post(user=alice, post=post, text="Hi @bob and @charlie")

    assert len(feed_notifications(bob)) == 1
    assert len(feed_notifications(charlie)) == 1


def test_a_comment_notifies_the_post_author_but_not_its_own_author(alice, bob, company_news):
    post = services.post_to_channel(user=alice, channel=company_news, text="Lunch?")

    services.comment(user=bob, post=post, text="Yes!")
    services.comment(user=alice, post=post, text="Great")

    [notification] = feed_notifications(alice)
    assert notification.title == "Bob Baker commented on your post in Company news"
    assert notification.body == "Yes!"
    assert feed_notifications(bob) == []


def test_a_mention_in_a_comment_notifies_the_mentioned_user(alice, bob, charlie, company_news):
    post = services.post_to_channel(user=alice, channel=company_news, text="Who knows Fabrikam?")

    comment = services.comment(user=bob, post=post, text="@charlie does")

    [notification] = feed_notifications(charlie)
    assert notification.title == "Bob Baker mentioned you in a comment in Company news"
    assert Mention.objects.filter(post=post, comment=comment, user=charlie).exists()


def test_a_like_notifies_the_author_once(alice, bob, company_news):
    post = services.post_to_channel(user=alice, channel=company_news, text="We won Contoso")

    services.like(user=bob, post=post)
    services.like(user=bob, post=post)
    services.like(user=alice, post=post)

    [notification] = feed_notifications(alice)
    assert notification.title == "Bob Baker likes your post in Company news"


def test_a_like_on_a_comment_notifies_the_comment_author(alice, bob, company_news):
    post = services.post_to_channel(user=alice, channel=company_news, text="Ideas for the offsite?")
    comment = services.comment(user=bob, post=post, text="A boat trip")

    services.like(user=alice, comment=comment)

    assert [n.title for n in feed_notifications(bob)] == ["Alice Archer likes your comment in Company news"]

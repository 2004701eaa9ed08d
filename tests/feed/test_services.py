"""The feed's services: posting, comments, likes, follows, subscriptions, edits and deletions."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from feed import services
from feed.models import Comment, Follow, Like, Mention, Post, Subscription
from tests.factories import ChannelFactory


def test_a_channel_post_is_stored_with_its_sanitised_html(alice, company_news):
    post = services.post_to_channel(user=alice, channel=company_news, text="We **won** <script>x</script>")

    post.refresh_from_db()
    assert post.channel == company_news and post.author == alice
    assert post.rendered_html == "<p>We <strong>won</strong> &lt;script&gt;x&lt;/script&gt;</p>"


def test_an_empty_post_is_refused(alice, company_news):
    with pytest.raises(ValidationError):
        services.post_to_channel(user=alice, channel=company_news, text="   \n ")

    assert not Post.objects.exists()


def test_posting_in_a_private_channel_needs_membership(alice, bob):
    board = ChannelFactory(name="Board", is_public=False)
    Subscription.objects.create(user=alice, channel=board)

    services.post_to_channel(user=alice, channel=board, text="Minutes are online.")
    with pytest.raises(PermissionDenied):
        services.post_to_channel(user=bob, channel=board, text="Let me in")

    assert Post.objects.filter(channel=board).count() == 1


def test_posting_on_a_record_makes_the_author_follow_it(alice, account):
    post = services.post_on_record(user=alice, record=account, text="Met their buyer today.")

    assert post.record == account
    assert Follow.objects.filter(user=alice, object_id=account.pk).exists()


def test_posting_on_a_record_the_user_may_not_read_is_refused(only_owners_read_records, charlie, account):
    with pytest.raises(PermissionDenied):
        services.post_on_record(user=charlie, record=account, text="Hello?")

    assert not Post.objects.exists()


def test_liking_twice_keeps_one_like_and_unliking_twice_is_harmless(alice, bob, company_news):
    post = services.post_to_channel(user=alice, channel=company_news, text="Office party on Friday")

    assert services.like(user=bob, post=post) is True
    assert services.like(user=bob, post=post) is False
    assert Like.objects.filter(post=post).count() == 1
    assert services.unlike(user=bob, post=post) is True
    assert services.unlike(user=bob, post=post) is False
    assert not Like.objects.exists()


def test_a_comment_can_be_liked(alice, bob, company_news):
    post = services.post_to_channel(user=alice, channel=company_news, text="News")
    comment = services.comment(user=bob, post=post, text="Nice")

    services.like(user=alice, comment=comment)

    assert Like.objects.get().comment == comment


def test_following_and_unfollowing_a_record(bob, account):
    services.follow(user=bob, record=account)
    services.follow(user=bob, record=account)
    assert Follow.objects.filter(user=bob).count() == 1

    services.unfollow(user=bob, record=account)
    assert not Follow.objects.filter(user=bob).exists()


def test_following_a_record_the_user_may_not_read_is_refused(only_owners_read_records, charlie, account):
    with pytest.raises(PermissionDenied):
        services.follow(user=charlie, record=account)


def test_subscribing_and_unsubscribing_a_public_channel(bob, company_news):
    services.subscribe(user=bob, channel=company_news)
    services.subscribe(user=bob, channel=company_news)
    assert Subscription.objects.filter(user=bob, channel=company_news).count() == 1

    services.unsubscribe(user=bob, channel=company_news)
    assert not Subscription.objects.filter(user=bob).exists()


def test_nobody_subscribes_themselves_to_a_private_channel(bob):
    with pytest.raises(PermissionDenied):
        services.subscribe(user=bob, channel=ChannelFactory(name="Board", is_public=False))


def test_only_the_author_edits_or_deletes_a_post(alice, bob, company_news):
    post = services.post_to_channel(user=alice, channel=company_news, text="Draft")

    with pytest.raises(PermissionDenied):
        services.edit_post(user=bob, post=post, text="Mine now")
    with pytest.raises(PermissionDenied):
        services.delete_post(user=bob, post=post)
    services.edit_post(user=alice, post=post, text="Final *text*")

    post.refresh_from_db()
    assert post.rendered_html == "<p>Final <em>text</em></p>" and post.edited_at is not None


def test_deleting_a_post_takes_its_comments_likes_and_mentions(alice, bob, company_news):
    post = services.post_to_channel(user=alice, channel=company_news, text="Hi @bob")
    services.comment(user=bob, post=post, text="Hi")
    services.like(user=bob, post=post)

    services.delete_post(user=alice, post=post)

    assert not (Post.objects.exists() or Comment.objects.exists() or Like.objects.exists() or Mention.objects.exists())


def test_only_the_author_deletes_a_comment(alice, bob, company_news):
    post = services.post_to_channel(user=alice, channel=company_news, text="News")
    comment = services.comment(user=bob, post=post, text="Nice")

    with pytest.raises(PermissionDenied):
        services.delete_comment(user=alice, comment=comment)
    services.delete_comment(user=bob, comment=comment)

    assert not Comment.objects.exists()

"""Writes of the feed: posting on a channel or a record, comments, likes, follows, subscriptions, edits and
deletions. Each runs in one transaction with the acting user passed in, and notifies the people concerned, but
never tells anyone about a record they may not read."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import Truncator

from crm import access
from crm.core.services import notify
from crm.sections import registry

from .models import Channel, Comment, Follow, Like, Mention, Post, Subscription
from .rendering import Rendered, mention_candidates, render_markdown
from .selectors import may_see_post

MAX_TEXT = 20_000


def _display(user) -> str:
    return user.get_full_name() or user.get_username()


def _clean_text(text: str) -> str:
    text = (text or "").strip()
    if not text:
        raise ValidationError("Write something first.")
    if len(text) > MAX_TEXT:
        raise ValidationError(f"A message can be at most {MAX_TEXT:,} characters long.")
    return text


def render(text: str) -> Rendered:
    """Sanitised HTML of `text`, with @username of active users turned into mentions."""
    names = mention_candidates(text)
    users = {}
    if names:
        users = {u.username: u for u in get_user_model().objects.filter(is_active=True, username__in=names)}
    return render_markdown(text, users)


def _where(post: Post) -> str:
    return f"on {post.record}" if post.channel_id is None else f"in {post.channel}"


def _notify_about(post: Post, *, recipient, actor, title: str, text: str) -> None:
    """Notify `recipient` about `post`, unless they are the actor or may not see the post (nothing leaks)."""
    if recipient.pk == actor.pk or not may_see_post(recipient, post):
        return
    notify(
        recipient=recipient,
        kind="feed",
        title=title,
        body=Truncator(text).chars(200),
        url=post.get_absolute_url(),
    )


def _record_mentions(*, post: Post, comment: Comment | None, actor, rendered: Rendered, already=()) -> None:
    """Mention rows and notifications for the users newly mentioned, if they may see the post."""
    already = set(already)
    text = comment.text if comment else post.text
    what = "a comment" if comment else "a post"
    for user in rendered.mentioned:
        if user.pk in already or user.pk == actor.pk or not may_see_post(user, post):
            continue
        Mention.objects.get_or_create(post=post, comment=comment, user=user)
        _notify_about(
            post,
            recipient=user,
            actor=actor,
            title=f"{_display(actor)} mentioned you in {what} {_where(post)}",
            text=text,
        )


def _create_post(*, author, text: str, **target) -> Post:
    text = _clean_text(text)
    rendered = render(text)
    with transaction.atomic():
        post = Post.objects.create(author=author, text=text, rendered_html=rendered.html, **target)
        _record_mentions(post=post, comment=None, actor=author, rendered=rendered)
    return post


def post_to_channel(*, user, channel: Channel, text: str) -> Post:
    """Post on a channel the user may see."""
    if not (user.is_active and (channel.is_public or channel.subscriptions.filter(user=user).exists())):
        raise PermissionDenied("You may not post in this channel.")
    return _create_post(author=user, text=text, channel=channel)


def post_on_record(*, user, record, text: str) -> Post:
    """Post about a record the user may read; the author follows the record from then on."""
    if registry.for_model(record) is None or not access.can(user, "read", record):
        raise PermissionDenied("You may not post about this record.")
    content_type = ContentType.objects.get_for_model(record)
    with transaction.atomic():
        post = _create_post(author=user, text=text, content_type=content_type, object_id=record.pk)
        post.record = record
        Follow.objects.get_or_create(user=user, content_type=content_type, object_id=record.pk)
    return post


def edit_post(*, user, post: Post, text: str) -> Post:
    """The author changes the text; only users newly mentioned are notified."""
    if post.author_id != user.pk:
        raise PermissionDenied("Only the author may edit a post.")
    text = _clean_text(text)
    rendered = render(text)
    with transaction.atomic():
        already = set(post.mentions.filter(comment=None).values_list("user_id", flat=True))
        post.text, post.rendered_html, post.edited_at = text, rendered.html, timezone.now()
        post.save(update_fields=["text", "rendered_html", "edited_at"])
        mentioned = {u.pk for u in rendered.mentioned}
        post.mentions.filter(comment=None).exclude(user_id__in=mentioned).delete()
        _record_mentions(post=post, comment=None, actor=user, rendered=rendered, already=already)
    return post


def delete_post(*, user, post: Post) -> None:
    """The author deletes a post with its comments, likes and mentions."""
    if post.author_id != user.pk:
        raise PermissionDenied("Only the author may delete a post.")
    with transaction.atomic():
        post.delete()


def comment(*, user, post: Post, text: str) -> Comment:
    """Comment on a post the user may see; the post's author is notified, and anyone mentioned."""
    if not may_see_post(user, post):
        raise PermissionDenied("You may not comment on this post.")
    text = _clean_text(text)
    rendered = render(text)
    with transaction.atomic():
        new = Comment.objects.create(post=post, author=user, text=text, rendered_html=rendered.html)
        _record_mentions(post=post, comment=new, actor=user, rendered=rendered, already={post.author_id})
        _notify_about(
            post,
            recipient=post.author,
            actor=user,
            title=f"{_display(user)} commented on your post {_where(post)}",
            text=text,
        )
    return new


def delete_comment(*, user, comment: Comment) -> None:
    if comment.author_id != user.pk:
        raise PermissionDenied("Only the author may delete a comment.")
    with transaction.atomic():
        comment.delete()


def like(*, user, post: Post | None = None, comment: Comment | None = None) -> bool:
    """Like a post or a comment (once: liking again changes nothing). Returns whether a like was added."""
    target_post = post if post is not None else comment.post
    if not may_see_post(user, target_post):
        raise PermissionDenied("You may not like this.")
    try:
        with transaction.atomic():
            _, created = Like.objects.get_or_create(user=user, post=post, comment=comment)
    except IntegrityError:  # a double click raced us to it
        created = False
    if created:
        liked = "your comment" if comment is not None else "your post"
        author = comment.author if comment is not None else post.author
        _notify_about(
            target_post,
            recipient=author,
            actor=user,
            title=f"{_display(user)} likes {liked} {_where(target_post)}",
            text=(comment or post).text,
        )
    return created


def unlike(*, user, post: Post | None = None, comment: Comment | None = None) -> bool:
    """Take a like back (nothing happens if there was none). Returns whether a like was removed."""
    deleted, _ = Like.objects.filter(user=user, post=post, comment=comment).delete()
    return bool(deleted)


def follow(*, user, record) -> Follow:
    if not access.can(user, "read", record):
        raise PermissionDenied("You may not follow this record.")
    content_type = ContentType.objects.get_for_model(record)
    with transaction.atomic():
        following, _ = Follow.objects.get_or_create(user=user, content_type=content_type, object_id=record.pk)
    return following


def unfollow(*, user, record) -> None:
    content_type = ContentType.objects.get_for_model(record)
    Follow.objects.filter(user=user, content_type=content_type, object_id=record.pk).delete()


def subscribe(*, user, channel: Channel) -> Subscription:
    """Subscribe to a public channel (an administrator adds members to private ones)."""
    if not channel.is_public and not channel.subscriptions.filter(user=user).exists():
        raise PermissionDenied("This channel is private.")
    with transaction.atomic():
        subscription, _ = Subscription.objects.get_or_create(user=user, channel=channel)
    return subscription


def unsubscribe(*, user, channel: Channel) -> None:
    Subscription.objects.filter(user=user, channel=channel).delete()

"""Reads of the feed: which posts a user may see, their feed, a channel's and a record's posts, each in a
number of queries that does not grow with the number of posts, comments or likes."""

from __future__ import annotations

from functools import reduce
from operator import or_

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Count, Exists, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import Http404

from crm import access
from crm.sections import registry

from .models import Channel, Comment, Follow, Like, Mention, Post, Subscription

PAGE_SIZE = 20


def _active(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def visible_channels(user) -> QuerySet[Channel]:
    """Public channels, and the private ones the user belongs to."""
    if not _active(user):
        return Channel.objects.none()
    mine = Subscription.objects.filter(user=user).values("channel_id")
    return Channel.objects.filter(Q(is_public=True) | Q(pk__in=mine))


def _readable_sections(user):
    """(section, its content type, the ids of its records the user may read as a subquery) per readable section.

    Content types come from Django's cache, so this costs no query: the record filters below stay bounded by
    the number of sections, whatever the number of posts."""
    for section in registry.all_sections():
        if not access.can(user, "read", section):
            continue
        content_type = ContentType.objects.get_for_model(section.model)
        yield section, content_type, access.visible(user, section.get_queryset()).values("pk")


def _owns_records(section) -> bool:
    try:
        section.opts.get_field("owner")
    except FieldDoesNotExist:
        return False
    return True


def may_see_post(user, post: Post) -> bool:
    """The rule for one post, as `visible_posts` applies it in SQL: its channel is public or the user's,
    or the user may read its record."""
    if not _active(user):
        return False
    if post.channel_id is not None:
        return post.channel.is_public or Subscription.objects.filter(user=user, channel_id=post.channel_id).exists()
    record = post.record
    return record is not None and registry.for_model(record) is not None and access.can(user, "read", record)


def visible_posts(user, queryset: QuerySet[Post] | None = None) -> QuerySet[Post]:
    """Posts on channels the user may see, and posts about records the user may read (checked in SQL)."""
    queryset = Post.objects.all() if queryset is None else queryset
    if not _active(user):
        return queryset.none()
    conditions = [Q(channel_id__in=visible_channels(user).values("pk"))]
    for _, content_type, readable_ids in _readable_sections(user):
        conditions.append(Q(content_type_id=content_type.pk, object_id__in=readable_ids))
    return queryset.filter(reduce(or_, conditions))


def feed_for(user) -> QuerySet[Post]:
    """The user's feed: posts in subscribed channels, about followed or owned records, mentioning the user
    (in the post or a comment), and the user's own posts; only those the user may see."""
    if not _active(user):
        return Post.objects.none()
    following = Follow.objects.filter(
        user=user, content_type_id=OuterRef("content_type_id"), object_id=OuterRef("object_id")
    )
    interests = [
        Q(channel_id__in=Subscription.objects.filter(user=user).values("channel_id")),
        Q(pk__in=Mention.objects.filter(user=user).values("post_id")),
        Q(author=user),
        Q(Exists(following)),
    ]
    for section, content_type, readable_ids in _readable_sections(user):
        if _owns_records(section):
            interests.append(Q(content_type_id=content_type.pk, object_id__in=readable_ids.filter(owner=user)))
    return visible_posts(user).filter(reduce(or_, interests))


def channel_posts(user, channel: Channel) -> QuerySet[Post]:
    return visible_posts(user, Post.objects.filter(channel=channel))


def record_posts(user, record) -> QuerySet[Post]:
    """Posts about `record`, if the user may read it."""
    if not access.can(user, "read", record):
        return Post.objects.none()
    content_type = ContentType.objects.get_for_model(record)
    return Post.objects.filter(content_type=content_type, object_id=record.pk)


def _count_of(model, relation: str):
    counted = model.objects.filter(**{relation: OuterRef("pk")}).order_by().values(relation)
    return Coalesce(Subquery(counted.annotate(n=Count("pk")).values("n")[:1]), Value(0), output_field=IntegerField())


def with_details(queryset: QuerySet[Post], user) -> QuerySet[Post]:
    """What a post needs on screen: author, channel, record, comments with their authors, like counts and
    whether the user liked each, in a fixed number of queries (one more per content type of records shown)."""
    comments = (
        Comment.objects.select_related("author")
        .annotate(
            like_count=_count_of(Like, "comment"),
            liked=Exists(Like.objects.filter(comment=OuterRef("pk"), user=user)),
        )
        .order_by("created_at", "id")
    )
    return (
        queryset.select_related("author", "channel", "content_type")
        .annotate(
            like_count=_count_of(Like, "post"),
            liked=Exists(Like.objects.filter(post=OuterRef("pk"), user=user)),
        )
        .prefetch_related(Prefetch("comments", queryset=comments), "record")
        .order_by("-created_at", "-id")
    )


def with_record_sections(posts: list[Post]) -> list[Post]:
    """Give each post about a record its section (`post.record_section`), to link to the record."""
    for post in posts:
        model = post.content_type.model_class() if post.content_type_id else None
        post.record_section = registry.for_model(model) if model else None
    return posts


def page_of(queryset: QuerySet[Post], *, before: int | None = None, size: int = PAGE_SIZE) -> tuple[list[Post], int]:
    """One page, newest first, by keyset: the posts older than the post `before`. Returns the posts and the
    cursor of the next page (0 when this is the last one)."""
    if before:
        anchor = Post.objects.filter(pk=before).values("created_at")[:1]
        queryset = queryset.filter(Q(created_at__lt=Subquery(anchor)) | Q(created_at=Subquery(anchor), pk__lt=before))
    posts = with_record_sections(list(queryset[: size + 1]))
    if len(posts) > size:
        return posts[:size], posts[size - 1].pk
    return posts, 0


def get_post_or_404(user, pk: int, *, details: bool = True) -> Post:
    """The one permission-checked fetch of a post: the same 404 whether it is missing or not the user's to see."""
    queryset = visible_posts(user, Post.objects.filter(pk=pk))
    queryset = with_details(queryset, user) if details else queryset.select_related("author", "channel")
    post = queryset.first()
    if post is None:
        raise Http404("No such post.")
    return with_record_sections([post])[0]


def get_comment_or_404(user, pk: int) -> Comment:
    """A comment, reachable only through its post's check."""
    comment = Comment.objects.select_related("author").filter(pk=pk).first()
    if comment is None:
        raise Http404("No such comment.")
    comment.post = get_post_or_404(user, comment.post_id, details=False)
    return comment


def is_following(user, record) -> bool:
    content_type = ContentType.objects.get_for_model(record)
    return Follow.objects.filter(user=user, content_type=content_type, object_id=record.pk).exists()


def mention_suggestions(prefix: str, limit: int = 8) -> list[dict]:
    """Active users whose user name, first or last name starts with `prefix`, for the @mention autocomplete."""
    prefix = prefix.strip()[:50]
    users = get_user_model().objects.filter(is_active=True)
    if prefix:
        first, _, rest = prefix.partition(" ")
        condition = (
            Q(username__istartswith=prefix) | Q(first_name__istartswith=first) | Q(last_name__istartswith=prefix)
        )
        if rest:
            condition = Q(username__istartswith=prefix) | Q(first_name__iexact=first, last_name__istartswith=rest)
        users = users.filter(condition)
    users = users.order_by("first_name", "last_name", "username")[:limit]
    return [{"username": u.username, "name": u.get_full_name() or u.username} for u in users]

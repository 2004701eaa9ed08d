"""Factories of the feed. Posts and comments carry already-rendered HTML (the services render; factories only
build rows for lists and query counts)."""

import factory
from django.contrib.contenttypes.models import ContentType
from django.utils.html import escape

from feed.models import Channel, Comment, Follow, Like, Post

from .core import UserFactory


class ChannelFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Channel
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Channel {n}")
    description = "A channel for tests."
    is_public = True


class PostFactory(factory.django.DjangoModelFactory):
    """A channel post; pass `record=...` for a post about a record instead."""

    class Meta:
        model = Post
        exclude = ("record",)

    author = factory.SubFactory(UserFactory)
    text = factory.Sequence(lambda n: f"Post number {n}")
    rendered_html = factory.LazyAttribute(lambda post: f"<p>{escape(post.text)}</p>")
    record = None
    channel = factory.Maybe("record", yes_declaration=None, no_declaration=factory.SubFactory(ChannelFactory))
    content_type = factory.Maybe(
        "record",
        yes_declaration=factory.LazyAttribute(lambda post: ContentType.objects.get_for_model(post.record)),
        no_declaration=None,
    )
    object_id = factory.Maybe(
        "record", yes_declaration=factory.LazyAttribute(lambda post: post.record.pk), no_declaration=None
    )


class CommentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Comment

    post = factory.SubFactory(PostFactory)
    author = factory.SubFactory(UserFactory)
    text = factory.Sequence(lambda n: f"Comment number {n}")
    rendered_html = factory.LazyAttribute(lambda comment: f"<p>{escape(comment.text)}</p>")


class LikeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Like

    user = factory.SubFactory(UserFactory)
    post = factory.SubFactory(PostFactory)
    comment = None


class FollowFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Follow
        exclude = ("record",)

    user = factory.SubFactory(UserFactory)
    record = None
    content_type = factory.LazyAttribute(lambda follow: ContentType.objects.get_for_model(follow.record))
    object_id = factory.LazyAttribute(lambda follow: follow.record.pk)

"""The feed, a corporate social network: channels, posts on channels or on any record, comments, likes,
mentions and the records a user follows."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone


class Channel(models.Model):
    """A place to post that is not a record ("Company news", "HR"). Public channels are open to everyone;
    a private channel is seen only by its subscribers, whom an administrator adds."""

    name = models.CharField(max_length=150, unique=True)
    description = models.CharField(max_length=500, blank=True)
    is_public = models.BooleanField("public", default=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    subscribers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="Subscription", related_name="feed_channels", blank=True
    )

    class Meta:
        ordering = ("name",)

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("feed:channel", args=[self.pk])


class Subscription(models.Model):
    channel = models.ForeignKey(Channel, on_delete=models.CASCADE, related_name="subscriptions")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="feed_subscriptions")
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "channel"], name="feed_subscription_unique")]

    def __str__(self) -> str:
        return f"{self.user} in {self.channel}"


class Post(models.Model):
    """A message on a channel or about one record (never both). `rendered_html` is the sanitised Markdown,
    rendered once by the service that saves the text."""

    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="feed_posts")
    text = models.TextField(help_text="Markdown")
    rendered_html = models.TextField(editable=False)
    channel = models.ForeignKey(Channel, on_delete=models.CASCADE, null=True, blank=True, related_name="posts")
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    object_id = models.BigIntegerField(null=True, blank=True)
    record = GenericForeignKey("content_type", "object_id")
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    edited_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ("-created_at", "-id")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(channel__isnull=False, content_type__isnull=True, object_id__isnull=True)
                    | Q(channel__isnull=True, content_type__isnull=False, object_id__isnull=False)
                ),
                name="feed_post_channel_or_record",
            )
        ]
        indexes = [
            # the feed and its keyset paging
            models.Index(fields=["-created_at", "-id"], name="feed_post_newest_idx"),
            # a channel page
            models.Index(fields=["channel", "-created_at", "-id"], name="feed_post_channel_idx"),
            # a record's Feed tab and the per-section visibility filter
            models.Index(fields=["content_type", "object_id", "-created_at"], name="feed_post_record_idx"),
            models.Index(fields=["author", "-created_at"], name="feed_post_author_idx"),
        ]

    def __str__(self) -> str:
        return self.text[:60]

    def get_absolute_url(self) -> str:
        return reverse("feed:post", args=[self.pk])


class Comment(models.Model):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="feed_comments")
    text = models.TextField(help_text="Markdown")
    rendered_html = models.TextField(editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    edited_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ("created_at", "id")
        indexes = [models.Index(fields=["post", "created_at"], name="feed_comment_post_idx")]

    def __str__(self) -> str:
        return self.text[:60]


class Like(models.Model):
    """A user likes a post or a comment, once."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="feed_likes")
    post = models.ForeignKey(Post, on_delete=models.CASCADE, null=True, blank=True, related_name="likes")
    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, null=True, blank=True, related_name="likes")
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(post__isnull=False, comment__isnull=True) | Q(post__isnull=True, comment__isnull=False),
                name="feed_like_post_or_comment",
            ),
            models.UniqueConstraint(
                fields=["post", "user"], condition=Q(post__isnull=False), name="feed_like_post_unique"
            ),
            models.UniqueConstraint(
                fields=["comment", "user"], condition=Q(comment__isnull=False), name="feed_like_comment_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} likes {self.post_id or self.comment_id}"


class Mention(models.Model):
    """A user named with @username in a post, or in one of its comments (then `comment` is set too)."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="mentions")
    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, null=True, blank=True, related_name="mentions")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="feed_mentions")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["post", "user"], condition=Q(comment__isnull=True), name="feed_mention_post_unique"
            ),
            models.UniqueConstraint(
                fields=["comment", "user"], condition=Q(comment__isnull=False), name="feed_mention_comment_unique"
            ),
        ]
        indexes = [models.Index(fields=["user", "post"], name="feed_mention_user_idx")]

    def __str__(self) -> str:
        return f"@{self.user} in post {self.post_id}"


class Follow(models.Model):
    """A user follows a record: its posts come into their feed."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="feed_follows")
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.BigIntegerField()
    record = GenericForeignKey("content_type", "object_id")
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "content_type", "object_id"], name="feed_follow_unique")]
        indexes = [models.Index(fields=["content_type", "object_id"], name="feed_follow_record_idx")]

    def __str__(self) -> str:
        return f"{self.user} follows {self.content_type_id}:{self.object_id}"

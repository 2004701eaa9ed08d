"""The knowledge base: articles (rich-text bodies kept sanitised, every saved version kept), their types and the
tree of groups they are consolidated in, readers' "was this helpful" answers and the records an article is linked
to."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from crm.core.models import Lookup, Record

from .html import MAX_BODY_CHARACTERS, sanitise, text_of


class ArticleType(Lookup):
    """What the article is: "Rules and regulations", "FAQ", "Product information", "Sales scripts", ..."""

    class Meta(Lookup.Meta):
        verbose_name = "article type"


class ArticleGroup(models.Model):
    """A group of the knowledge base's tree ("Sales" > "Scripts"). The platform's folders are flat lists per
    section (crm.sections.Folder has no parent), so the tree is the knowledge base's own."""

    name = models.CharField(max_length=150)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children", verbose_name="parent group"
    )
    position = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "article group"
        ordering = ("position", "name")
        constraints = [
            models.UniqueConstraint(fields=["parent", "name"], name="article_group_unique_name"),
            models.CheckConstraint(condition=~Q(parent=models.F("id")), name="article_group_not_own_parent"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("knowledge:browse") + f"?group={self.pk}"


class ArticleQuerySet(models.QuerySet):
    def most_read(self):
        return self.filter(view_count__gt=0).order_by("-view_count", "-pk")

    def most_helpful(self):
        return self.filter(helpful_count__gt=0).order_by("-helpful_count", "not_helpful_count", "-pk")


class Article(Record):
    name = models.CharField(max_length=250)
    type = models.ForeignKey(ArticleType, on_delete=models.PROTECT, related_name="+")
    group = models.ForeignKey(ArticleGroup, on_delete=models.PROTECT, null=True, blank=True, related_name="articles")
    summary = models.CharField(max_length=500, blank=True, help_text="One or two sentences shown in lists.")
    body = models.TextField(blank=True, help_text="Rich text, kept sanitised.")
    #: the body's words without markup: what search and the version diff read
    body_text = models.TextField(blank=True, editable=False)
    view_count = models.PositiveIntegerField("views", default=0, editable=False)
    helpful_count = models.PositiveIntegerField("found helpful", default=0, editable=False)
    not_helpful_count = models.PositiveIntegerField("found not helpful", default=0, editable=False)
    #: the feed post that announced the article: its likes are the article's, its thread the first comments
    announcement = models.ForeignKey(
        "feed.Post", on_delete=models.SET_NULL, null=True, blank=True, editable=False, related_name="+"
    )
    #: name (A), corporate tags and summary (B) and body (C), PostgreSQL only
    search_vector = SearchVectorField(null=True, editable=False)
    #: the same without the body: name (A), corporate tags and summary (B), small enough to rank every match of a
    #: common word (knowledge.search.ranked)
    title_vector = SearchVectorField(null=True, editable=False)

    SYSTEM_FIELDS = (*Record.SYSTEM_FIELDS, "body_text", "search_vector", "title_vector", "announcement")

    objects = ArticleQuerySet.as_manager()

    class Meta:
        verbose_name = "article"
        verbose_name_plural = "articles"
        ordering = ("-created_at", "-id")
        indexes = [
            models.Index(fields=["-created_at", "-id"], name="article_created_idx"),
            models.Index(fields=["-view_count"], name="article_most_read_idx"),
            models.Index(fields=["-helpful_count"], name="article_most_helpful_idx"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("knowledge:read", args=[self.pk])

    def clean(self) -> None:
        """The body is stored sanitised, within its limit; its text follows it."""
        if len(self.body or "") > MAX_BODY_CHARACTERS:
            raise ValidationError(
                {"body": f"The article is {len(self.body):,} characters long; the limit is {MAX_BODY_CHARACTERS:,}."}
            )
        self.body = sanitise(self.body or "")
        self.body_text = text_of(self.body)

    def save(self, *args, **kwargs) -> None:
        """Saved by any path (a form, a factory, a script), the article is found by the full-text search: its
        vector follows its text in the same transaction."""
        super().save(*args, **kwargs)
        fields = kwargs.get("update_fields")
        if fields is None or {"name", "summary", "body", "body_text"} & set(fields):
            from .search import refresh_vectors

            refresh_vectors([self.pk])


class ArticleVersion(models.Model):
    """The article as one save left it: the history lists these, compares two and restores one."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    name = models.CharField(max_length=250)
    summary = models.CharField(max_length=500, blank=True)
    body = models.TextField(blank=True)
    body_text = models.TextField(blank=True)
    saved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    saved_at = models.DateTimeField(default=timezone.now)
    #: the version this one restored, if it was a restore
    restored_from = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        verbose_name = "article version"
        ordering = ("-number",)
        constraints = [models.UniqueConstraint(fields=["article", "number"], name="article_version_unique")]

    def __str__(self) -> str:
        return f"{self.name} (version {self.number})"


class ArticleFeedback(models.Model):
    """A reader's answer to "Was this helpful?": one per reader and article, changeable."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="feedback")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    helpful = models.BooleanField()
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["article", "user"], name="article_feedback_once")]

    def __str__(self) -> str:
        return f"{self.user} on {self.article_id}: {'helpful' if self.helpful else 'not helpful'}"


class ArticleLink(models.Model):
    """An article linked from a record of any section (an opportunity's presentation material, a product's FAQ)."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="links")
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+", verbose_name="section")
    object_id = models.PositiveBigIntegerField("record id")
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "article link"
        ordering = ("-added_at", "-id")
        constraints = [
            models.UniqueConstraint(fields=["article", "content_type", "object_id"], name="article_link_unique"),
        ]
        indexes = [models.Index(fields=["content_type", "object_id"], name="article_link_target_idx")]

    def __str__(self) -> str:
        return f"{self.article_id} on {self.content_type_id} #{self.object_id}"

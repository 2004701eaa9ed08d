"""Reads of the knowledge base, each over what the user may see: the groups' tree with its counts, the most read
and most helpful articles, related articles, the articles linked from a record and where an article is used."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from crm import access
from crm.sections import registry, tags
from crm.sections.models import TaggedRecord

from .models import Article, ArticleGroup, ArticleLink

LIST_SIZE = 5


def section():
    return registry.get("knowledge")


def articles(user) -> QuerySet[Article]:
    """The articles `user` may read, with what a list of them shows."""
    return access.visible(user, Article.objects.select_related("type", "group", "owner"))


def get_article(user, pk: int, action: str = "read") -> Article:
    """The one permission-checked fetch of an article: the same 404 whether missing or forbidden."""
    return access.get_object_or_404(user, section().get_queryset(), action, pk=pk)


@dataclass
class GroupNode:
    group: ArticleGroup
    depth: int
    #: articles in the group itself that the user may read
    count: int
    #: the ids of the group and of every group under it
    subtree: list[int]


def group_tree(user) -> list[GroupNode]:
    """Every group, depth-first in their order, with how many of its articles the user may read."""
    groups = list(ArticleGroup.objects.all())
    counts = dict(articles(user).order_by().filter(group__isnull=False).values_list("group").annotate(n=Count("pk")))
    children: dict[int | None, list[ArticleGroup]] = {}
    for group in groups:
        children.setdefault(group.parent_id, []).append(group)
    nodes: list[GroupNode] = []

    def walk(parent_id, depth) -> list[int]:
        ids = []
        for group in children.get(parent_id, []):
            node = GroupNode(group, depth, counts.get(group.pk, 0), [group.pk])
            nodes.append(node)
            node.subtree += walk(group.pk, depth + 1)
            ids += node.subtree
        return ids

    walk(None, 0)
    return nodes


def most_read(user, size: int = LIST_SIZE) -> list[Article]:
    return list(articles(user).most_read().defer("body", "body_text", "search_vector")[:size])


def most_helpful(user, size: int = LIST_SIZE) -> list[Article]:
    return list(articles(user).most_helpful().defer("body", "body_text", "search_vector")[:size])


def related(user, article: Article, size: int = LIST_SIZE) -> list[Article]:
    """The articles sharing the most tags with this one (of the tags the user sees: another user's private tag
    relates nothing for this one), then those of the same type and group; the most helpful first. One query."""
    mine = tags.visible_tags(user, section()).filter(records__object_id=article.pk).values("pk")
    tagged = TaggedRecord.objects.filter(tag__in=mine)
    shared = tagged.filter(object_id=OuterRef("pk")).order_by().values("object_id").annotate(n=Count("pk")).values("n")
    same = Q(type_id=article.type_id, group_id=article.group_id)
    rows = (
        articles(user)
        .filter(Q(pk__in=tagged.values("object_id")) | same)
        .exclude(pk=article.pk)
        .annotate(shared=Coalesce(Subquery(shared, output_field=IntegerField()), 0))
        .order_by("-shared", "-helpful_count", "-view_count", "-pk")
    )
    return list(rows.defer("body", "body_text", "search_vector")[:size])


def linked_from(user, record) -> list[ArticleLink]:
    """The links of `record` to articles the user may read (the record's own read check is the caller's)."""
    content_type = ContentType.objects.get_for_model(record)
    readable = articles(user).values("pk")
    return list(
        ArticleLink.objects.filter(content_type=content_type, object_id=record.pk, article__in=readable)
        .select_related("article", "article__type")
        .order_by("article__name")
    )


@dataclass
class Usage:
    link: ArticleLink
    section: object
    record: object


def usages(user, article: Article) -> list[Usage]:
    """The records `article` is linked from that the user may see (one query per section it is used in); the
    others are not shown, nor counted."""
    links = list(ArticleLink.objects.filter(article=article).select_related("content_type"))
    by_type: dict[int, list[ArticleLink]] = {}
    for link in links:
        by_type.setdefault(link.content_type_id, []).append(link)
    found = []
    for type_links in by_type.values():
        model = type_links[0].content_type.model_class()
        target = registry.for_model(model) if model else None
        if target is None or not access.can(user, "read", target):
            continue
        records = access.visible(user, target.get_queryset()).in_bulk([link.object_id for link in type_links])
        found += [Usage(link, target, records[link.object_id]) for link in type_links if link.object_id in records]
    return sorted(found, key=lambda usage: (usage.section.position, str(usage.record)))

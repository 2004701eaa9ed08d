"""The records of other sections that point at a record (an account's opportunities, orders, invoices, ...): its
related lists as the user may see them, their counts in one query, and their items on the record's timeline."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.db.models import Count, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce

from crm import access

from . import registry
from .registry import Section, Tab
from .timeline import TimelineItem, register_provider

#: how many records of each related list the timeline shows
TIMELINE_LIMIT = 20


@dataclass(frozen=True)
class RelatedList:
    tab: Tab
    section: Section | None
    model: type[models.Model]

    def queryset(self, user, record) -> models.QuerySet:
        """The records of the list that `user` may see, with the joins of their section's pages."""
        queryset = self.section.get_queryset() if self.section else self.model._default_manager.all()
        return access.visible(user, queryset.filter(**{self.tab.relation: record.pk}))


def related_lists(user, section: Section) -> list[RelatedList]:
    """The section's related lists `user` may read: of a section they may read, through a foreign key their
    column rights let them see (whoever may not see an opportunity's account may not learn it from the account's
    page either)."""
    lists = []
    for tab in registry.related_tabs(section):
        model = tab.resolved_model()
        if not access.can(user, "read", model):
            continue
        related_section = registry.for_model(model)
        if related_section is not None and tab.relation not in related_section.readable_fields(user):
            continue
        lists.append(RelatedList(tab, related_section, model))
    return lists


def counts(user, record, lists: list[RelatedList]) -> dict[str, int]:
    """{tab name: how many records of the list `user` may see}, in one query whatever the number of lists."""
    annotations = {}
    result = {}
    for index, related in enumerate(lists):
        queryset = related.queryset(user, record)
        if queryset.query.is_empty():
            result[related.tab.name] = 0
            continue
        per_record = (
            queryset.filter(**{related.tab.relation: OuterRef("pk")})
            .order_by()
            .values(related.tab.relation)
            .annotate(number=Count("pk"))
            .values("number")
        )
        annotations[f"related_{index}"] = Coalesce(Subquery(per_record[:1]), Value(0), output_field=IntegerField())
    if annotations:
        row = type(record)._default_manager.filter(pk=record.pk).values(**annotations).first() or {}
        for index, related in enumerate(lists):
            if f"related_{index}" in annotations:
                result[related.tab.name] = row.get(f"related_{index}", 0)
    return result


def timeline_items(user, record) -> list[TimelineItem]:
    """The newest records of each related list the user may see, at their creation."""
    section = registry.for_model(record)
    if section is None or not access.can(user, "read", record):
        return []
    items = []
    for related in related_lists(user, section):
        if related.section is None or "created_at" not in {f.name for f in related.model._meta.concrete_fields}:
            continue
        for row in related.queryset(user, record).order_by("-created_at", "-pk")[:TIMELINE_LIMIT]:
            items.append(
                TimelineItem(
                    at=row.created_at,
                    kind="related",
                    title=f"{related.section.title_singular.capitalize()} {row}",
                    url=related.section.url("detail", row.pk),
                    icon=related.section.icon,
                    summary=_summary(user, related.section, row),
                )
            )
    return items


def _summary(user, section: Section, row) -> str:
    """A status or stage the user may see, to tell at a glance where the record stands."""
    readable = section.readable_fields(user)
    for name in ("stage", "status"):
        if name in readable and hasattr(row, f"get_{name}_display"):
            return str(getattr(row, f"get_{name}_display")())
        if name in readable and getattr(row, name, None) is not None and not hasattr(row, f"get_{name}_display"):
            return str(getattr(row, name))
    return ""


register_provider("related", "Connected records", timeline_items)

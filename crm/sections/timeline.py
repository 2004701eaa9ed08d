"""The timeline of a record: what happened around it (activities, feed posts, attachments, ...), newest first,
grouped by month. Apps contribute items by registering a provider; each provider filters through crm.access."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType

from crm import access


@dataclass(frozen=True)
class TimelineItem:
    at: datetime.datetime
    kind: str  # a short key used by the filter, e.g. "activity", "post", "attachment"
    title: str
    url: str = ""
    icon: str = "bi-dot"
    summary: str = ""
    who: str = ""


Provider = Callable[[object, object], Iterable[TimelineItem]]
_providers: dict[str, tuple[str, Provider]] = {}


def register_provider(kind: str, label: str, provider: Provider) -> None:
    """`provider(user, record)` yields the items about `record` that `user` may see."""
    _providers[kind] = (label, provider)


def kinds() -> list[tuple[str, str]]:
    return [(kind, label) for kind, (label, _) in _providers.items()]


def items_for(user, record, *, only: set[str] | None = None, limit: int = 200) -> list[TimelineItem]:
    items: list[TimelineItem] = []
    for kind, (_, provider) in _providers.items():
        if only and kind not in only:
            continue
        items.extend(provider(user, record))
    items.sort(key=lambda item: item.at, reverse=True)
    return items[:limit]


def _attachments(user, record) -> Iterable[TimelineItem]:
    from django.urls import reverse

    from .models import Attachment

    if not access.can(user, "read", record):
        return []
    content_type = ContentType.objects.get_for_model(record)
    return [
        TimelineItem(
            at=a.created_at,
            kind="attachment",
            title=a.name,
            url=reverse("attachment_download", args=[a.pk]),
            icon="bi-paperclip" if a.kind == "file" else "bi-link-45deg",
        )
        for a in Attachment.objects.filter(content_type=content_type, object_id=record.pk)[:100]
    ]


register_provider("attachment", "Files and links", _attachments)

"""Global search across every registered section: names, emails, phones, numbers; ranked, access-checked."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection
from django.db.models import Case, IntegerField, Value, When
from django.db.models.functions import Upper

from crm import access

from . import registry
from .registry import Section
from .selectors import search_q

PER_SECTION = 8

#: 0: exact match of the primary (first) search field, 1: it starts with the text, 2: another field starts with
#: it, 3: a field contains it
EXACT, PREFIX, OTHER_PREFIX, CONTAINS = 0, 1, 2, 3


@dataclass
class Hit:
    section: Section
    obj: object
    rank: int


def _field_rank(primary: bool, upper: str) -> Case:
    """The rank a match of one field gives (the field's upper-cased value is annotated as `_s`)."""
    if primary:
        whens = [When(_s=upper, then=Value(EXACT)), When(_s__startswith=upper, then=Value(PREFIX))]
    else:
        whens = [When(_s__startswith=upper, then=Value(OTHER_PREFIX))]
    return Case(*whens, default=Value(CONTAINS), output_field=IntegerField())


def _rank_expression(fields: list[str], upper: str) -> Case:
    """The rank of a row over all fields (their upper-cased values annotated as `_s0`, `_s1`, ...)."""
    whens = [When(_s0=upper, then=Value(EXACT)), When(_s0__startswith=upper, then=Value(PREFIX))]
    whens += [When(**{f"_s{i}__startswith": upper}, then=Value(OTHER_PREFIX)) for i in range(1, len(fields))]
    return Case(*whens, default=Value(CONTAINS), output_field=IntegerField())


def _best_ranked(section: Section, user, records, fields: list[str], text: str, limit: int) -> dict[int, int]:
    """The ids and ranks of the `limit` best matches."""
    upper = text.upper()
    if connection.vendor != "postgresql" or len(text) < 3:
        # no trigram index helps (SQLite, or fewer than three characters): one pass over the table
        ranked = (
            records.filter(search_q(section, text, user))
            .annotate(**{f"_s{i}": Upper(f) for i, f in enumerate(fields)})
            .annotate(_rank=_rank_expression(fields, upper))
            .order_by("_rank", "pk")
            .values_list("pk", "_rank")[:limit]
        )
        return dict(ranked)
    # Each field is searched on its own, through its trigram index, and gives its `limit` best rows by its own
    # rank; the best of those are the best overall, since a row's rank is its best field's rank. So only a few
    # rows are ever ranked and joined, however many contain the text.
    parts = [
        records.filter(**{f"{path}__icontains": text})
        .annotate(_s=Upper(path))
        .annotate(_rank=_field_rank(index == 0, upper))
        .order_by("_rank", "pk")
        .values_list("pk", "_rank")[:limit]
        for index, path in enumerate(fields)
    ]
    if text.isdigit():
        parts.append(records.filter(pk=int(text)).annotate(_rank=Value(CONTAINS)).values_list("pk", "_rank"))
    ranks: dict[int, int] = {}
    for pk, rank in parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]:
        ranks[pk] = min(rank, ranks.get(pk, rank))
    return dict(sorted(ranks.items(), key=lambda item: (item[1], item[0]))[:limit])


def search(user, text: str, *, current_section: str | None = None, per_section: int = PER_SECTION) -> list[Hit]:
    text = text.strip()[:100]
    if len(text) < 2:
        return []
    hits: list[Hit] = []
    for section in registry.all_sections():
        if not section.search_fields or not access.can(user, "read", section):
            continue
        readable = section.readable_fields(user)
        fields = [f for f in section.search_fields if f.split("__")[0] in readable]
        if not fields:
            continue
        records = access.visible(user, section.get_queryset())
        ranks = _best_ranked(section, user, records.order_by(), fields, text, per_section)
        objects = records.filter(pk__in=list(ranks)) if ranks else []
        # Records of the section the user is in come first, as the reference's command line does.
        bonus = 0 if section.name == current_section else 1
        for obj in sorted(objects, key=lambda o: (ranks[o.pk], o.pk)):
            hits.append(Hit(section=section, obj=obj, rank=ranks[obj.pk] * 2 + bonus))
    hits.sort(key=lambda h: (h.rank, h.section.position))
    return hits

"""Global search across every registered section: names, emails, phones, numbers; ranked, access-checked."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Case, IntegerField, Q, Value, When
from django.db.models.functions import Upper

from crm import access

from . import registry
from .registry import Section

PER_SECTION = 8


@dataclass
class Hit:
    section: Section
    obj: object
    rank: int


def _rank_expression(section: Section, fields: list[str], text: str):
    """0: exact match of the primary field, 1: it starts with the text, 2: any field starts with it, 3: contains."""
    upper = text.upper()
    whens = [When(_s0=upper, then=Value(0)), When(_s0__startswith=upper, then=Value(1))]
    whens += [When(**{f"_s{i}__startswith": upper}, then=Value(2)) for i in range(1, len(fields))]
    return Case(*whens, default=Value(3), output_field=IntegerField())


def search(user, text: str, *, current_section: str | None = None, per_section: int = PER_SECTION) -> list[Hit]:
    text = text.strip()[:100]
    if len(text) < 2:
        return []
    hits: list[Hit] = []
    for section in registry.all_sections():
        if not section.search_fields or not access.can(user, "read", section):
            continue
        readable = access.fields_for(user, section, "read").readable
        fields = [f for f in section.search_fields if f.split("__")[0] in readable]
        if not fields:
            continue
        condition = Q()
        for f in fields:
            condition |= Q(**{f"{f}__icontains": text})
        queryset = access.visible(user, section.get_queryset()).filter(condition)
        queryset = queryset.annotate(**{f"_s{i}": Upper(f) for i, f in enumerate(fields)})
        queryset = queryset.annotate(_rank=_rank_expression(section, fields, text)).order_by("_rank", "pk")
        for obj in queryset[:per_section]:
            # Records of the section the user is in come first, as the reference's command line does.
            bonus = 0 if section.name == current_section else 1
            hits.append(Hit(section=section, obj=obj, rank=obj._rank * 2 + bonus))
    hits.sort(key=lambda h: (h.rank, h.section.position))
    return hits

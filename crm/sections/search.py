"""Global search across every registered section: names, emails, phones, numbers, words in any order and typos;
ranked, grouped by section, access-checked."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import FieldDoesNotExist
from django.db.models import Case, IntegerField, Value, When
from django.db.models.functions import Upper

from crm import access
from crm.core import formats

from . import registry, tags, text_search
from .registry import Section

PER_SECTION = 8

#: 0: exact match of the primary (first) search field, 1: it starts with the text, 2: another field starts with
#: it, 3: every word is in some field
EXACT, PREFIX, OTHER_PREFIX, CONTAINS = 0, 1, 2, 3


#: the matches ranked at most, per section
CANDIDATES = text_search.FEW
#: nothing contains the text, but a word is like it (a typo)
SIMILAR = 4
#: fields shown beside a hit when its model has them and the user may read them
CONTEXT_FIELDS = ("account", "stage", "amount")
CONTEXT_RELATIONS = ("account", "stage", "currency")


@dataclass
class Hit:
    section: Section
    obj: object
    rank: int
    #: what tells the hit from others of the same name: its account, stage, amount
    context: list[str] = field(default_factory=list)


def _rank_expression(fields: list[str], upper: str) -> Case:
    """The rank of a row over all fields (their upper-cased values annotated as `_s0`, `_s1`, ...)."""
    whens = [When(_s0=upper, then=Value(EXACT)), When(_s0__startswith=upper, then=Value(PREFIX))]
    whens += [When(**{f"_s{i}__startswith": upper}, then=Value(OTHER_PREFIX)) for i in range(1, len(fields))]
    return Case(*whens, default=Value(CONTAINS), output_field=IntegerField())


def _best_ranked(records, fields: list[str], text: str, limit: int) -> dict[int, int]:
    """The ids and ranks of the `limit` best matches among the first `CANDIDATES` (by id) that have every word.

    A rare word's matches are all candidates (they are looked up by id, see crm.sections.text_search), so they
    are ranked exactly; of a word found in half a million rows only the first candidates are ranked, and the
    query reading them stops there: nothing ranks every match to return eight."""
    model = records.model
    candidates = records.filter(text_search.words_condition(model, fields, text)).order_by("pk")
    # read first, as a list: as a subquery the planner may hash it and scan the whole table for its rows
    ids = list(candidates.values_list("pk", flat=True)[:CANDIDATES])
    if not ids:
        return _similar(records, fields, text, limit)
    ranked = (
        records.filter(pk__in=ids)
        .annotate(**{f"_s{i}": Upper(f) for i, f in enumerate(fields)})
        .annotate(_rank=_rank_expression(fields, text.upper()))
        .order_by("_rank", "pk")
        .values_list("pk", "_rank")[:limit]
    )
    return dict(ranked)


def _similar(records, fields: list[str], text: str, limit: int) -> dict[int, int]:
    """Nothing has the text: what has a word like it (a typo), ranked last."""
    condition = text_search.similar_condition(records.model, fields[0], text)
    if condition is None:
        return {}
    similar = records.filter(condition).order_by("pk").values_list("pk", flat=True)[:limit]
    return dict.fromkeys(similar, SIMILAR)


def _context(user, section: Section, obj, readable: frozenset[str]) -> list[str]:
    """What tells one hit from another: a contact's account, a deal's stage and amount (when the user may read
    them)."""
    context = []
    for name in CONTEXT_FIELDS:
        if name not in readable or not access.can_read_value(user, section, name):
            continue
        value = getattr(obj, name, None)
        if value in (None, ""):
            continue
        if name == "amount":
            currency = getattr(getattr(obj, "currency", None), "code", "")
            context.append(f"{formats.money(value)} {currency}".strip())
        else:
            context.append(str(value))
    return context


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
        if section.search_hits is not None:
            ranks = section.search_hits(user, records, text, per_section)
        else:
            ranks = _best_ranked(records.order_by(), fields, text, per_section)
        tagged = tags.tagged_records(user=user, section=section, text=text, records=records, limit=per_section)
        ranks = {**dict.fromkeys(tagged, CONTAINS), **ranks}  # a record found by its tag too
        if not ranks:
            continue
        related = [name for name in CONTEXT_RELATIONS if name in readable and _is_relation(section, name)]
        objects = records.filter(pk__in=list(ranks)).select_related(*related)
        # Records of the section the user is in come first, as the reference's command line does.
        bonus = 0 if section.name == current_section else 1
        for obj in sorted(objects, key=lambda o: (ranks[o.pk], o.pk)):
            context = _context(user, section, obj, readable)
            hits.append(Hit(section=section, obj=obj, rank=ranks[obj.pk] * 2 + bonus, context=context))
    hits.sort(key=lambda h: (h.rank, h.section.position))
    return hits


def grouped(hits: list[Hit]) -> list[tuple[Section, list[Hit]]]:
    """The hits by section, the section of the best hit first; each section's hits in their order."""
    groups: dict[str, tuple[Section, list[Hit]]] = {}
    for hit in hits:
        groups.setdefault(hit.section.name, (hit.section, []))[1].append(hit)
    return list(groups.values())


def _is_relation(section: Section, name: str) -> bool:
    try:
        return section.model._meta.get_field(name).is_relation
    except FieldDoesNotExist:
        return False

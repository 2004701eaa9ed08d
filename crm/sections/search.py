"""Global search across every registered section: names, emails, phones, numbers, words in any order and typos;
ranked, grouped by section, access-checked."""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import chain

from django.core.exceptions import FieldDoesNotExist
from django.db import connection
from django.db.models import IntegerField, Value

from crm import access
from crm.core import formats

from . import registry, tags, text_search
from .registry import Section

PER_SECTION = 8

#: 0: exact match of the primary (first) search field, 1: it starts with the text, 2: another field starts with
#: it, 3: every word is in some field
EXACT, PREFIX, OTHER_PREFIX, CONTAINS = 0, 1, 2, 3


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
    #: the passage that holds the text (safe html), on the search page for a section that gives one
    passage: str = ""


def _tiers(records, fields: list[str], text: str) -> list[tuple[int, object]]:
    """The records of each rank, best first: the primary field is the text, it starts with it, another field
    starts with it, every word is in some field. Each is a condition an index answers (a btree or trigram index
    on UPPER(field), or read along the records' order), so that reading a rank's first rows stops early however
    many rows match."""
    model = records.model
    primary, *others = fields
    condition = text_search.field_condition
    tiers = [
        (EXACT, records.filter(condition(model, primary, "iexact", text))),
        (PREFIX, records.filter(condition(model, primary, "istartswith", text))),
    ]
    # the record's own fields only: a field across a relation (the contact of an order) as a tier of its own is
    # a join the planner misjudges (it read 500,000 orders for a prefix no contact of theirs had); such a
    # record still ranks with those containing the text
    tiers += [
        (OTHER_PREFIX, records.filter(condition(model, path, "istartswith", text)))
        for path in others
        if "__" not in path
    ]
    words = text_search.words_of(text)
    if text_search.indexed(words[0]):
        # every match has the longest word in some field: a part per field, read through that field's trigram
        # index (or along the records' order when most records have it) and kept when it has the other words
        # too, with no look-up of each word's matches first
        # unsplit: with short words among the others the split parts' joins were planned badly (10 s on a phone)
        parts = text_search.longest_word_parts(model, fields, words, split=False)
        tiers += [(CONTAINS, records.filter(part)) for part in parts]
    else:
        # short words (no trigram helps: most records have them) or SQLite
        tiers.append((CONTAINS, records.filter(text_search.words_condition(model, fields, text))))
    return tiers


def _best_ranked(records, fields: list[str], text: str, limit: int) -> dict[int, int]:
    """The ids and ranks of the `limit` best matches: `limit` ids of each rank, in one query, or two.

    Every rank's rows are also rows of the ranks below it (a prefix contains the text), so `limit` rows of each
    rank hold `limit` of the best: nothing ranks every match to return eight. A rank's rows are read in no
    order, so that its index answers and stops at `limit` (ordered by id, the planner scanned the whole table
    along the id for a name it wrongly thought frequent); the hits are shown by rank and id.

    The better ranks and the first field holding the text come in the first query; the other fields holding it
    only when that found fewer than `limit`: a common word fills the page from the first field, and the other
    parts (an EXISTS on a related record's name) read every match when the records they join are few (50,000
    contacts named "Nova" for activities of which none has a contact: 3.4 s)."""
    tiers = _tiers(records, fields, text)
    first_contains = next((index for index, (rank, _) in enumerate(tiers) if rank == CONTAINS), len(tiers))
    ranks = _read_ranks(tiers[: first_contains + 1], limit, {})
    if len(ranks) < limit and first_contains + 1 < len(tiers):
        ranks = _read_ranks(tiers[first_contains + 1 :], limit, ranks)
    if not ranks:
        return _similar(records, fields, text, limit)
    return dict(sorted(ranks.items(), key=lambda item: (item[1], item[0]))[:limit])


def _read_ranks(tiers: list[tuple[int, object]], limit: int, ranks: dict[int, int]) -> dict[int, int]:
    """`ranks` with `limit` ids of each of `tiers` added at their best rank (one query where the database takes a
    LIMIT inside a UNION)."""
    parts = [
        tier.order_by().annotate(_rank=Value(rank, output_field=IntegerField())).values_list("pk", "_rank")[:limit]
        for rank, tier in tiers
    ]
    if len(parts) == 1:
        rows = parts[0]
    elif connection.features.supports_slicing_ordering_in_compound:
        rows = parts[0].union(*parts[1:], all=True)  # one query: each part stops at its own limit
    else:
        rows = chain.from_iterable(parts)  # SQLite takes no LIMIT inside a UNION: a query per rank
    ranks = dict(ranks)
    for pk, rank in rows:
        ranks[pk] = min(rank, ranks.get(pk, rank))
    return ranks


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


def search(
    user, text: str, *, current_section: str | None = None, per_section: int = PER_SECTION, passages: bool = False
) -> list[Hit]:
    """The records of every section the user may see that match `text`, ranked; with `passages`, the passage
    holding the text of each hit of a section that gives one (the search page; the top bar's list shows none)."""
    text = text.strip()[:100]
    if len(text) < 2:
        return []
    hits: list[Hit] = []
    tagged_sections = _sections_with_tags_like(user, text)
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
        if section.name in tagged_sections:
            tagged = tags.tagged_records(user=user, section=section, text=text, records=records, limit=per_section)
            ranks = {**dict.fromkeys(tagged, CONTAINS), **ranks}  # a record found by its tag too
        if not ranks:
            continue
        related = [name for name in CONTEXT_RELATIONS if name in readable and _is_relation(section, name)]
        objects = records.filter(pk__in=list(ranks)).select_related(*related)
        # Records of the section the user is in come first, as the reference's command line does.
        bonus = 0 if section.name == current_section else 1
        found = {}
        if passages and section.search_passages:
            found = section.search_passages(user, records, list(ranks), text)
        for obj in sorted(objects, key=lambda o: (ranks[o.pk], o.pk)):
            context = _context(user, section, obj, readable)
            rank = ranks[obj.pk] * 2 + bonus
            hits.append(Hit(section=section, obj=obj, rank=rank, context=context, passage=found.get(obj.pk, "")))
    hits.sort(key=lambda h: (h.rank, h.section.position))
    return hits


def _sections_with_tags_like(user, text: str) -> set[str]:
    """The sections having a tag the user sees whose name holds `text` (one query for all: most searches match no
    tag, and a query per section to find that out was a round trip each)."""
    from django.db.models import Q

    from .models import Tag

    if not (user and user.is_authenticated):
        return set()
    name = " ".join(text.split())
    visible = Q(author__isnull=True) | Q(author=user)
    tags_like = Tag.objects.filter(visible, name__icontains=name).order_by()
    return set(tags_like.values_list("section", flat=True).distinct())


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

"""How a search text becomes conditions on a section's records: its words, in any order, each in some search field.

Two shapes, by what the database can do with a word:
- a word of three characters or more on PostgreSQL is looked up in the trigram index of each field first, at most
  `FEW` ids: a rare word becomes `pk IN (those ids)`, which any count, sort or page reads at once;
- a common word (more matches than that), a shorter one (no trigram helps) and any word on SQLite become one
  condition per field joined by OR, a field across a relation as an EXISTS on its row: the planner reads a page in
  its order and stops once the page is full, and a bounded count stops at its bound, where an `IN (... UNION
  ...)` would gather every match first.
"""

from __future__ import annotations

from functools import reduce
from operator import and_, or_

from django.db import connection, models
from django.db.models import Exists, OuterRef, Q

from .registry import Section

#: a word with at most this many matches is looked up by id
FEW = 1000
#: several common words whose records together are at most this many are looked up by id
MANY = 10_000
#: at most this many words of a text are searched
MAX_WORDS = 5


def words_of(text: str) -> list[str]:
    """The words searched for, longest first (the most telling), without repeats."""
    words = dict.fromkeys(word for word in text.split() if word)
    return sorted(words, key=len, reverse=True)[:MAX_WORDS]


def searchable_fields(section: Section, user) -> list[str]:
    """The section's search fields the user may read."""
    readable = section.readable_fields(user)
    return [f for f in section.search_fields if f.split("__")[0] in readable]


def field_condition(model: type[models.Model], path: str, lookup: str, value: str) -> Q:
    """`path__lookup=value`; across a relation as an EXISTS on the related row, so that an OR of it and the
    record's own fields neither joins nor multiplies rows."""
    relation, _, rest = path.partition("__")
    if not rest:
        return Q(**{f"{path}__{lookup}": value})
    foreign_key = model._meta.get_field(relation)
    if foreign_key.many_to_one and "__" not in rest and not indexed(value):
        # A word no trigram index finds ("an"): a record has one account, so a (left) join multiplies nothing,
        # and read along the records' order it looks up one row per record. As an EXISTS it became a hashed
        # subplan reading every match first (all contacts with "an" in their name, to show eight orders);
        # for a longer word that is what is wanted: the few matches, through the related field's index.
        return Q(**{f"{path}__{lookup}": value})
    related = foreign_key.related_model._base_manager.filter(
        pk=OuterRef(foreign_key.attname), **{f"{rest}__{lookup}": value}
    )
    # "has a related row" said outright: where few records have one (deals with a contact), the planner reads
    # those few through the key's index instead of every related match (50,000 contacts named "Nova", 544 ms
    # against 0.02 ms at 1M contacts); where most have one, it changes nothing
    return Q(**{f"{foreign_key.attname}__isnull": False}) & Q(Exists(related))


def any_field(model: type[models.Model], fields: list[str], word: str, lookup: str = "icontains") -> Q:
    """Records with `word` in one of `fields` (or whose id it is)."""
    conditions = [field_condition(model, path, lookup, word) for path in fields]
    if word.isdigit() and lookup == "icontains":
        conditions.append(Q(pk=int(word)))
    return reduce(or_, conditions) if conditions else Q(pk__in=[])


def every_word(model: type[models.Model], fields: list[str], words: list[str]) -> Q:
    """Records with each of `words` in one of `fields`, as plain conditions (no look-up of their ids first)."""
    return reduce(and_, (any_field(model, fields, word) for word in words))


def indexed(word: str) -> bool:
    """Can a trigram index find the records containing `word`?"""
    return connection.vendor == "postgresql" and len(word) >= 3


def few_ids(model: type[models.Model], fields: list[str], word: str) -> list[int] | None:
    """The ids of the records with `word` in one of `fields`, read through each field's trigram index, or None
    when there are more than `FEW` (one query)."""
    records = model._base_manager.order_by()
    parts = [records.filter(**{f"{path}__icontains": word}).values_list("pk", flat=True) for path in fields]
    if word.isdigit():
        parts.append(records.filter(pk=int(word)).values_list("pk", flat=True))
    found = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
    ids = list(found[: FEW + 1])
    if len(ids) > FEW:
        return None
    return sorted(set(ids))


def text_condition(section: Section, text: str, user) -> Q:
    """Records of `section` with every word of `text` in one of the user's readable search fields."""
    return words_condition(section.model, searchable_fields(section, user), text)


def words_condition(model: type[models.Model], fields: list[str], text: str) -> Q:
    """Records of `model` with every word of `text` in one of `fields`."""
    words = words_of(text)
    if not fields or not words:
        return Q(pk__in=[])
    conditions, common = [], []
    for word in words:
        ids = few_ids(model, fields, word) if indexed(word) else None
        conditions.append(Q(pk__in=ids) if ids is not None else any_field(model, fields, word))
        if ids == []:
            break  # nothing has this word: no need to look up the others
        if ids is None and indexed(word):
            common.append(word)
    if len(common) == len(words) > 1:
        # Several words, each common ("Apex Bui": a company name in twenty, a noun in twenty), whose records
        # together are often few: as plain conditions a count would read the whole table to find them. Their
        # ids are read instead through the trigram index of each field holding the longest word (one query),
        # unless there are more than MANY: then the plain conditions find a page and a bounded count early.
        records = model._base_manager.order_by()
        parts = [records.filter(part).values_list("pk", flat=True) for part in longest_word_parts(model, fields, words)]
        ids = list((parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0])[: MANY + 1])
        if len(ids) <= MANY:
            return Q(pk__in=sorted(set(ids)))
    return reduce(and_, conditions)


def longest_word_parts(model: type[models.Model], fields: list[str], words: list[str], split: bool = True) -> list[Q]:
    """Records with every one of `words` (longest first) in some field, as conditions each read through one
    trigram index and kept when the record has the other words too; every such record meets one of them.

    "A field holds the longest word" alone would read every record with it ("Larsen": 50,000 contacts to find
    the 2,000 Jonas Larsens; "Bright" in the account's name, 50,000 to find the 2,600 at a "Bright Software"),
    so each field is split: it holds every word (its trigram index finds the few), or it holds the longest and
    another word is in another field, through that field's index. Without `split` (the global search, which
    stops at eight per part) a part per field."""
    first, rest = words[0], words[1:]
    others = every_word(model, fields, rest) if rest else Q()
    parts = []
    for path in fields:
        holds_first = field_condition(model, path, "icontains", first)
        if not rest or not split:
            parts.append(holds_first & others)
            continue
        parts.append(reduce(and_, (field_condition(model, path, "icontains", word) for word in words)))
        parts += [
            holds_first & field_condition(model, other, "icontains", word) & others
            for word in rest
            for other in fields
            if other != path
        ]
    if first.isdigit():
        parts.append(Q(pk=int(first)) & others)
    return parts


def similar_condition(model: type[models.Model], path: str, text: str) -> Q | None:
    """Records whose `path` holds a word like `text` with a typo ("nortwind" for "Northwind"), or None when
    `text` is too short to judge. On PostgreSQL by trigram word similarity (through the field's trigram index);
    elsewhere by one letter added, left out or changed at any place."""
    word = text.strip()
    if len(word) < 4 or "__" in path:
        return None
    if connection.vendor == "postgresql":
        from django.contrib.postgres.lookups import TrigramWordSimilar
        from django.db.models.functions import Upper

        # UPPER(...) as the trigram index has it
        return Q(TrigramWordSimilar(Upper(path), word.upper()))
    return Q(**{f"{path}__iregex": "|".join(_one_letter_off(word))})


def _one_letter_off(word: str) -> list[str]:
    """Regular expressions of the words one letter away from `word`: one added, changed or left out."""
    import re

    def escaped(part: str) -> str:
        return re.escape(part)

    added = [escaped(word[:i]) + "." + escaped(word[i:]) for i in range(len(word) + 1)]
    changed = [escaped(word[:i]) + "." + escaped(word[i + 1 :]) for i in range(len(word))]
    left_out = [escaped(word[:i] + word[i + 1 :]) for i in range(len(word))]
    return added + changed + left_out

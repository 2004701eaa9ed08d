"""Full-text search of articles, ranked name above summary (tags, once the platform has them) above body, with
the matching passage.

On PostgreSQL: a weighted tsvector kept on the article by every save, a GIN index, `websearch_to_tsquery`
("quoted phrases", OR, -word) in the language configuration of `KNOWLEDGE_SEARCH_CONFIG` and `ts_headline` for the
passage. On SQLite: every word must appear somewhere (no stemming, no phrases, no OR), ranked by where it appears,
and the passage is the body around the first word found.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import reduce
from operator import and_, or_

from django.conf import settings
from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import Case, F, IntegerField, Q, QuerySet, TextField, Value, When
from django.db.models.functions import Replace
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

#: the passage's highlight, as ts_headline writes it before the passage is escaped
_START, _STOP = "\x02", "\x03"
PASSAGE_WORDS = 30
#: the matches ranked at most (see `ranked`)
CANDIDATES = 1000
MAX_TEXT = 200


def config() -> str:
    return getattr(settings, "KNOWLEDGE_SEARCH_CONFIG", "english")


def is_full_text() -> bool:
    return connection.vendor == "postgresql"


def _plain(field: str):
    """`field` with its angle brackets as spaces: PostgreSQL's parser reads "<word> ..." as markup and would skip
    the words after it (the text is plain already: an article that writes about <script> means the word)."""
    text = TextField()
    return Replace(
        Replace(F(field), Value("<"), Value(" "), output_field=text), Value(">"), Value(" "), output_field=text
    )


def vector():
    language = config()
    return (
        SearchVector(_plain("name"), weight="A", config=language)
        + SearchVector(_plain("summary"), weight="B", config=language)
        + SearchVector(_plain("body_text"), weight="C", config=language)
    )


def refresh_vectors(ids) -> None:
    """Recompute the search vector of the articles `ids` (PostgreSQL; SQLite searches the text itself)."""
    if not is_full_text():
        return
    from .models import Article

    Article.objects.filter(pk__in=list(ids)).update(search_vector=vector())


@dataclass
class Result:
    article: object
    #: where the text was found: "name", "summary" or "body"
    found_in: str
    passage: SafeString


def _highlight(passage: str) -> SafeString:
    """The passage escaped, its highlighted words in <mark>."""
    escaped = escape(passage)
    return mark_safe(escaped.replace(_START, "<mark>").replace(_STOP, "</mark>"))  # noqa: S308 - escaped above


def _words(text: str) -> list[str]:
    return [word for word in re.findall(r"\w+", text) if len(word) > 1][:8]


def _found_in(article, words: list[str]) -> str:
    for field in ("name", "summary"):
        value = (getattr(article, field) or "").lower()
        if words and any(word.lower() in value for word in words):
            return field
    return "body"


def _query(text: str) -> SearchQuery:
    return SearchQuery(text, search_type="websearch", config=config())


def ranked(records: QuerySet, text: str, limit: int = 20, *, passages: bool = True) -> list[Result]:
    """The `limit` best articles of `records` (already filtered by what the user may see) for `text`, with their
    passages unless told not to (the global search shows none)."""
    text = (text or "").strip()[:MAX_TEXT]
    if not text:
        return []
    if is_full_text():
        query = _query(text)
        # a word in half the articles: only the first matches the index gives are ranked, as the global search
        # does (crm.sections.search), so the cost stays bounded; a rarer word's matches are all ranked
        candidates = list(records.filter(search_vector=query).order_by().values_list("pk", flat=True)[:CANDIDATES])
        rows = records.filter(pk__in=candidates).annotate(rank=SearchRank(F("search_vector"), query))
        rows = list(rows.defer("body", "body_text", "search_vector").order_by("-rank", "-pk")[:limit])
        words = _words(text)
        if passages and rows:
            # the passages of the page only: ts_headline reads the whole body
            found = records.model._default_manager.filter(pk__in=[row.pk for row in rows]).annotate(
                passage=SearchHeadline(
                    _plain("body_text"),
                    query,
                    config=config(),
                    start_sel=_START,
                    stop_sel=_STOP,
                    max_words=PASSAGE_WORDS,
                    min_words=12,
                    max_fragments=2,
                )
            )
            texts = dict(found.values_list("pk", "passage"))
        else:
            texts = {}
        return [Result(row, _found_in(row, words), _highlight(texts.get(row.pk, ""))) for row in rows]
    words = _words(text)
    if not words:
        return []
    rows = (
        records.filter(_all_words(words))
        .annotate(place=_place(words))
        .order_by("place", "-helpful_count", "-pk")[:limit]
    )
    return [Result(row, _found_in(row, words), _passage(row.body_text, words)) for row in rows]


def _all_words(words: list[str]) -> Q:
    each = [Q(name__icontains=w) | Q(summary__icontains=w) | Q(body_text__icontains=w) for w in words]
    return reduce(and_, each)


def _place(words: list[str]) -> Case:
    in_name = reduce(or_, [Q(name__icontains=w) for w in words])
    in_summary = reduce(or_, [Q(summary__icontains=w) for w in words])
    return Case(
        When(in_name, then=Value(0)), When(in_summary, then=Value(1)), default=Value(2), output_field=IntegerField()
    )


def _passage(body: str, words: list[str]) -> SafeString:
    """About `PASSAGE_WORDS` words of the body around the first word found, the words highlighted."""
    tokens = body.split()
    lowered = [token.lower() for token in tokens]
    start = next((i for i, token in enumerate(lowered) if any(w.lower() in token for w in words)), 0)
    first = max(0, start - PASSAGE_WORDS // 3)
    chosen = tokens[first : first + PASSAGE_WORDS]
    pattern = re.compile("|".join(re.escape(w) for w in words), re.IGNORECASE)
    text = " ".join(chosen)
    marked = pattern.sub(lambda m: f"{_START}{m.group(0)}{_STOP}", text)
    prefix = "… " if first else ""
    suffix = " …" if first + PASSAGE_WORDS < len(tokens) else ""
    return _highlight(prefix + marked + suffix)


def global_hits(user, records: QuerySet, text: str, limit: int) -> dict[int, int]:
    """`Section.search_hits` for the global search: {article id: rank on its scale} (found in the name ranks as
    another field's prefix, in the body as containing every word)."""
    from crm.sections.search import CONTAINS, OTHER_PREFIX

    return {
        result.article.pk: OTHER_PREFIX if result.found_in == "name" else CONTAINS
        for result in ranked(records.order_by(), text, limit, passages=False)
    }

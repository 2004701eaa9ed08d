"""Full-text search of articles, ranked name above tags and summary above body, with the matching passage. Only
corporate tags count: the vector is shared by every reader, so a private tag never moves another user's ranking.

On PostgreSQL: a weighted tsvector kept on the article by every save, a GIN index, `websearch_to_tsquery`
("quoted phrases", OR, -word) in the language configuration of `KNOWLEDGE_SEARCH_CONFIG` and `ts_headline` for the
passage. A second, small vector of the title alone (name, corporate tags, summary) with its own GIN index keeps the
cost bounded for a word in every article: only capped sets are ranked (see `_full_text`), and ts_headline runs on
the page's rows only.

On SQLite: every word must appear somewhere (no stemming, no phrases, no OR), ranked by where it appears, and the
passage is the body around the first word found.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import reduce
from operator import and_, or_

from django.conf import settings
from django.contrib.postgres.aggregates import StringAgg
from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, SearchVector, SearchVectorField
from django.db import connection
from django.db.models import (
    Case,
    Exists,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    TextField,
    Value,
    When,
)
from django.db.models.functions import Replace
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from crm.sections.models import Tag, TaggedRecord

#: the passage's highlight, as ts_headline writes it before the passage is escaped
_START, _STOP = "\x02", "\x03"
PASSAGE_WORDS = 30
#: the articles with a word of the search in their name, then in their tags or summary, ranked at most in each
#: tier, the best by their title's rank (see `_full_text`)
TITLE_CANDIDATES = 100
#: the articles matched in the body alone ranked at most when the titles give less than a page: the first the
#: index gives (a phrase or a -word: only as many as the page lacks, see `_full_text`)
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


SECTION = "knowledge"


def corporate_tags():
    """The knowledge base's corporate tags: those every reader sees, so those the shared vector may hold."""
    return Tag.objects.filter(section=SECTION, author__isnull=True)


def _tag_names():
    """The names of the article's corporate tags, one text (a subquery on the article)."""
    names = (
        corporate_tags()
        .filter(records__object_id=OuterRef("pk"))
        .order_by()
        .values("section")
        .annotate(names=StringAgg("name", " "))
        .values("names")
    )
    return Subquery(names, output_field=TextField())


def title_vector():
    """The name (A), the corporate tags and the summary (B): the search vector without the body."""
    language = config()
    return (
        SearchVector(_plain("name"), weight="A", config=language)
        + SearchVector(_tag_names(), weight="B", config=language)
        + SearchVector(_plain("summary"), weight="B", config=language)
    )


def vector():
    return title_vector() + SearchVector(_plain("body_text"), weight="C", config=config())


def refresh_vectors(ids) -> None:
    """Recompute the search vectors of the articles `ids` (PostgreSQL; SQLite searches the text itself)."""
    if not is_full_text():
        return
    from .models import Article

    Article.objects.filter(pk__in=list(ids)).update(search_vector=vector(), title_vector=title_vector())


def tagged_with(tag) -> list[int]:
    """The ids of the articles carrying `tag`."""
    return list(TaggedRecord.objects.filter(tag=tag).values_list("object_id", flat=True))


def _in_tags(words: list[str]) -> Q:
    """Articles with a corporate tag whose name holds one of `words` (SQLite's plain match)."""
    tags = corporate_tags().filter(reduce(or_, [Q(name__icontains=w) for w in words]))
    return Q(Exists(TaggedRecord.objects.filter(object_id=OuterRef("pk"), tag__in=tags)))


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


def _found_in(article, words: list[str], tag_names: dict[int, str]) -> str:
    places = (("name", article.name), ("tags", tag_names.get(article.pk, "")), ("summary", article.summary))
    for place, value in places:
        if words and any(word.lower() in (value or "").lower() for word in words):
            return place
    return "body"


def _tag_names_of(rows) -> dict[int, str]:
    """{article id: its corporate tags' names} for a page of results (one query)."""
    names: dict[int, str] = {}
    pairs = TaggedRecord.objects.filter(object_id__in=[row.pk for row in rows], tag__in=corporate_tags())
    for pk, name in pairs.values_list("object_id", "tag__name"):
        names[pk] = f"{names.get(pk, '')} {name}"
    return names


def _query(text: str) -> SearchQuery:
    return SearchQuery(text, search_type="websearch", config=config())


def _needs_recheck(text: str) -> bool:
    """Does the index alone not answer `text`: a quoted phrase (word order) or a -word (an absent word)?"""
    return '"' in text or _NEGATED.search(text) is not None


_NEGATED = re.compile(r'(?:^|\s)-(?:"[^"]*"?|\S+)')


def _any_word(text: str) -> SearchQuery | None:
    """Any of the words `text` looks for (not those it excludes), for the title vector: a title holding one of
    them ranks the article above those found in the body only."""
    words = [word for word in re.findall(r"\w+", _NEGATED.sub(" ", text)) if word.lower() != "or"][:16]
    return SearchQuery(" or ".join(words), search_type="websearch", config=config()) if words else None


def name_vector():
    """The name's words alone, as the expression index article_name_vector_idx has them (migration 0007): the
    first tier of the ranked search, a few matches even for a word in every body."""
    return Func(Value(config()), F("name"), function="to_tsvector", output_field=SearchVectorField())


def _best(records: QuerySet, ids: list[int], query: SearchQuery, any_word, limit: int, *, check: bool = True) -> list:
    """The `limit` best of the articles `ids` that match `query` (checked on the whole vector unless the ids match
    it already): a word in the title first (name above tags and summary), then the whole article's rank."""
    if not ids or limit <= 0:
        return []
    title_rank = SearchRank(F("title_vector"), any_word) if any_word is not None else Value(0.0)
    rows = records.filter(pk__in=ids)
    if check:
        rows = rows.filter(search_vector=query)
    rows = rows.annotate(title_rank=title_rank, rank=SearchRank(F("search_vector"), query))
    return list(rows.defer(*_HEAVY).order_by("-title_rank", "-rank", "-pk")[:limit])


_HEAVY = ("body", "body_text", "search_vector", "title_vector")


def _by_title(matches: QuerySet, any_word: SearchQuery, exclude: list[int]) -> list[int]:
    """The ids of the best `TITLE_CANDIDATES` of `matches` by their title's rank (small vectors, read in the row)."""
    if exclude:
        matches = matches.exclude(pk__in=exclude)
    ranked_titles = matches.annotate(title_rank=SearchRank(F("title_vector"), any_word))
    return list(ranked_titles.order_by("-title_rank", "-pk").values_list("pk", flat=True)[:TITLE_CANDIDATES])


def _full_text(records: QuerySet, text: str, limit: int) -> list:
    """The ranked page on PostgreSQL, at a cost bounded whatever the word (a word in half the articles too): only
    capped sets are ranked on the whole vector, each tier only when those above it leave the page short.

    1. The articles with a word of the search in their name (the name's expression index), the best
       `TITLE_CANDIDATES` by their title's rank, those matching the whole search ranked: the title's rank, then
       the whole article's (a second word may be in the body).
    2. The same for a word in the corporate tags or the summary (the title vector's GIN index); for a phrase or a
       -word, the title vector matching the search itself.
    3. The body's matches: the first the search vector's index gives, `CANDIDATES` of them; for a phrase or a
       -word, which the index cannot tell and every match must be read again for, only as many as the page
       lacks (the floor: the bare `@@` reading a page).
    A word in the title ranks above the body alone, name (A) above tags and summary (B).
    """
    query = _query(text)
    any_word = _any_word(text)
    # one plain word: a title holding it matches the search, nothing to check on the whole vector
    check = _needs_recheck(text) or len(re.findall(r"\w+", text)) != 1
    rows: list = []
    seen: list[int] = []
    if any_word is not None:
        # a phrase or a -word in the tags or the summary: the title vector answers it (small, read again cheaply);
        # a word of a phrase alone there would be a summary's common word in thousands of articles
        in_titles = query if _needs_recheck(text) else any_word
        for matches in (
            records.annotate(_name_vector=name_vector()).filter(_name_vector=any_word),
            records.filter(title_vector=in_titles),
        ):
            ids = _by_title(matches, any_word, seen)
            rows += _best(records, ids, query, any_word, limit - len(rows), check=check)
            seen += ids
            if len(rows) >= limit:
                return rows
    cap = limit - len(rows) if _needs_recheck(text) else CANDIDATES
    matches = records.filter(search_vector=query).order_by()
    if seen:
        matches = matches.exclude(pk__in=seen)
    body = list(matches.values_list("pk", flat=True)[:cap])
    return rows + _best(records, body, query, any_word, limit - len(rows), check=False)


def ranked(records: QuerySet, text: str, limit: int = 20, *, passages: bool = True, body: bool = True) -> list[Result]:
    """The `limit` best articles of `records` (already filtered by what the user may see) for `text`, with their
    passages unless told not to (the global search shows none). Without `body` (a user whose column rights hide
    the text) only the name, the corporate tags and the summary are searched, and no passage is shown."""
    text = (text or "").strip()[:MAX_TEXT]
    if not text:
        return []
    if not body:
        return _in_titles(records, text, limit)
    if is_full_text():
        query = _query(text)
        rows = _full_text(records, text, limit)
        words = _words(text)
        # the passages of the page only: ts_headline reads the whole body
        page = records.model._default_manager.filter(pk__in=[row.pk for row in rows])
        texts = _headlines(page, query) if passages and rows else {}
        names = _tag_names_of(rows) if rows else {}
        return [Result(row, _found_in(row, words, names), _highlight(texts.get(row.pk, ""))) for row in rows]
    words = _words(text)
    if not words:
        return []
    rows = list(
        records.filter(_all_words(words))
        .annotate(place=_place(words))
        .order_by("place", "-helpful_count", "-pk")[:limit]
    )
    names = _tag_names_of(rows) if rows else {}
    return [Result(row, _found_in(row, words, names), _passage(row.body_text, words)) for row in rows]


def _in_titles(records: QuerySet, text: str, limit: int) -> list[Result]:
    """The search of a reader who may not see the articles' text: the title vector (name, corporate tags,
    summary) on PostgreSQL, the same fields' words on SQLite; ranked name first, no passage."""
    words = _words(text)
    if is_full_text():
        query = _query(text)
        rows = list(
            records.filter(title_vector=query)
            .annotate(rank=SearchRank(F("title_vector"), query))
            .defer(*_HEAVY)
            .order_by("-rank", "-pk")[:limit]
        )
    elif words:
        rows = list(
            records.filter(_all_words(words, body=False)).annotate(place=_place(words)).order_by("place", "-pk")[:limit]
        )
    else:
        return []
    names = _tag_names_of(rows) if rows else {}
    # a stemmed word matches none of the fields literally: it was in the title, whose last part is the summary
    return [Result(row, _found_in(row, words, names).replace("body", "summary"), _highlight("")) for row in rows]


def body_readable(user) -> bool:
    """Whether the user's column rights let them read the articles' text."""
    from crm.sections import registry

    return "body" in registry.get("knowledge").readable_fields(user)


def _headlines(articles: QuerySet, query: SearchQuery) -> dict[int, str]:
    """ts_headline's passages of `articles` (a page's: it reads each whole body), unescaped."""
    found = articles.annotate(
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
    return dict(found.values_list("pk", "passage"))


def passages(records: QuerySet, ids: list[int], text: str) -> dict[int, SafeString]:
    """The matching passage of each of the articles `ids` among `records` (what the user may see), highlighted and
    escaped, for a page that shows a few hits found elsewhere (the global search's page); an article whose body
    does not have the text gets none. One query."""
    text = (text or "").strip()[:MAX_TEXT]
    if not ids or not text:
        return {}
    if is_full_text():
        texts = _headlines(records.filter(pk__in=ids), _query(text))
        # ts_headline returns the body's start when the body has none of the words: no highlight, no passage
        return {pk: _highlight(passage) for pk, passage in texts.items() if _START in passage}
    words = _words(text)
    bodies = records.filter(pk__in=ids).values_list("pk", "body_text")
    return {pk: _passage(body, words) for pk, body in bodies if any(word.lower() in body.lower() for word in words)}


def global_passages(user, records: QuerySet, ids: list[int], text: str) -> dict[int, SafeString]:
    """`Section.search_passages`: the passages, when the user may read the articles' body."""
    return passages(records, ids, text) if body_readable(user) else {}


def _all_words(words: list[str], *, body: bool = True) -> Q:
    """Every word in the name, a corporate tag, the summary or (with `body`) the text."""
    each = [Q(name__icontains=w) | _in_tags([w]) | Q(summary__icontains=w) for w in words]
    if body:
        each = [part | Q(body_text__icontains=w) for part, w in zip(each, words, strict=True)]
    return reduce(and_, each)


def _place(words: list[str]) -> Case:
    """0 found in the name, 1 in a corporate tag or the summary, 2 in the body only."""
    in_name = reduce(or_, [Q(name__icontains=w) for w in words])
    in_tags_or_summary = _in_tags(words) | reduce(or_, [Q(summary__icontains=w) for w in words])
    return Case(
        When(in_name, then=Value(0)),
        When(in_tags_or_summary, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
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
        for result in ranked(records.order_by(), text, limit, passages=False, body=body_readable(user))
    }


# --- the vector follows the articles' corporate tags ------------------------------------------------------------


def on_tags_changed(sender, *, ids, **kwargs) -> None:
    """`crm.sections.tags.corporate_tags_changed`: corporate tags were put on or taken off articles."""
    from .models import Article

    if sender is Article:
        refresh_vectors(ids)


def on_tag_saved(sender, *, instance, created, **kwargs) -> None:
    """A corporate tag of the knowledge base renamed: the articles carrying it."""
    if not created and instance.section == SECTION and not instance.private and is_full_text():
        refresh_vectors(tagged_with(instance))


def on_tag_deleting(sender, *, instance, **kwargs) -> None:
    """Before a corporate tag goes: which articles carry it (its rows go with it)."""
    if instance.section == SECTION and not instance.private and is_full_text():
        instance._knowledge_articles = tagged_with(instance)


def on_tag_deleted(sender, *, instance, **kwargs) -> None:
    refresh_vectors(getattr(instance, "_knowledge_articles", []))


def connect() -> None:
    from django.db.models.signals import post_delete, post_save, pre_delete

    from crm.sections.tags import corporate_tags_changed

    corporate_tags_changed.connect(on_tags_changed, dispatch_uid="knowledge-tags")
    post_save.connect(on_tag_saved, sender=Tag, dispatch_uid="knowledge-tag-saved")
    pre_delete.connect(on_tag_deleting, sender=Tag, dispatch_uid="knowledge-tag-deleting")
    post_delete.connect(on_tag_deleted, sender=Tag, dispatch_uid="knowledge-tag-deleted")

"""Benchmark: the knowledge base's full-text search at 100,000 articles of realistic length, on PostgreSQL.

    DATABASE_URL=postgres://.../crm_knowledge_bench python bench/knowledge.py [--articles 100000] [--runs 15] [--reuse]

On an empty database it migrates, makes the demo users and bulk-inserts the articles (bodies of 300 to 1,500 words
drawn from a vocabulary with a Zipf-like spread, so some words are in half the articles and others in a few), then
computes their search vectors in one UPDATE per batch. --reuse runs on what an earlier run left.

Timed alternately in one run, as a rep with record rights on (the access filter in every query):
- the ranked search (knowledge.search.ranked: 20 articles, rank, passages) against the bare `@@` match of the same
  query reading 20 ids, no ranking, no rights: the floor the index sets;
- the global search (crm.sections.search.search) with the articles in it against the same search with the
  knowledge section taken out;
- the search page: the global search with the passages of the articles it found ("page"), timed alternately
  with the same search without them ("page w/o").
It prints figures and asserts nothing.
"""

from __future__ import annotations

import argparse
import itertools
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from run import existing_data, manage, setup_django  # noqa: E402

BATCH = 2000
SYLLABLES = ["ka", "lo", "mi", "ne", "ru", "ta", "sho", "ven", "dar", "pel", "qui", "bra", "sto", "len", "mar", "tis"]
REAL_WORDS = [
    "discount",
    "contract",
    "renewal",
    "customer",
    "invoice",
    "pipeline",
    "objection",
    "approval",
    "warranty",
    "delivery",
    "training",
    "support",
    "price",
    "budget",
    "regulation",
    "travel",
    "expenses",
    "privacy",
    "onboarding",
    "forecast",
    "quota",
    "proposal",
    "meeting",
    "demo",
    "license",
    "integration",
    "security",
    "upgrade",
    "refund",
]


def vocabulary(rng: random.Random, size: int = 20_000) -> list[str]:
    words = set(REAL_WORDS)
    while len(words) < size:
        words.add("".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))))
    ordered = list(REAL_WORDS) + sorted(words - set(REAL_WORDS))
    return ordered


def body(rng: random.Random, words: list[str], weights: list[float]) -> tuple[str, str]:
    paragraphs = []
    for _ in range(rng.randint(4, 12)):
        chosen = rng.choices(words, cum_weights=weights, k=rng.randint(60, 130))
        paragraphs.append(" ".join(chosen).capitalize() + ".")
    html = "".join(
        f"<h2>{p.split()[0]}</h2><p>{p}</p>" if i % 3 == 0 else f"<p>{p}</p>" for i, p in enumerate(paragraphs)
    )
    return html, "\n".join(paragraphs)


def copy_to(count: int) -> None:
    """Fill up to `count` articles with copies of those written (new names, same bodies and vectors), in SQL: a
    machine shared by many cannot write 100,000 bodies and their vectors in Python in the time there is."""
    from django.db import connection

    from knowledge.models import Article

    have = Article.objects.count()
    if have >= count:
        return
    columns = [f.column for f in Article._meta.concrete_fields if f.column not in ("id", "name")]
    listed = ", ".join(columns)
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO knowledge_article (name, {listed}) "  # noqa: S608 - column names from the model
            f"SELECT a.name || ' (' || g || ')', {', '.join('a.' + c for c in columns)} "
            "FROM knowledge_article a CROSS JOIN generate_series(1, %s) g ORDER BY g, a.id LIMIT %s",
            [count // have + 1, count - have],
        )
        cursor.execute("ANALYZE knowledge_article")
    print(f"  copied up to {Article.objects.count():,} articles ({time.perf_counter() - started:.0f} s)", flush=True)


def seed(count: int) -> None:
    from django.db import connection
    from django.utils import timezone

    from crm.core import demo
    from knowledge import search
    from knowledge.models import Article, ArticleGroup, ArticleType

    rng = random.Random(2026)
    users = list(demo.ensure_users().values())
    types = list(ArticleType.objects.all())
    groups = [ArticleGroup.objects.get_or_create(name=f"Bench group {i}")[0] for i in range(12)]
    words = vocabulary(rng)
    weights = list(itertools.accumulate(1 / (rank + 8) for rank in range(len(words))))  # cumulative, once
    now = timezone.now()
    done = Article.objects.count()
    started = time.perf_counter()
    while done < count:
        batch = []
        for index in range(done, min(done + BATCH, count)):
            html, text = body(rng, words, weights)
            owner = users[index % len(users)]
            title = " ".join(rng.choices(words[:400], k=rng.randint(3, 7))).capitalize()
            batch.append(
                Article(
                    name=f"{title} {index}",
                    type=rng.choice(types),
                    group=rng.choice(groups),
                    summary=" ".join(rng.choices(words, cum_weights=weights, k=15)),
                    body=html,
                    body_text=text,
                    owner=owner,
                    created_by=owner,
                    modified_by=owner,
                    created_at=now,
                    modified_at=now,
                    view_count=rng.randint(0, 500),
                    helpful_count=rng.randint(0, 50),
                )
            )
        created = Article.objects.bulk_create(batch, batch_size=BATCH)
        search.refresh_vectors([article.pk for article in created])
        done += len(created)
        print(f"  {done:,} articles ({time.perf_counter() - started:.0f} s)", flush=True)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE knowledge_article")


def timed(call, runs: int) -> float:
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        call()
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples)


def alternately(ours, baseline, runs: int) -> tuple[float, float]:
    ours(), baseline()
    mine, theirs = [], []
    for _ in range(runs):
        mine.append(timed(ours, 1))
        theirs.append(timed(baseline, 1))
    return statistics.median(mine), statistics.median(theirs)


def run(runs: int) -> None:
    from django.contrib.auth import get_user_model
    from django.contrib.postgres.search import SearchQuery

    from crm import access
    from crm.access.models import SectionAccess
    from crm.sections import registry
    from crm.sections import search as global_search
    from knowledge import search
    from knowledge.models import Article

    SectionAccess.objects.update_or_create(section="knowledge", defaults={"use_record_rights": True})
    rep = get_user_model().objects.get(username="alice")
    texts = ["discount", "contract renewal", '"price budget"', "warranty -refund", "kalomi", "shovendar tisbra"]
    print(f"\n{Article.objects.count():,} articles; median of {runs} runs, ms; as alice (record rights on)\n")
    print(
        f"{'text':<22} {'matches':>8} {'ranked':>8} {'bare @@':>8} {'global':>8} {'global w/o':>10}"
        f" {'page':>8} {'page w/o':>8}"
    )
    knowledge_section = registry.get("knowledge")
    for text in texts:
        query = SearchQuery(text, search_type="websearch", config=search.config())
        matches = Article.objects.filter(search_vector=query).count()
        ranked, bare = alternately(
            lambda text=text: search.ranked(access.visible(rep, Article.objects.all()), text, 20),
            lambda query=query: list(Article.objects.filter(search_vector=query).values_list("pk")[:20]),
            runs,
        )

        def without_articles(text=text):
            registry.unregister("knowledge")
            try:
                global_search.search(rep, text)
            finally:
                registry.register(knowledge_section)

        with_articles, baseline = alternately(lambda text=text: global_search.search(rep, text), without_articles, runs)
        # the search page: the same hits, and the passages of the articles among them
        page, page_without = alternately(
            lambda text=text: global_search.search(rep, text, passages=True),
            lambda text=text: global_search.search(rep, text),
            runs,
        )
        print(
            f"{text:<22} {matches:>8,} {ranked:>8.1f} {bare:>8.1f} {with_articles:>8.1f} {baseline:>10.1f} {page:>8.1f}"
            f" {page_without:>8.1f}"
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--reuse", action="store_true")
    parser.add_argument("--distinct", type=int, default=0, help="write this many bodies, copy the rest (0: all)")
    options = parser.parse_args()
    setup_django()
    from django.db import connection

    if connection.vendor != "postgresql":
        print("The knowledge base's full-text search is PostgreSQL's: point DATABASE_URL at PostgreSQL.")
        return 2
    before = existing_data()
    if any(before.values()) and not options.reuse:
        print(f"The database holds data ({before}); pass --reuse to run on it.", file=sys.stderr)
        return 2
    manage("migrate", "--verbosity", "0")
    seed(options.distinct or options.articles)
    copy_to(options.articles)
    with connection.cursor() as cursor:
        # a migration may have added a column or an index since: their statistics (autovacuum is off here)
        cursor.execute("ANALYZE knowledge_article")
    run(options.runs)
    return 0


if __name__ == "__main__":
    sys.exit(main())

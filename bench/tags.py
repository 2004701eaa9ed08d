"""Benchmark: the contacts list filtered by a tag against the unfiltered list, at a million contacts.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/crm_tags_bench python bench/tags.py [--rows 1000000]
                                                                                       [--runs 7] [--reuse]

It needs PostgreSQL (DATABASE_URL; never the test database) and refuses a database that already holds data unless
--reuse is given. It migrates, seeds the demo company (with its demo tags), then copies the demo contacts in one
INSERT ... SELECT from generate_series up to --rows (default 1,000,000), and
tags them in one INSERT ... SELECT each: the corporate tag "Trade fair 2026" on one contact in ten, "Decision
maker" on one in seven, and alice's private tag "Golf partner" on one in a thousand; then it vacuums and analyses
the tables (autovacuum would, where it runs).

Then it requests the contacts list through django.test.Client as the demo admin and as alice (a rep, with record
rights as the demo company has them), the unfiltered list and each filtered one timed alternately in the same run
(one warm-up each, then --runs requests), at 25 and 100 rows per page. It prints the median latency, the number of
SQL queries and the rows shown, and each filtered list's time over the unfiltered one (the target: under 2x). It is
a benchmark: it asserts nothing.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from run import existing_data, manage, setup_django  # noqa: E402 - bench/run.py, next to this file

VIEWERS = ("admin", "alice")
PAGE_SIZES = (25, 100)
#: (tag name, author username or None for corporate, one contact in how many carries it)
TAGGINGS = (("Trade fair 2026", None, 10), ("Decision maker", None, 7), ("Golf partner", "alice", 1000))


def seed(rows: int) -> None:
    from django.db import connection

    from contacts.models import Contact

    missing = rows - Contact.objects.count()
    if missing <= 0:
        return
    started = time.perf_counter()
    table = Contact._meta.db_table
    columns = [f.column for f in Contact._meta.concrete_fields if not f.primary_key]
    overrides = {
        "user_id": "NULL",
        "email": "'bench.' || g || '@example.com'",
        "created_at": "now() - (g %% 1500) * interval '1 day'",
        "modified_at": "now()",
    }
    chosen = ", ".join(overrides.get(column, f"t.{column}") for column in columns)
    template_count = Contact.objects.count()
    with connection.cursor() as cursor:
        # every column as a demo contact has it (cycled through), but for the email, dates and the user
        cursor.execute(
            f"INSERT INTO {table} ({', '.join(columns)}) "  # noqa: S608 - names from the model
            f"SELECT {chosen} FROM generate_series(1, %s) AS g "
            f"JOIN (SELECT *, row_number() OVER (ORDER BY id) - 1 AS rn FROM {table}) t ON t.rn = g %% %s",
            [missing, template_count],
        )
    print(f"contacts: {missing:,} inserted in {time.perf_counter() - started:.1f} s")
    tag_contacts()


def tag_contacts() -> None:
    from django.contrib.auth import get_user_model
    from django.db import connection

    from contacts.models import Contact
    from crm.sections.models import Tag, TaggedRecord

    started = time.perf_counter()
    for name, author, every in TAGGINGS:
        author_id = get_user_model().objects.get(username=author).pk if author else None
        tag, _ = Tag.objects.get_or_create(section="contacts", name=name, author_id=author_id)
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {TaggedRecord._meta.db_table} (tag_id, object_id) "  # noqa: S608 - model names
                f"SELECT %s, id FROM {Contact._meta.db_table} WHERE id %% %s = 3 ON CONFLICT DO NOTHING",
                [tag.pk, every],
            )
    vacuum()
    print(f"tags: {TaggedRecord.objects.count():,} tagged records in {time.perf_counter() - started:.1f} s")


def vacuum() -> None:
    """VACUUM ANALYZE the tables read, as autovacuum does after a bulk insert where it runs: without the visibility
    map every index-only probe of a contact reads its heap page too, and the planner's choices follow."""
    from django.db import connection

    from contacts.models import Contact
    from crm.sections.models import Tag, TaggedRecord

    with connection.cursor() as cursor:
        for table in (Contact._meta.db_table, TaggedRecord._meta.db_table, Tag._meta.db_table):
            cursor.execute(f"VACUUM ANALYZE {table}")  # noqa: S608 - model names


def timed(client, url: str, params: dict) -> float:
    started = time.perf_counter()
    response = client.get(url, params)
    assert response.status_code == 200, response.status_code  # noqa: S101 - a broken page is no figure
    return (time.perf_counter() - started) * 1000


@contextmanager
def counting(connection):
    """The SQL statements run inside the block, counted as they run (the query log is emptied by each request)."""
    statements = []

    def wrapper(execute, sql, params, many, context):
        statements.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(wrapper):
        yield statements


def measure_pair(client, url: str, params: dict, baseline: dict, runs: int) -> tuple:
    """Median milliseconds of the filtered list and of the unfiltered one, timed alternately, the filtered list's
    query count and the rows it shows."""
    from django.db import connection

    client.get(url, baseline)
    client.get(url, params)  # warm-up, and the query string remembered (a write not part of the page)
    with counting(connection) as queries:
        response = client.get(url, params)
    with counting(connection) as baseline_queries:
        client.get(url, baseline)
    rows = response.content.decode().count('name="ids"')
    ours, theirs = [], []
    for _ in range(runs):
        ours.append(timed(client, url, params))
        theirs.append(timed(client, url, baseline))
    return statistics.median(ours), statistics.median(theirs), len(queries), len(baseline_queries), rows


def run_pages(runs: int) -> list[tuple]:
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.test.utils import override_settings
    from django.urls import reverse

    from crm.sections.models import Tag

    plain_static = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    storages = {**settings.STORAGES, "staticfiles": plain_static}
    url = reverse("contacts:list")
    ids = {name: Tag.objects.get(section="contacts", name=name).pk for name, _, _ in TAGGINGS}
    results = []
    with override_settings(ALLOWED_HOSTS=["testserver"], SECURE_SSL_REDIRECT=False, STORAGES=storages):
        for username in VIEWERS:
            client = Client(raise_request_exception=False)
            client.force_login(get_user_model().objects.get(username=username))
            variants = [
                ("1 in 10 (corporate)", {"tags": ids["Trade fair 2026"]}),
                ("1 in 7 or 1 in 10", {"tags": [ids["Trade fair 2026"], ids["Decision maker"]]}),
                ("1 in 7 and 1 in 10", {"tags": [ids["Trade fair 2026"], ids["Decision maker"]], "tags_mode": "all"}),
            ]
            if username == "alice":
                variants.append(("1 in 1000 (private)", {"tags": ids["Golf partner"]}))
            for label, params in variants:
                for size in PAGE_SIZES:
                    baseline = {"per_page": size, "sort": "-created_at"}
                    figures = measure_pair(client, url, {**params, **baseline}, baseline, runs)
                    results.append((username, label, size, *figures))
    return results


def print_table(results, runs: int) -> None:
    print()
    print(f"contacts list newest first, median of {runs} runs, each filter timed alternately with the unfiltered list")
    header = f"{'viewer':<7} {'tag filter':<20} {'rows':>4}  {'filtered':>20}  {'unfiltered':>16}  ratio"
    print(header)
    print("-" * len(header))
    for username, label, size, ours, theirs, queries, baseline_queries, rows in results:
        print(
            f"{username:<7} {label:<20} {size:>4}  {ours:>8.1f} ms {queries:>2} q {rows:>3} r"
            f"  {theirs:>8.1f} ms {baseline_queries:>2} q  {ours / theirs:>5.2f}x"
        )


def run_floor(runs: int) -> dict[int, tuple[float, float]]:
    """The floor: what the filter "all of two tags" costs PostgreSQL alone, as plain SQL in its fastest shapes,
    with everything of ours taken away (no view, no rights, no other query): the bounded count of the contacts
    with both tags and the ids of the first page, against the same two statements for the unfiltered list,
    timed alternately. Per page size: (filtered ms, unfiltered ms)."""
    from django.conf import settings
    from django.db import connection

    from contacts.models import Contact
    from crm.sections.models import Tag, TaggedRecord

    first, second = (Tag.objects.get(section="contacts", name=name).pk for name, _, _ in TAGGINGS[:2])
    contacts, tagged = Contact._meta.db_table, TaggedRecord._meta.db_table
    both = (
        f"SELECT a.object_id FROM {tagged} a WHERE a.tag_id = {first} "  # noqa: S608 - model names and ids
        f"AND a.object_id IN (SELECT object_id FROM {tagged} WHERE tag_id = {second})"
    )
    limit = settings.LIST_EXACT_COUNT_LIMIT + 1
    statements = {
        "filtered": (
            f"SELECT count(*) FROM (SELECT 1 FROM {contacts} WHERE id = ANY(ARRAY({both})) LIMIT {limit}) s",
            f"SELECT id FROM {contacts} WHERE id IN (SELECT object_id FROM {tagged} WHERE tag_id = {first}) "
            f"AND id IN (SELECT object_id FROM {tagged} WHERE tag_id = {second}) "
            "ORDER BY created_at DESC, id DESC LIMIT %s",
        ),
        "unfiltered": (
            f"SELECT count(*) FROM (SELECT 1 FROM {contacts} LIMIT {limit}) s",
            f"SELECT id FROM {contacts} ORDER BY created_at DESC, id DESC LIMIT %s",
        ),
    }

    def once(kind: str, size: int) -> float:
        count, page = statements[kind]
        started = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute(count)
            cursor.fetchall()
            cursor.execute(page, [size + 1])
            cursor.fetchall()
        return (time.perf_counter() - started) * 1000

    figures = {}
    for size in PAGE_SIZES:
        once("filtered", size)  # warm-up
        once("unfiltered", size)
        ours, theirs = [], []
        for _ in range(runs):
            ours.append(once("filtered", size))
            theirs.append(once("unfiltered", size))
        figures[size] = (statistics.median(ours), statistics.median(theirs))
    return figures


def print_floor(results, floor: dict[int, tuple[float, float]], runs: int) -> None:
    print()
    print(f'"1 in 7 and 1 in 10": what the filter adds to the list, ms (median of {runs} runs)')
    header = f"{'rows':>4}  {'floor: plain SQL adds':>22}  " + "  ".join(f"{v + ' adds':>12}" for v in VIEWERS)
    print(header)
    print("-" * len(header))
    added = {
        (username, size): ours - theirs
        for username, label, size, ours, theirs, *_ in results
        if label == "1 in 7 and 1 in 10"
    }
    for size, (filtered, unfiltered) in floor.items():
        cells = "  ".join(f"{added[(username, size)]:>12.1f}" for username in VIEWERS)
        print(f"{size:>4}  {filtered - unfiltered:>13.1f} ({filtered:.0f}-{unfiltered:.0f})  {cells}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=1_000_000, help="contacts (default 1,000,000)")
    parser.add_argument("--runs", type=int, default=7, help="timed requests per page (default 7)")
    parser.add_argument("--reuse", action="store_true", help="run on a database that already holds data")
    options = parser.parse_args()

    setup_django()
    from django.db import connection

    if connection.vendor != "postgresql":
        print("This benchmark needs PostgreSQL: set DATABASE_URL.", file=sys.stderr)
        return 2
    before = existing_data()
    if any(before.values()) and not options.reuse:
        print(f"The database {connection.settings_dict['NAME']} already holds data {before}.", file=sys.stderr)
        print("Point DATABASE_URL at an empty database, or pass --reuse.", file=sys.stderr)
        return 2
    rows = options.rows
    print(f"Database: {connection.vendor} {connection.settings_dict['NAME']}")
    manage("migrate", "--noinput", "-v", "0")
    manage("seed_demo")
    seed(rows)
    from contacts.models import Contact
    from crm.sections.models import TaggedRecord

    print(f"Rows: {Contact.objects.count():,} contacts, {TaggedRecord.objects.count():,} tagged records")
    results = run_pages(options.runs)
    print_table(results, options.runs)
    print_floor(results, run_floor(options.runs), options.runs)
    return 0


if __name__ == "__main__":
    sys.exit(main())

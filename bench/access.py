"""Benchmark: the accounts list of a sales rep under record rights against the admin's, at scale.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/crm_bench python bench/access.py [--rows 1000000] [--runs 7]
                                                                                     [--reuse]

It uses the database of DATABASE_URL (never the test database; SQLite under var/ when unset) and refuses one that
already holds data unless --reuse is given. It migrates, seeds the demo company (its roles and rights come from
crm/access/demo.py: record rights on for accounts, "records of members of Sales are read by all of Sales"),
bulk-inserts accounts up to --rows (default 1,000,000 on PostgreSQL, 100,000 elsewhere) owned by the manager and
the two reps, gives one in fifty to olga, shares one in a thousand by hand with bob (so that the grants table is
not empty) and analyses the tables. (Default grants need no rows: the rules apply live from the owner's roles.)

Then it requests the accounts list through django.test.Client, once to warm up and --runs times, as:
- admin, a superuser: no record check;
- alice, a rep: her own accounts, those of the members of Sales (the default rule) and those shared with her,
  each row of the page checked against hashed memberships and shares;
- olga, an employee in no role who owns one account in fifty: only her own (the union of her indexed rows);
- newcomer, an employee in no role who owns nothing.
It prints the median latency and the number of SQL queries per page (counted after the warm-up), and the
rep/admin ratio (target: the same number of queries, and the rep under twice the admin's time). It is a
benchmark: it asserts nothing.

The rules are cached under a version kept in the shared cache (Redis) in production; `--version-source database`
measures a server without a shared cache, which reads the version from the database: one query more per page.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from run import existing_data, manage, setup_django  # noqa: E402 - bench/run.py, next to this file

VIEWERS = ("admin", "alice", "olga", "newcomer")
VARIANTS = (("sorted by name", {}), ("newest first", {"sort": "-created_at"}), ("quick search", {"q": "Nova"}))
PAGE_SIZES = (25, 100)


def seed(rows: int) -> None:
    from django.contrib.auth import get_user_model
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection
    from django.db.models.functions import Mod

    from accounts import demo as accounts_demo
    from accounts.models import Account
    from crm.access.models import Level, RecordGrant
    from crm.core import demo

    missing = rows - Account.objects.count()
    users = demo.ensure_users()
    get_user_model().objects.get_or_create(username="newcomer", defaults={"first_name": "Nina", "last_name": "New"})
    olga, _ = get_user_model().objects.get_or_create(
        username="olga", defaults={"first_name": "Olga", "last_name": "Own"}
    )
    if missing <= 0:
        return
    started = time.perf_counter()
    accounts_demo.seed_scale(demo.DemoContext(users=users, rng=random.Random(2026)), missing)
    print(f"accounts: {missing:,} inserted in {time.perf_counter() - started:.1f} s")
    Account.objects.alias(remainder=Mod("pk", 50)).filter(remainder=7).update(owner=olga, created_by=olga)
    content_type = ContentType.objects.get_for_model(Account)
    shared = Account.objects.alias(remainder=Mod("pk", 1000)).filter(remainder=0).values_list("pk", flat=True)
    RecordGrant.objects.bulk_create(
        [RecordGrant(content_type=content_type, object_id=pk, user=users["bob"], level=Level.READ) for pk in shared],
        batch_size=5000,
    )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE accounts_account")
            cursor.execute("ANALYZE access_recordgrant")
            cursor.execute("ANALYZE access_membership")


def measure(client, url: str, params: dict, runs: int) -> tuple[float, int, int, int]:
    """Median milliseconds after a warm-up, the number of queries, the rows shown and the status."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url, params)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
    query_count = len(queries)
    rows = response.content.decode().count('name="ids"')
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        client.get(url, params)
        timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings), query_count, rows, response.status_code


def run_pages(runs: int, version_source: str) -> list[tuple]:
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.test.utils import override_settings
    from django.urls import reverse

    plain_static = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    storages = {**settings.STORAGES, "staticfiles": plain_static}
    results = []
    with override_settings(
        ALLOWED_HOSTS=["testserver"],
        SECURE_SSL_REDIRECT=False,
        STORAGES=storages,
        ACCESS_VERSION_SOURCE=version_source,
    ):
        clients = {}
        for username in VIEWERS:
            clients[username] = Client(raise_request_exception=False)
            clients[username].force_login(get_user_model().objects.get(username=username))
        for label, params in VARIANTS:
            for size in PAGE_SIZES:
                row = [label, size]
                for username in VIEWERS:
                    row.append(measure(clients[username], reverse("accounts:list"), {**params, "per_page": size}, runs))
                results.append(tuple(row))
    return results


def print_table(results, runs: int) -> None:
    print()
    print(f"accounts list, median of {runs} runs: milliseconds / queries / rows shown")
    header = f"{'page':<14} {'rows':>4}  " + "  ".join(f"{name:>21}" for name in VIEWERS) + "  alice/admin"
    print(header)
    print("-" * len(header))
    for label, size, *cells in results:
        text = "  ".join(f"{ms:>8.1f} ms {queries:>3} q {rows:>3} r" for ms, queries, rows, _ in cells)
        ratio = cells[1][0] / cells[0][0] if cells[0][0] else float("nan")
        same = "same queries" if cells[0][1] == cells[1][1] else "QUERY COUNTS DIFFER"
        print(f"{label:<14} {size:>4}  {text}  {ratio:>5.2f}x, {same}")
        for name, (_, _, _, status) in zip(VIEWERS, cells, strict=True):
            if status != 200:
                print(f"  {name}: status {status}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=0, help="accounts (default 1,000,000 on PostgreSQL, else 100,000)")
    parser.add_argument("--runs", type=int, default=7, help="timed requests per page (default 7)")
    parser.add_argument("--reuse", action="store_true", help="run on a database that already holds data")
    parser.add_argument(
        "--version-source",
        choices=("cache", "database"),
        default="cache",
        help="where the version of the cached rules is read (default: cache, as with Redis)",
    )
    options = parser.parse_args()

    setup_django()
    from django.db import connection

    before = existing_data()
    if any(before.values()) and not options.reuse:
        print(f"The database {connection.settings_dict['NAME']} already holds data {before}.", file=sys.stderr)
        print("Point DATABASE_URL at an empty database, or pass --reuse.", file=sys.stderr)
        return 2
    rows = options.rows or (1_000_000 if connection.vendor == "postgresql" else 100_000)
    print(f"Database: {connection.vendor} {connection.settings_dict['NAME']}")
    manage("migrate", "--noinput", "-v", "0")
    manage("seed_demo")
    seed(rows)
    from django.db.models import Count

    from accounts.models import Account
    from crm.access.models import RecordGrant

    print(f"Rows: {Account.objects.count():,} accounts, {RecordGrant.objects.aggregate(n=Count('pk'))['n']:,} grants")
    print(f"Version of the cached rules read from: {options.version_source}")
    print_table(run_pages(options.runs, options.version_source), options.runs)
    return 0


if __name__ == "__main__":
    sys.exit(main())

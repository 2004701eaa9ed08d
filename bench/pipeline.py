"""Benchmark: the opportunity pipeline (kanban) and the pipeline analytics at scale.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/crm_bench_pipeline python bench/pipeline.py [--rows 100000]
                                                                                               [--runs 7] [--reuse]

It uses the database of DATABASE_URL (SQLite under var/ when unset; a PostgreSQL database that does not exist is
created) and refuses one that already holds opportunities unless --reuse is given. It migrates, seeds the demo
company's users and roles, 2,000 accounts if there are none, and bulk-inserts opportunities with their stage
histories up to --rows (opportunities.demo.seed_scale: a year of created deals over every stage, owned by the
manager and the two reps). Record rights are switched on for opportunities, with no grant: alice, a rep, sees
only her own third.

Then it requests through django.test.Client, once to warm up and --runs times:
- the kanban as admin (a superuser: no record check) and as alice (record rights), timed alternately, and their
  ratio; alice's "mine, closing this quarter";
- the second page of the Qualification column;
- the analytics page as admin and as alice (this year), alternately, and their ratio;
and times each analytics function on the admin's opportunities. It prints the median latency and the number of
SQL queries (counted after the warm-up). It is a benchmark: it asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

sys.path.insert(0, str(Path(__file__).resolve().parent))

from run import manage, setup_django  # noqa: E402 - bench/run.py, next to this file

ACCOUNTS = 2000


def ensure_database() -> None:
    """Create the PostgreSQL database of DATABASE_URL when it does not exist yet."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        return
    import psycopg
    from psycopg import sql

    parts = urlparse(url)
    name = parts.path.lstrip("/")
    server = parts._replace(path="/postgres").geturl()
    with psycopg.connect(server, autocommit=True) as connection:
        if connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is None:
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            print(f"created database {name}")


def opportunity_count() -> int:
    from django.db import connection

    if "opportunities_opportunity" not in connection.introspection.table_names():
        return 0
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM opportunities_opportunity")
        return cursor.fetchone()[0]


def seed(rows: int) -> None:
    from accounts import demo as accounts_demo
    from accounts.models import Account
    from crm.access import demo as access_demo
    from crm.access.models import SectionAccess
    from crm.core import demo
    from opportunities import demo as opportunities_demo
    from opportunities.models import Opportunity

    context = demo.DemoContext(users=demo.ensure_users(), rng=random.Random(2026))
    if not access_demo.already_seeded(context):
        access_demo.seed(context)
    SectionAccess.objects.update_or_create(section="opportunities", defaults={"use_record_rights": True})
    if not Account.objects.exists():
        accounts_demo.seed_scale(context, ACCOUNTS)
    missing = rows - Opportunity.objects.count()
    if missing > 0:
        started = time.perf_counter()
        opportunities_demo.seed_scale(context, missing)
        seconds = time.perf_counter() - started
        print(f"opportunities: {missing:,} inserted with their stage histories in {seconds:.1f} s")


def measure(call, runs: int) -> tuple[float, int, object]:
    """Median milliseconds of `call()` over `runs` after one warm-up, its SQL query count, and its result."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    call()
    with CaptureQueriesContext(connection) as queries:
        result = call()
    count = len(queries)
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        call()
        timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings), count, result


def alternately(calls: dict, runs: int) -> tuple[dict, dict, dict]:
    """Median milliseconds of each call over `runs`, the calls taking turns, after one warm-up each; their SQL
    query counts and last results."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    results, counts, timings = {}, {}, {name: [] for name in calls}
    for name, call in calls.items():
        call()
        with CaptureQueriesContext(connection) as queries:
            results[name] = call()
        counts[name] = len(queries)
    for _ in range(runs):
        for name, call in calls.items():
            started = time.perf_counter()
            call()
            timings[name].append((time.perf_counter() - started) * 1000)
    return {name: statistics.median(t) for name, t in timings.items()}, counts, results


def run(runs: int) -> list[tuple[str, float, int, str]]:
    import re

    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.test.utils import override_settings
    from django.urls import reverse

    from opportunities import analytics, selectors
    from opportunities.models import OpportunityStage
    from opportunities.views.pipeline import this_year

    users = {u.username: u for u in get_user_model().objects.filter(username__in=["admin", "alice"])}
    plain_static = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    storages = {**settings.STORAGES, "staticfiles": plain_static}
    rows = []
    with override_settings(ALLOWED_HOSTS=["testserver"], SECURE_SSL_REDIRECT=False, STORAGES=storages):
        clients = {}
        for name, user in users.items():
            clients[name] = Client(raise_request_exception=False)
            clients[name].force_login(user)

        def page(label, client_name, url, params=None):
            client = clients[client_name]
            median, queries, response = measure(lambda: client.get(url, params or {}), runs)
            rows.append((f"{label} ({client_name})", median, queries, str(response.status_code)))
            return response

        def side_by_side(label, url, params=None):
            """The page as admin and as alice, timed alternately (a shared machine's load hits both alike)."""
            calls = {name: (lambda c=clients[name]: c.get(url, params or {})) for name in ("admin", "alice")}
            medians, counts, responses = alternately(calls, runs)
            for name in calls:
                rows.append((f"{label} ({name})", medians[name], counts[name], str(responses[name].status_code)))
            rows.append((f"{label}: alice / admin", medians["alice"] / medians["admin"], 0, "ratio"))
            return responses["admin"]

        kanban = reverse("opportunities:kanban")
        first = side_by_side("kanban", kanban)
        page("kanban mine, closing this quarter", "alice", kanban, {"owner": "me", "period": "this_quarter"})
        qualification = OpportunityStage.objects.get(code="qualification")
        pattern = rf'hx-get="({reverse("opportunities:kanban_column", args=[qualification.pk])}[^"]+)"'
        match = re.search(pattern, first.content.decode())
        if match:
            page("kanban column, 2nd page", "admin", match.group(1).replace("&amp;", "&"))
        analytics_url = reverse("opportunities:analytics")
        side_by_side("analytics this year", analytics_url)

    period = this_year()
    everything = selectors.visible_opportunities(users["admin"])
    functions = {
        "funnel (a, b, c)": lambda: analytics.funnel(everything, period),
        "days_per_stage (d)": lambda: analytics.days_per_stage(everything, period),
        "win_rate (e)": lambda: analytics.win_rate(everything, period),
        "forecast_by_month (f), 18 months": lambda: analytics.forecast_by_month(everything, period.start, 18),
        "compare two owners (g)": lambda: analytics.compare(
            [everything.filter(owner__username="alice"), everything.filter(owner__username="bob")], period
        ),
        "kanban columns (selector)": lambda: selectors.columns(everything),
    }
    for label, call in functions.items():
        median, queries, _ = measure(call, runs)
        rows.append((label, median, queries, "-"))
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=100_000, help="opportunities to seed (default 100000)")
    parser.add_argument("--runs", type=int, default=7, help="timed runs per figure (default 7)")
    parser.add_argument("--reuse", action="store_true", help="run on a database that already holds opportunities")
    options = parser.parse_args()

    ensure_database()
    setup_django()
    from django.db import connection

    if opportunity_count() and not options.reuse:
        print(f"The database {connection.settings_dict['NAME']} already holds opportunities.", file=sys.stderr)
        print("Point DATABASE_URL at an empty database, or pass --reuse.", file=sys.stderr)
        return 2
    print(f"Database: {connection.vendor} {connection.settings_dict['NAME']}")
    print(f"migrate: {manage('migrate', '--noinput', '-v', '0'):.1f} s")
    seed(options.rows)
    from opportunities.models import Opportunity, StageHistory

    print(f"Rows: {Opportunity.objects.count():,} opportunities, {StageHistory.objects.count():,} stage visits")
    load_before = os.getloadavg()
    rows = run(options.runs)
    load_after = os.getloadavg()
    width = max(len(r[0]) for r in rows)
    print()
    print(
        f"load average (1, 5, 15 min): before {load_before[0]:.1f} {load_before[1]:.1f} {load_before[2]:.1f}, after "
        f"{load_after[0]:.1f} {load_after[1]:.1f} {load_after[2]:.1f}"
    )
    print(f"{'what':<{width}}  {'median ms':>9}  {'queries':>7}  status   ({options.runs} runs each)")
    print(f"{'-' * width}  {'-' * 9}  {'-' * 7}  ------")
    for label, median, queries, status in rows:
        if status == "ratio":
            print(f"{label:<{width}}  {median:>8.2f}x")
        else:
            print(f"{label:<{width}}  {median:>9.1f}  {queries:>7}  {status}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

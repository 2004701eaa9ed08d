"""Benchmark: dashboard tiles at scale, as the administrator and as a rep under record rights.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/crm_analytics_bench python bench/analytics.py
        [--contacts 1000000] [--opportunities 100000] [--runs 7] [--reuse]

It uses the database of DATABASE_URL (a PostgreSQL database that does not exist is created) and refuses one that
already holds contacts unless --reuse is given. It migrates, seeds the demo company's users and roles, half as many
accounts as --contacts with two contacts each (accounts.demo and contacts.demo seed_scale, in bulk), and the
opportunities with their stage histories (opportunities.demo.seed_scale). Record rights are on for accounts,
contacts and opportunities with no grant for opportunities: alice, a rep, sees her own third of the deals.

Then it computes each tile of an 8-tile dashboard (crm.analytics.render.compute, without the cache) once to warm
up and --runs times, as admin and as alice, and prints the median of each, the SQL queries, and the dashboard's
total server time per user; beside the chart by stage, a plain GROUP BY over every opportunity with nothing of
ours (no rights, no filters), timed alternately in the same run: the floor the database sets. It asserts nothing.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from pipeline import ensure_database  # noqa: E402 - bench/pipeline.py, next to this file
from run import manage, setup_django  # noqa: E402

TILES = [
    (
        "chart: amount by stage",
        "chart",
        {
            "section": "opportunities",
            "function": "sum",
            "field": "amount",
            "group_by": "stage",
            "step": "month",
            "chart_type": "column",
            "top": "10",
        },
    ),
    (
        "chart: deals by close month",
        "chart",
        {
            "section": "opportunities",
            "function": "count",
            "group_by": "close_date",
            "step": "month",
            "chart_type": "line",
            "top": "10",
            "function_2": "sum",
            "field_2": "amount",
        },
    ),
    (
        "chart: contacts by account (top 10 + others)",
        "chart",
        {
            "section": "contacts",
            "function": "count",
            "group_by": "account",
            "step": "month",
            "chart_type": "bar",
            "top": "10",
        },
    ),
    (
        "metric: amount this quarter vs last",
        "metric",
        {
            "section": "opportunities",
            "function": "sum",
            "field": "amount",
            "date_field": "created_at",
            "period": "this_quarter",
        },
    ),
    (
        "gauge: contacts created this year",
        "gauge",
        {
            "section": "contacts",
            "function": "count",
            "date_field": "created_at",
            "period": "this_year",
            "minimum": "0",
            "maximum": "500000",
            "bands": "100000:danger,300000:warning,500000:success",
        },
    ),
    (
        "list: 10 largest deals",
        "list",
        {
            "section": "opportunities",
            "columns": ["name", "account", "amount", "owner"],
            "sort": "amount",
            "descending": True,
            "limit": 10,
        },
    ),
    ("goal: won amount of the reps", "goal", {"scope": "all"}),
    ("sales pipeline (this year)", "sales_pipeline", {"section": "opportunities", "period": "this_year"}),
]


def seed(contacts: int, opportunities: int) -> None:
    from accounts import demo as accounts_demo
    from accounts.models import Account
    from contacts import demo as contacts_demo
    from contacts.models import Contact
    from crm.access import demo as access_demo
    from crm.access.models import SectionAccess
    from crm.core import demo
    from opportunities import demo as opportunities_demo
    from opportunities.models import Opportunity

    context = demo.DemoContext(users=demo.ensure_users(), rng=random.Random(2026))
    if not access_demo.already_seeded(context):
        access_demo.seed(context)
    SectionAccess.objects.update_or_create(section="opportunities", defaults={"use_record_rights": True})
    missing_accounts = contacts // 2 - Account.objects.count()
    if missing_accounts > 0:
        started = time.perf_counter()
        accounts_demo.seed_scale(context, missing_accounts)
        contacts_demo.seed_scale(context, missing_accounts)
        print(f"accounts and contacts: {missing_accounts:,} accounts in {time.perf_counter() - started:.1f} s")
    missing = opportunities - Opportunity.objects.count()
    if missing > 0:
        started = time.perf_counter()
        opportunities_demo.seed_scale(context, missing)
        print(f"opportunities: {missing:,} inserted in {time.perf_counter() - started:.1f} s")
    print(f"Rows: {Contact.objects.count():,} contacts, {Opportunity.objects.count():,} opportunities")


def tiles(admin):
    """The 8 tiles on one dashboard of the administrator's, shared with the company; the reps' goals."""
    import datetime
    from decimal import Decimal

    from django.utils import timezone

    from crm.analytics import services
    from crm.analytics.models import Dashboard, Goal

    Dashboard.objects.filter(name="Bench").delete()
    dashboard = services.save_dashboard(user=admin, data={"name": "Bench", "sharing": "company"})
    today = timezone.localdate()
    Goal.objects.filter(name__startswith="Bench").delete()
    from django.contrib.auth import get_user_model

    for user in get_user_model().objects.filter(username__in=["alice", "bob"]):
        Goal.objects.create(
            name=f"Bench {user.username}",
            section="opportunities",
            function="sum",
            field="amount",
            date_field="created_at",
            owner=user,
            period_start=today.replace(month=1, day=1),
            period_end=today.replace(month=1, day=1) + datetime.timedelta(days=366),
            target=Decimal("1000000"),
        )
    made = []
    for label, kind, settings in TILES:
        data = {"title": label, **settings}
        if "columns" in data:
            data["descending"] = "on"
        made.append((label, services.save_tile(user=admin, tab=dashboard.tabs.first(), kind_name=kind, data=data)))
    return made


def timed(call, runs: int) -> tuple[float, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    call()
    with CaptureQueriesContext(connection) as queries:
        call()
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        call()
        timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings), len(queries)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--contacts", type=int, default=1_000_000)
    parser.add_argument("--opportunities", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--reuse", action="store_true", help="run on a database that already holds data")
    options = parser.parse_args()

    ensure_database()
    setup_django()
    from django.db import connection

    manage("migrate", "--noinput", "-v", "0")
    from contacts.models import Contact

    if Contact.objects.exists() and not options.reuse:
        print(f"{connection.settings_dict['NAME']} already holds contacts: pass --reuse.", file=sys.stderr)
        return 2
    seed(options.contacts, options.opportunities)
    connection.cursor().execute("ANALYZE") if connection.vendor == "postgresql" else None

    from django.contrib.auth import get_user_model
    from django.db.models import Sum

    from crm.analytics import render
    from crm.analytics.kinds import TileRequest
    from opportunities.models import Opportunity

    users = {name: get_user_model().objects.get(username=name) for name in ("admin", "alice")}
    made = tiles(users["admin"])
    print(f"\nDatabase: {connection.vendor} {connection.settings_dict['NAME']}; median of {options.runs} runs, ms")
    print(f"{'tile':48} {'admin':>9} {'alice':>9} {'queries':>8}")
    totals = dict.fromkeys(users, 0.0)
    for label, tile in made:
        figures = []
        for name, user in users.items():
            milliseconds, queries = timed(
                lambda tile=tile, user=user: render.compute(
                    tile, TileRequest(settings=tile.settings, viewer=user), use_cache=False
                ),
                options.runs,
            )
            totals[name] += milliseconds
            figures.append((milliseconds, queries))
        print(f"{label:48} {figures[0][0]:9.1f} {figures[1][0]:9.1f} {figures[0][1]:>4}/{figures[1][1]:<3}")
    print(f"{'dashboard of 8 tiles, total':48} {totals['admin']:9.1f} {totals['alice']:9.1f}")
    print(f"{'rep / admin':48} {totals['alice'] / totals['admin']:9.2f}")
    floor, _ = timed(
        lambda: list(Opportunity.objects.order_by().values("stage").annotate(total=Sum("amount_base"))), options.runs
    )
    print(f"{'floor: plain GROUP BY stage, every deal':48} {floor:9.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Benchmark: dashboard tiles at scale, as the administrator and as a rep under record rights.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/crm_analytics_bench python bench/analytics.py
        [--contacts 1000000] [--opportunities 100000] [--runs 7] [--reuse]

It uses the database of DATABASE_URL (a PostgreSQL database that does not exist is created) and refuses one that
already holds contacts unless --reuse is given. It migrates, seeds the demo company's users and roles, half as many
accounts as --contacts with two contacts each (accounts.demo and contacts.demo seed_scale, in bulk), and the
opportunities with their stage histories (opportunities.demo.seed_scale). Record rights are on for accounts,
contacts and opportunities with no grant for opportunities: alice, a rep, sees her own third of the deals.

Then it computes each tile of an 8-tile dashboard (crm.analytics.render.compute, without the cache) once to warm
up and --runs times, as admin, as alice and, beside each tile, the same aggregate in plain SQL with nothing of ours
(no rights, no list machinery; FLOORS), the three taking turns in the same run: the floor the database sets. It
prints the median of each, the SQL queries, the dashboard's total server time per user and the load average. It
asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from pipeline import alternately, ensure_database  # noqa: E402 - bench/pipeline.py, next to this file
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


#: per tile, the same aggregate in plain SQL with nothing of ours (no rights, no list machinery): the floor the
#: database sets. Parameters: the quarter, last quarter's start and the year, as the tiles read them.
FLOORS = {
    "chart: amount by stage": "SELECT stage_id, SUM(amount_base) FROM opportunities_opportunity GROUP BY stage_id",
    "chart: deals by close month": (
        "SELECT date_trunc('month', close_date), COUNT(*), SUM(amount_base) FROM opportunities_opportunity"
        " GROUP BY 1 ORDER BY 1"
    ),
    "chart: contacts by account (top 10 + others)": (
        "SELECT account_id, COUNT(*), COUNT(*) OVER (), SUM(COUNT(*)) OVER () FROM contacts_contact"
        " GROUP BY account_id ORDER BY 2 DESC, 1 LIMIT 10"
    ),
    "metric: amount this quarter vs last": (
        "SELECT SUM(amount_base) FILTER (WHERE created_at >= %(quarter)s),"
        " SUM(amount_base) FILTER (WHERE created_at < %(quarter)s) FROM opportunities_opportunity"
        " WHERE created_at >= %(last_quarter)s AND created_at < %(quarter_end)s"
    ),
    "gauge: contacts created this year": (
        "SELECT COUNT(*) FROM contacts_contact WHERE created_at >= %(year)s AND created_at < %(year_end)s"
    ),
    "list: 10 largest deals": (
        "SELECT o.*, a.name FROM opportunities_opportunity o LEFT JOIN accounts_account a ON a.id = o.account_id"
        " ORDER BY o.amount DESC, o.id DESC LIMIT 10"
    ),
    "goal: won amount of the reps": (
        "SELECT SUM(amount_base) FILTER (WHERE owner_id = %(alice)s), SUM(amount_base) FILTER (WHERE owner_id ="
        " %(bob)s) FROM opportunities_opportunity WHERE created_at >= %(year)s AND created_at < %(year_end)s"
    ),
    "sales pipeline (this year)": (
        "SELECT furthest, COUNT(*) FROM (SELECT o.id, COALESCE(MAX(s.position) FILTER (WHERE h.started_at <"
        " %(year_end)s AND s.is_active AND s.show_in_funnel), MAX(c.position) FILTER (WHERE c.is_active AND"
        " c.show_in_funnel)) AS furthest FROM opportunities_opportunity o"
        " JOIN opportunities_opportunitystage c ON c.id = o.stage_id"
        " LEFT JOIN opportunities_stagehistory h ON h.opportunity_id = o.id"
        " LEFT JOIN opportunities_opportunitystage s ON s.id = h.stage_id"
        " WHERE o.created_at >= %(year)s AND o.created_at < %(year_end)s GROUP BY o.id) f GROUP BY furthest"
    ),
}


def floor_parameters(users) -> dict:
    import datetime

    from django.utils import timezone

    from crm.analytics.tiles import previous_range
    from crm.sections.filters import preset_range

    zone = timezone.get_current_timezone()

    def moment(day):
        return datetime.datetime.combine(day, datetime.time.min, tzinfo=zone)

    quarter, quarter_end = preset_range("this_quarter")
    year, year_end = preset_range("this_year")
    return {
        "quarter": moment(quarter),
        "quarter_end": moment(quarter_end),
        "last_quarter": moment(previous_range("this_quarter", quarter, quarter_end)[0]),
        "year": moment(year),
        "year_end": moment(year_end),
        "alice": users["alice"].pk,
        "bob": type(users["alice"]).objects.get(username="bob").pk,
    }


def plain(sql: str, parameters: dict):
    from django.db import connection

    def call():
        with connection.cursor() as cursor:
            cursor.execute(sql, parameters)
            return cursor.fetchall()

    return call


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

    from crm.analytics import render
    from crm.analytics.kinds import TileRequest

    users = {name: get_user_model().objects.get(username=name) for name in ("admin", "alice")}
    made = tiles(users["admin"])
    parameters = floor_parameters(users)
    load_before = os.getloadavg()
    print(f"\nDatabase: {connection.vendor} {connection.settings_dict['NAME']}; median of {options.runs} runs, ms")
    print("admin, alice (a rep under record rights) and the floor (plain SQL, no rights) timed alternately")
    print(f"{'tile':48} {'admin':>9} {'alice':>9} {'floor':>9} {'queries':>8}")
    totals = dict.fromkeys([*users, "floor"], 0.0)
    for label, tile in made:
        calls = {
            name: (
                lambda tile=tile, user=user: render.compute(
                    tile, TileRequest(settings=tile.settings, viewer=user), use_cache=False
                )
            )
            for name, user in users.items()
        }
        calls["floor"] = plain(FLOORS[label], parameters)
        medians, counts, _ = alternately(calls, options.runs)
        for name in totals:
            totals[name] += medians[name]
        print(
            f"{label:48} {medians['admin']:9.1f} {medians['alice']:9.1f} {medians['floor']:9.1f}"
            f" {counts['admin']:>4}/{counts['alice']:<3}"
        )
    print(f"{'dashboard of 8 tiles, total':48} {totals['admin']:9.1f} {totals['alice']:9.1f} {totals['floor']:9.1f}")
    print(f"{'rep / admin':48} {totals['alice'] / totals['admin']:9.2f}")
    load_after = os.getloadavg()
    print(f"load average (1, 5, 15 min): before {load_before}, after {load_after}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

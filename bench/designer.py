"""Benchmark: a runtime section (the section wizard's) against a built-in one of the same size, side by side.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/crm_sections_bench python bench/designer.py [--records 1000000]
        [--runs 7] [--reuse]

It migrates the database, makes the section "bench_competitors" through the wizard's service (a choice, a
decimal and a lookup to accounts, each with its expression index) and seeds --records accounts and as many
records of the section (bulk_create, in batches; --reuse keeps what an earlier run seeded). Each list page is
requested through django.test.Client as a superuser, the built-in and the runtime section alternately, once to
warm up and then --runs times: the list as it opens, filtered by an indexed field (the account's type; the
record's choice), sorted by the name both ways, filtered and sorted, and sorted by a number (the account's code;
the record's decimal, an expression index). It prints the medians and their ratio and asserts nothing.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import manage, setup_django  # noqa: E402 - the bench folder is no package

CODE = "bench_competitors"
STRENGTHS = ("Weak", "Medium", "Strong")


def ensure_section(admin):
    from crm.designer import section_services
    from crm.designer.models import CustomSection

    if not CustomSection.objects.filter(code=CODE).exists():
        section_services.create_section(
            user=admin,
            code=CODE,
            title="Bench competitors",
            title_singular="bench competitor",
            fields=[
                {"code": "strength", "label": "Strength", "kind": "choice", "options": list(STRENGTHS)},
                {"code": "budget", "label": "Budget", "kind": "decimal"},
                {"code": "account", "label": "Account", "kind": "lookup", "target": "accounts"},
            ],
        )
    from crm.designer import custom_sections

    custom_sections.refresh()
    custom_sections.load()


def build_indexes() -> None:
    """The fields' indexes, as the wizard's task builds them after its commit (CONCURRENTLY)."""
    from crm.designer import storage
    from crm.sections import registry

    section = registry.get(CODE)
    for field in section.custom_fields():
        storage.build_index(section.model, field)


def insert_sql(model, count: int, start: int, values: dict[str, str]) -> str:
    """INSERT ... SELECT over generate_series(start + 1, count) for `model`: the columns named in `values` from
    their SQL expression (of `g`, the row's number), every other column empty (NULL, '', false, 0)."""
    from django.db import models

    columns, expressions = [], []
    for field in model._meta.concrete_fields:
        if field.primary_key:
            continue
        columns.append(field.column)
        if field.name in values:
            expressions.append(values[field.name])
        elif field.null:
            expressions.append("NULL")
        elif isinstance(field, models.BooleanField):
            expressions.append("false")
        elif isinstance(field, models.IntegerField | models.DecimalField | models.FloatField):
            expressions.append("0")
        elif isinstance(field, models.JSONField):
            expressions.append("'{}'::jsonb")
        else:
            expressions.append("''")
    table = model._meta.db_table
    return (
        f"INSERT INTO {table} ({', '.join(columns)}) "  # noqa: S608 - names from the models, numbers from us
        f"SELECT {', '.join(expressions)} FROM generate_series({start + 1}, {count}) AS g"
    )


def seed(admin, count: int) -> None:
    """Both tables up to `count` rows in SQL (bulk_create of a million rows takes an hour on a busy machine)."""
    from django.db import connection

    from accounts.models import Account, AccountType
    from crm.sections import registry

    types = list(AccountType.objects.order_by("pk").values_list("pk", flat=True)[:3]) or [None]
    model = registry.get(CODE).model
    started = time.perf_counter()
    people = {name: str(admin.pk) for name in ("owner", "created_by", "modified_by")}
    moments = {name: "now() - g * interval '1 minute'" for name in ("created_at", "modified_at")}
    type_case = "NULL" if types == [None] else f"(ARRAY{types})[1 + g % {len(types)}]"
    with connection.cursor() as cursor:
        accounts = Account.objects.count()
        if accounts < count:
            values = {
                **people,
                **moments,
                "version": "1",
                # names in a random order, as people's are (md5 of the number)
                "name": "'Account ' || md5(g::text)",
                "code": "'B' || lpad(g::text, 8, '0')",
                "type": type_case,
            }
            cursor.execute(insert_sql(Account, count, accounts, values))
        records = model._default_manager.count()
        if records < count:
            first_account = Account.objects.order_by("pk").values_list("pk", flat=True).first() or 0
            custom = (
                "jsonb_build_object('strength', (ARRAY['Weak','Medium','Strong'])[1 + g % 3], "
                "'budget', ((g::bigint * 7919) % 10000000 / 100.0)::numeric(18,2)::text, "
                f"'account', {first_account} + g % {count})"
            )
            values = {**people, **moments, "version": "1", "name": "'Competitor ' || md5(g::text)", "custom": custom}
            cursor.execute(insert_sql(model, count, records, values))
    print(f"seeded to {count:,} each in {time.perf_counter() - started:.0f} s")


def measure_pair(client, first: tuple[str, dict], second: tuple[str, dict], runs: int) -> tuple[float, float]:
    for url, params in (first, second):
        response = client.get(url, params)
        if response.status_code != 200:
            raise SystemExit(f"{url} {params} answered {response.status_code}")
    times = ([], [])
    for _ in range(runs):
        for index, (url, params) in enumerate((first, second)):
            started = time.perf_counter()
            client.get(url, params)
            times[index].append((time.perf_counter() - started) * 1000)
    return statistics.median(times[0]), statistics.median(times[1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--records", type=int, default=1_000_000, help="records of each section (default 1M)")
    parser.add_argument("--runs", type=int, default=7, help="timed requests per page (default 7)")
    parser.add_argument("--reuse", action="store_true", help="run on a database that already holds data")
    options = parser.parse_args()

    setup_django()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import override_settings

    print(f"Database: {connection.vendor} {connection.settings_dict['NAME']}")
    manage("migrate", "--noinput", "-v", "0")
    users = get_user_model().objects
    if users.exclude(username="bench-admin").exists() and not options.reuse:
        print("The database holds data: point DATABASE_URL at an empty one, or pass --reuse.", file=sys.stderr)
        return 2
    admin = users.filter(username="bench-admin").first() or users.create_superuser("bench-admin", "", "bench")
    ensure_section(admin)
    seed(admin, options.records)
    build_indexes()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE accounts_account")
        cursor.execute(f"ANALYZE designer_usr_{CODE}")  # noqa: S608 - a fixed table name

    from accounts.models import AccountType

    account_type = AccountType.objects.order_by("pk").first()
    pairs = [
        ("list as it opens", {}, {}),
        ("filter by an indexed field", {"type": account_type.pk}, {"custom__strength": "Strong"}),
        ("sort by name", {"sort": "name"}, {"sort": "name"}),
        ("sort by name, reversed", {"sort": "-name"}, {"sort": "-name"}),
        (
            "filter and sort by name",
            {"type": account_type.pk, "sort": "name"},
            {"custom__strength": "Strong", "sort": "name"},
        ),
        ("sort by a number/code", {"sort": "-code"}, {"sort": "-custom__budget"}),
    ]
    plain_static = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    storages = {**settings.STORAGES, "staticfiles": plain_static}
    with override_settings(ALLOWED_HOSTS=["testserver"], SECURE_SSL_REDIRECT=False, STORAGES=storages):
        client = Client()
        client.force_login(admin)
        print(f"{'page':32} {'accounts ms':>12} {'runtime ms':>11} {'ratio':>6}")
        for label, built_in, runtime in pairs:
            ours, theirs = measure_pair(
                client,
                ("/accounts/", {"per_page": 50, **built_in}),
                (f"/{CODE}/", {"per_page": 50, **runtime}),
                options.runs,
            )
            print(f"{label:32} {ours:12.1f} {theirs:11.1f} {theirs / ours:6.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

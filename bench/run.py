"""Benchmark: seed the configured database at scale, then time every section's list page and the global search.

    python bench/run.py [--accounts 100000] [--runs 7] [--reuse]

It uses the database of DATABASE_URL (SQLite under var/ when unset). On an empty database it runs
`manage.py migrate` and `manage.py seed_demo --scale N`; it refuses a database that already holds data unless
--reuse is given (then it seeds only what is missing). Each page is requested through django.test.Client as the
demo admin, once to warm up and then --runs times; the table shows the median latency and the number of SQL
queries at 25 and 100 rows per page. It prints figures and asserts nothing: it is a benchmark, not a test.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGE_SIZES = (25, 100)


def manage(*args: str) -> float:
    """Run a manage.py command in its own process; return how long it took in seconds."""
    started = time.perf_counter()
    subprocess.run([sys.executable, str(ROOT / "manage.py"), *args], cwd=ROOT, check=True)
    return time.perf_counter() - started


def setup_django() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "crm.settings")
    import django

    django.setup()


def existing_data() -> dict[str, int]:
    """Row counts of the tables that tell whether the database is in use (empty when it is fresh)."""
    from django.db import connection

    tables = set(connection.introspection.table_names())
    counts = {}
    with connection.cursor() as cursor:
        for table in ("auth_user", "accounts_account", "contacts_contact"):
            if table in tables:
                cursor.execute(f"SELECT COUNT(*) FROM {table}")  # noqa: S608 - a fixed table name
                counts[table] = cursor.fetchone()[0]
    return counts


def measure(client, url: str, params: dict, runs: int) -> tuple[float, int, int]:
    """Median milliseconds over `runs` requests after one warm-up, the SQL query count, and the status."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
    query_count = len(queries)  # now: the captured list is a view of a log the next request clears
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        client.get(url, params)
        timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings), query_count, response.status_code


def search_samples() -> list[tuple[str, str]]:
    """Search texts taken from the data: a name prefix, a phone, an email and a rare word."""
    from accounts.models import Account
    from contacts.models import Contact

    samples = []
    account = Account.objects.order_by("pk")[Account.objects.count() // 2 :].first()
    if account is not None:
        first, second = (account.name.split() + ["", ""])[:2]
        samples.append(("name prefix", f"{first} {second[:3]}".strip()))
        samples.append(("phone", account.phone))
    contact = Contact.objects.exclude(email="").order_by("pk")[Contact.objects.count() // 2 :].first()
    if contact is not None:
        samples.append(("email", contact.email))
    samples.append(("rare word", "Zanzibar"))
    return samples


def list_variants(section, name_prefix: str) -> list[tuple[str, dict]]:
    """The list as it opens, sorted by another column (reversed), with a quick search for a name, and with a quick
    search for a common word (about one account in twenty and one contact in ten match "Nova")."""
    variants = [("default", {})]
    other = next((c.path for c in section.columns if c.sort_key and c.path != section.default_sort.lstrip("-")), None)
    if other:
        variants.append((f"sort=-{other}", {"sort": f"-{other}"}))
    variants.append((f"q={name_prefix}", {"q": name_prefix}))
    variants.append(("q=Nova", {"q": "Nova"}))
    return variants


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--accounts", type=int, default=100_000, help="accounts to seed (default 100000)")
    parser.add_argument("--runs", type=int, default=7, help="timed requests per page (default 7)")
    parser.add_argument("--reuse", action="store_true", help="run on a database that already holds data")
    options = parser.parse_args()

    setup_django()
    from django.db import connection

    before = existing_data()
    if any(before.values()) and not options.reuse:
        print(f"The database {connection.settings_dict['NAME']} already holds data {before}.", file=sys.stderr)
        print("Point DATABASE_URL at an empty database, or pass --reuse.", file=sys.stderr)
        return 2

    print(f"Database: {connection.vendor} {connection.settings_dict['NAME']}")
    migrate_seconds = manage("migrate", "--noinput", "-v", "0")
    print(f"migrate: {migrate_seconds:.1f} s")
    missing = options.accounts - existing_data().get("accounts_account", 0)
    if missing > 0:
        seed_seconds = manage("seed_demo", "--scale", str(missing))
        print(f"seed_demo --scale {missing}: {seed_seconds:.1f} s")
    after = existing_data()
    print(f"Rows: {after['accounts_account']:,} accounts, {after['contacts_contact']:,} contacts")
    return run_pages(options.runs)


def run_pages(runs: int) -> int:
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.test.utils import override_settings
    from django.urls import reverse

    from crm.sections import registry

    plain_static = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    storages = {**settings.STORAGES, "staticfiles": plain_static}
    # The test client speaks plain HTTP to "testserver" and static files are not collected here.
    with override_settings(ALLOWED_HOSTS=["testserver"], SECURE_SSL_REDIRECT=False, STORAGES=storages):
        client = Client(raise_request_exception=False)  # a broken page shows as 500 in the table
        client.force_login(get_user_model().objects.get(username="admin"))
        rows = []
        samples = search_samples()
        name_prefix = next((text for label, text in samples if label == "name prefix"), "Nova")
        for section in registry.all_sections():
            for label, params in list_variants(section, name_prefix):
                for size in PAGE_SIZES:
                    median, queries, status = measure(client, section.url("list"), {**params, "per_page": size}, runs)
                    rows.append((f"{section.name} list {label}", str(size), median, queries, status))
        for label, text in samples:
            median, queries, status = measure(client, reverse("search"), {"q": text}, runs)
            rows.append((f"search {label}: {text}", "-", median, queries, status))
    print_table(rows, runs)
    return 0


def print_table(rows, runs: int) -> None:
    width = max(len(r[0]) for r in rows)
    print()
    print(f"{'page':<{width}}  {'rows':>4}  {'median ms':>9}  {'queries':>7}  status   ({runs} runs each)")
    print(f"{'-' * width}  {'-' * 4}  {'-' * 9}  {'-' * 7}  ------")
    for name, size, median, queries, status in rows:
        print(f"{name:<{width}}  {size:>4}  {median:>9.1f}  {queries:>7}  {status}")


if __name__ == "__main__":
    sys.exit(main())

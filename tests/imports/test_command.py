"""`manage.py import_records`: the same engine from the shell, with a progress bar."""

import datetime

import pytest
from django.core.management import CommandError, call_command

from contacts.models import Contact
from crm.imports.models import ImportJob

from .conftest import csv_bytes

pytestmark = pytest.mark.django_db


def test_the_command_imports_with_mapping_and_keys(ada, tmp_file, capsys):
    Contact.objects.create(
        given_name="Ann", surname="Lee", email="ann@x.example", owner=ada, created_by=ada, modified_by=ada
    )
    path = tmp_file(
        csv_bytes([["First", "Last", "Mail"], ["Ann", "Lee-Smith", "ann@x.example"], ["Bo", "Ma", ""]]), "people.csv"
    )

    call_command(
        "import_records",
        "contacts",
        str(path),
        "--map",
        "First=given_name",
        "--map",
        "Last=surname",
        "--map",
        "3=email",
        "--key",
        "email",
        "--user",
        "ada",
    )

    output = capsys.readouterr().out
    assert "Completed: 1 created, 1 updated, 0 unchanged, 0 refused" in output
    assert "2/2 rows" in output
    assert Contact.objects.get(email="ann@x.example").surname == "Lee-Smith"
    assert Contact.objects.filter(surname="Ma").exists()


def test_a_dry_run_from_the_shell_changes_nothing(ada, tmp_file, capsys):
    path = tmp_file(csv_bytes([["Given name", "Surname"], ["Ann", "Lee"], ["", ""], ["", "x" * 300]]), "p.csv")

    call_command("import_records", "contacts", str(path), "--dry-run", "--user", "ada")

    output = capsys.readouterr().out
    assert "Dry run: 1 would be created, 0 updated, 0 unchanged, 1 refused." in output
    assert "row 4: Last name: At most 100 characters; left empty. Give the contact a name." in output
    assert not Contact.objects.exists() and not ImportJob.objects.exists()


def test_the_command_explains_what_is_wrong(ada, tmp_file):
    path = tmp_file(csv_bytes([["Given name"], ["Ann"]]), "p.csv")

    with pytest.raises(CommandError, match="No section “nope”"):
        call_command("import_records", "nope", str(path), "--user", "ada")
    with pytest.raises(CommandError, match="No column “Fax”"):
        call_command("import_records", "contacts", str(path), "--map", "Fax=notes", "--user", "ada")
    with pytest.raises(CommandError, match="not a spreadsheet"):
        call_command("import_records", "contacts", str(tmp_file(b"\0\1" * 500, "x.csv")), "--user", "ada")


def test_importing_the_same_file_again_updates_by_the_suggested_key(ada, tmp_file, capsys):
    path = tmp_file(csv_bytes([["First name", "Last name", "Email"], ["Ann", "Lee", "ann@x.example"]]), "p.csv")
    call_command("import_records", "contacts", str(path), "--user", "ada")

    call_command("import_records", "contacts", str(path), "--user", "ada")

    output = capsys.readouterr().out
    assert "Key: email" in output
    assert "Completed: 0 created, 0 updated, 1 unchanged, 0 refused" in output
    assert Contact.objects.count() == 1


def test_without_a_key_every_row_creates_a_record(ada, tmp_file):
    path = tmp_file(csv_bytes([["First name", "Last name", "Email"], ["Ann", "Lee", "ann@x.example"]]), "p.csv")
    for _ in range(2):
        call_command("import_records", "contacts", str(path), "--user", "ada", "--no-key")

    assert Contact.objects.count() == 2


def test_the_command_takes_defaults_and_value_maps_by_name_and_unmaps_a_column(ada, tmp_file, capsys):
    from products.models import Product
    from tests.factories.products import ProductCategoryFactory

    ProductCategoryFactory(name="Misc")
    tools = ProductCategoryFactory(name="Tools")
    path = tmp_file(
        csv_bytes([["Code", "Name", "Category", "Brand"], ["P-1", "Saw", "Werkzeug", "Acme"], ["P-2", "Pen", "", ""]]),
        "p.csv",
    )

    call_command(
        "import_records",
        "products",
        str(path),
        "--user",
        "ada",
        "--default",
        "category=misc",
        "--value",
        "Category:Werkzeug=Tools",
        "--map",
        "Brand=",
    )

    output = capsys.readouterr().out
    assert "Defaults: category = Misc" in output
    assert "Brand →" not in output
    assert dict(Product.objects.values_list("code", "category__name")) == {"P-1": tools.name, "P-2": "Misc"}
    assert not Product.objects.exclude(brand=None).exists()


@pytest.mark.parametrize(
    ("order", "expected"), [("dmy", datetime.date(1980, 4, 3)), ("mdy", datetime.date(1980, 3, 4))]
)
def test_the_date_order_decides_a_date_that_reads_both_ways(ada, tmp_file, order, expected):
    path = tmp_file(csv_bytes([["First name", "Email", "Birthdate"], ["Ann", "ann@x.example", "03/04/1980"]]), "p.csv")

    call_command("import_records", "contacts", str(path), "--date-order", order, "--user", "ada")

    assert Contact.objects.get(email="ann@x.example").birth_date == expected


def test_rows_imported_without_a_bad_value_are_listed_with_their_warning(ada, tmp_file, capsys):
    path = tmp_file(csv_bytes([["First name", "Email", "Birthdate"], ["Ann", "ann@x.example", "31.02.1980"]]), "p.csv")

    call_command("import_records", "contacts", str(path), "--user", "ada")

    output = capsys.readouterr().out
    assert "1 rows imported with warnings:" in output
    assert "row 2: Birthdate:" in output and "left empty." in output
    assert Contact.objects.get(email="ann@x.example").birth_date is None

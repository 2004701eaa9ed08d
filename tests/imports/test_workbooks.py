"""Workbooks: only the chosen sheet is checked and read; choosing a sheet re-reads its header and re-matches."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from openpyxl import Workbook

from contacts.models import Contact
from crm.imports import reader, services
from crm.imports.engine import Importer
from crm.imports.models import ImportJob
from crm.imports.reader import UnreadableFile

from .conftest import rewrite_xlsx, upload

pytestmark = pytest.mark.django_db

CONTACTS = [["Given name", "Surname", "Email"], ["Ann", "Lee", "ann@x.example"], ["Bo", "Ma", "bo@x.example"]]


def erp_workbook(*, contacts_first: bool = False) -> bytes:
    """An ERP export: a "Totals" sheet with a formula, merged cells and hidden rows, and the contacts sheet."""
    workbook = Workbook()
    totals = workbook.active
    totals.title = "Totals"
    for row in (["Country", "Revenue"], ["France", 10], ["Spain", 20], ["Sum", "=SUM(B2:B3)"]):
        totals.append(row)
    totals.merge_cells("A5:B5")
    totals.row_dimensions[3].hidden = True
    contacts = workbook.create_sheet("Contacts", 0 if contacts_first else None)
    for row in CONTACTS:
        contacts.append(row)
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def with_formula(*, stored: str | None) -> bytes:
    """A one-sheet workbook whose D2 is a formula, with `stored` as the value Excel saved (None: none saved)."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Contacts"
    sheet.append(["Given name", "Surname", "Email", "Code"])
    sheet.append(["Ann", "Lee", "ann@x.example", '=CONCAT("A","7")'])
    output = io.BytesIO()
    workbook.save(output)
    value = b"" if stored is None else stored.encode()
    return rewrite_xlsx(
        output.getvalue(),
        "xl/worksheets/sheet1.xml",
        lambda data: data.replace(b'<c r="D2"><f>', b'<c r="D2" t="str"><f>' if stored else b'<c r="D2"><f>').replace(
            b"</f><v></v>", b"</f><v>" + value + b"</v>"
        ),
    )


def test_problems_on_another_sheet_do_not_refuse_the_workbook(tmp_file):
    path = tmp_file(erp_workbook(), "erp.xlsx")

    source = reader.inspect(path, "erp.xlsx")
    reader.check_sheet(path, "Contacts")

    assert source.sheets == ("Totals", "Contacts")
    assert list(reader.rows(path, source, "Contacts")) == CONTACTS


def test_the_chosen_sheet_is_still_refused_for_merged_cells_and_hidden_rows(tmp_file):
    path = tmp_file(erp_workbook(), "erp.xlsx")

    with pytest.raises(UnreadableFile, match="“Totals” has merged cells"):
        reader.check_sheet(path, "Totals")


def test_a_formula_is_read_as_the_value_the_file_stores(tmp_file):
    path = tmp_file(with_formula(stored="A7"), "codes.xlsx")

    reader.check_sheet(path, "Contacts")

    assert list(reader.rows(path, reader.inspect(path, "codes.xlsx")))[1] == ["Ann", "Lee", "ann@x.example", "A7"]


def test_a_formula_without_a_stored_value_is_refused_naming_the_sheet_and_the_cell(tmp_file):
    path = tmp_file(with_formula(stored=None), "codes.xlsx")

    with pytest.raises(UnreadableFile) as error:
        reader.check_sheet(path, "Contacts")

    assert str(error.value) == (
        "Sheet “Contacts”, cell D2 holds a formula without a stored value: open the file in Excel, save it, and "
        "upload it again."
    )


def test_an_upload_whose_first_sheet_is_refused_can_name_another(alice):
    with pytest.raises(UnreadableFile, match="merged cells"):
        services.create_job(user=alice, section_name="contacts", upload=upload(erp_workbook(), "erp.xlsx"))

    job = services.create_job(
        user=alice, section_name="contacts", upload=upload(erp_workbook(), "erp.xlsx"), sheet="Contacts"
    )

    assert job.headers == ["Given name", "Surname", "Email"]
    assert job.mapping == {"0": "given_name", "1": "surname", "2": "email"}
    assert not ImportJob.objects.exclude(pk=job.pk).exists()  # the refused upload left nothing


def test_choosing_a_sheet_that_is_refused_keeps_the_sheet_before(alice):
    job = services.create_job(
        user=alice, section_name="contacts", upload=upload(erp_workbook(contacts_first=True), "erp.xlsx")
    )
    assert job.mapping == {"0": "given_name", "1": "surname", "2": "email"}

    with pytest.raises(UnreadableFile, match="“Totals”"):
        services.configure(user=alice, job=job, sheet="Totals", mapping=job.mapping, keys=[], lookup_mode="refuse")

    job.refresh_from_db()
    assert job.sheet == "Contacts"


def test_the_mapping_page_after_choosing_the_second_sheet_shows_its_columns(alice_client):
    two_sheets = Workbook()
    two_sheets.active.title = "Countries"
    two_sheets.active.append(["Country", "Code"])
    two_sheets.active.append(["France", "FR"])
    people = two_sheets.create_sheet("People")
    for row in [["Job title", "Email", "Surname"], ["Buyer", "ann@x.example", "Lee"]]:
        people.append(row)
    output = io.BytesIO()
    two_sheets.save(output)
    alice_client.post(
        reverse("imports:new") + "?section=contacts",
        {"section": "contacts", "file": upload(output.getvalue(), "book.xlsx")},
    )
    job = ImportJob.objects.get()

    response = alice_client.post(
        reverse("imports:map", args=[job.pk]),
        {"sheet": "People", "sheet_changed": "1", "column_0": "", "column_1": "", "lookup_mode": "refuse"},
    )
    page = alice_client.get(response["Location"])

    form = page.context["form"]
    assert [field.label for field in form.columns()] == ["Job title", "Email", "Surname"]
    assert [field.initial for field in form.columns()] == ["job_title", "email", "surname"]
    assert form["sheet"].initial == "People"


def test_the_command_maps_by_the_headers_of_the_sheet_it_is_given(ada, tmp_file, capsys):
    path = tmp_file(erp_workbook(), "erp.xlsx")

    call_command("import_records", "contacts", str(path), "--sheet", "Contacts", "--user", "ada")

    assert "Completed: 2 created, 0 updated, 0 unchanged, 0 refused" in capsys.readouterr().out
    assert set(Contact.objects.values_list("given_name", "surname", "email")) == {
        ("Ann", "Lee", "ann@x.example"),
        ("Bo", "Ma", "bo@x.example"),
    }


def test_a_sheet_changed_after_it_was_chosen_fails_the_run_with_the_reason(alice):
    job = services.create_job(user=alice, section_name="contacts", upload=upload(with_formula(stored="A7"), "c.xlsx"))
    job = services.configure(user=alice, job=job, sheet="", mapping=job.mapping, keys=[], lookup_mode="refuse")
    with open(job.file.path, "wb") as handle:  # the stored file as if the formula had lost its value
        handle.write(with_formula(stored=None))

    job = Importer(job).run()

    assert job.status == ImportJob.Status.FAILED
    assert "cell D2 holds a formula without a stored value" in job.error
    assert not Contact.objects.exists()

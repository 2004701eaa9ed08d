"""The refused-rows download has a second sheet, "Warnings": a line per value an imported row was left without
(row, column, the value as in the file, why), every cell neutralised against formula injection; it is offered
when an import has warnings and no refused rows."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from crm.imports.models import ImportJob

from .conftest import csv_bytes
from .test_engine import contacts_job, run

pytestmark = pytest.mark.django_db

#: a header that starts like a formula: a spreadsheet must show it, not run it
HEADER = ["First name", "Last name", "=Company", "Email", "Birthday"]
MAPPING = {"0": "given_name", "1": "surname", "2": "account", "3": "email", "4": "birth_date"}


def workbook_of(client, job):
    response = client.get(reverse("imports:refused", args=[job.pk]))
    assert response.status_code == 200
    return load_workbook(io.BytesIO(response.content))


def test_each_value_left_empty_is_a_line_of_the_warnings_sheet_neutralised_like_every_cell(alice_client, alice):
    rows = [
        ["Ann", "Lee", '=HYPERLINK("http://evil.example")', "ann@x.example", "31.02.1980"],
        ["Bo", "Ma", "", "bo@x.example", "1980-02-03"],
        ["Cy", "Oh", "", "cy@x.example", "@SUM(1)"],
    ]
    content = csv_bytes([HEADER, *rows])
    job = run(contacts_job(alice, [], content=content, name="people.csv", mapping=MAPPING, keys=["email"]))
    assert (job.created_count, job.refused_count, job.warning_count) == (3, 0, 2)

    book = workbook_of(alice_client, job)

    assert book.sheetnames == ["Refused rows", "Warnings"]
    assert [c.value for c in book["Refused rows"][1]] == [
        "First name",
        "Last name",
        "'=Company",
        "Email",
        "Birthday",
        "Reason",
    ]
    lines = [tuple(row) for row in book["Warnings"].iter_rows(values_only=True)]
    assert lines[0] == ("Row", "Column", "Value", "Reason")
    assert [line[:3] for line in lines[1:]] == [
        (2, "'=Company", '\'=HYPERLINK("http://evil.example")'),
        (2, "Birthday", "31.02.1980"),
        (4, "Birthday", "'@SUM(1)"),
    ]
    assert lines[1][3].startswith("There is no account") and lines[1][3].endswith("left empty.")
    assert lines[2][3].startswith("“31.02.1980” is not a date")
    # nothing in the workbook is a formula
    for sheet in book.worksheets:
        assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


def test_an_import_with_warnings_and_no_refused_row_still_offers_the_download(alice_client, alice):
    content = csv_bytes([HEADER, ["Ann", "Lee", "", "ann@x.example", "31.02.1980"]])
    job = run(contacts_job(alice, [], content=content, name="people.csv", mapping=MAPPING, keys=["email"]))
    assert (job.status, job.refused_count, job.warning_count) == (ImportJob.Status.COMPLETED, 0, 1)

    page = alice_client.get(job.get_absolute_url()).content.decode()

    assert 'id="download-warnings"' in page and 'id="download-refused"' not in page
    assert reverse("imports:refused", args=[job.pk]) in page
    assert [row[:3] for row in workbook_of(alice_client, job)["Warnings"].iter_rows(min_row=2, values_only=True)] == [
        (2, "Birthday", "31.02.1980")
    ]


def test_a_clean_import_has_a_warnings_sheet_with_its_header_only(alice_client, alice):
    content = csv_bytes([HEADER, ["Ann", "Lee", "", "ann@x.example", "1980-02-03"]])
    job = run(contacts_job(alice, [], content=content, name="people.csv", mapping=MAPPING, keys=["email"]))

    assert list(workbook_of(alice_client, job)["Warnings"].iter_rows(values_only=True)) == [
        ("Row", "Column", "Value", "Reason")
    ]

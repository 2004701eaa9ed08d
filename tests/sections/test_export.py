"""Export of what a list shows to .xlsx and .csv: no cell runs as a formula (.xlsx: text cells, .csv: formula-like
text neutralised), moments to the second."""

import csv
import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from crm.designer.models import FieldDefinition
from tests.factories import AccountFactory

HOSTILE = ['=HYPERLINK("http://evil.example","click")', "@SUM(1)", "+1", "-2"]


@pytest.fixture
def accounts(alice):
    rows = [AccountFactory(name=name, city="Paris", owner=alice) for name in HOSTILE]
    rows.append(AccountFactory(name="Plain Paris", city="Paris", owner=alice))
    rows.append(AccountFactory(name="Plain Berlin", city="Berlin", owner=alice))
    return rows


@pytest.fixture
def two_columns(alice_client):
    alice_client.post(reverse("accounts:columns"), {"columns": ["name", "city"]})


def xlsx_rows(response) -> list[list]:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    sheet = load_workbook(io.BytesIO(content), read_only=True).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def csv_rows(response) -> list[list[str]]:
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def test_the_xlsx_export_has_the_shown_columns_and_the_filtered_rows(alice_client, accounts, two_columns):
    response = alice_client.get(reverse("accounts:export"), {"format": "xlsx", "city": "berlin"})

    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('.xlsx"')
    assert xlsx_rows(response) == [["Name", "City", "Tags"], ["Plain Berlin", "Berlin", None]]


def test_the_csv_export_has_the_shown_columns_the_filtered_rows_and_the_lists_order(
    alice_client, accounts, two_columns
):
    response = alice_client.get(reverse("accounts:export"), {"format": "csv", "q": "plain", "sort": "-name"})

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert csv_rows(response) == [
        ["Name", "City", "Tags"],
        ["Plain Paris", "Paris", ""],
        ["Plain Berlin", "Berlin", ""],
    ]


def test_the_export_ignores_paging_and_exports_every_matching_row(alice_client, alice, two_columns):
    AccountFactory.create_batch(30, city="Oslo", owner=alice)

    response = alice_client.get(reverse("accounts:export"), {"format": "csv", "page": "2", "per_page": "25"})

    assert len(csv_rows(response)) == 31


def test_csv_cells_that_look_like_formulas_are_neutralised(alice_client, accounts, two_columns):
    response = alice_client.get(reverse("accounts:export"), {"format": "csv", "city": "paris"})

    exported = sorted(row[0] for row in csv_rows(response)[1:])
    assert exported == sorted(["'" + name for name in HOSTILE] + ["Plain Paris"])


def xlsx_cells(response) -> list:
    return [cell for row in load_workbook(io.BytesIO(response.content)).active.iter_rows() for cell in row]


def test_xlsx_cells_that_look_like_formulas_are_text_cells_as_they_were(alice_client, accounts, two_columns):
    response = alice_client.get(reverse("accounts:export"), {"format": "xlsx", "city": "paris"})

    names = [cell for cell in xlsx_cells(response) if cell.column == 1 and cell.row > 1]
    assert sorted(cell.value for cell in names) == sorted([*HOSTILE, "Plain Paris"])
    assert {(cell.data_type, cell.quotePrefix) for cell in names} == {("s", True)}


def test_a_phone_number_is_exported_as_it_was_to_xlsx_and_neutralised_in_csv(alice_client, alice):
    AccountFactory(name="Northwind", phone="+49 30 1234567", owner=alice)
    alice_client.post(reverse("accounts:columns"), {"columns": ["name", "phone"]})

    xlsx = xlsx_rows(alice_client.get(reverse("accounts:export"), {"format": "xlsx"}))
    csv_ = csv_rows(alice_client.get(reverse("accounts:export"), {"format": "csv"}))

    assert xlsx[1] == ["Northwind", "+49 30 1234567", None]
    assert csv_[1] == ["Northwind", "'+49 30 1234567", ""]


def test_moments_are_exported_to_the_second(alice_client, alice, settings):
    settings.TIME_ZONE = "UTC"
    account = AccountFactory(name="Northwind", owner=alice)
    type(account).objects.filter(pk=account.pk).update(
        created_at=datetime.datetime(2026, 3, 4, 5, 6, 7, 891234, tzinfo=datetime.UTC)
    )
    alice_client.post(reverse("accounts:columns"), {"columns": ["name", "created_at"]})

    xlsx = xlsx_rows(alice_client.get(reverse("accounts:export"), {"format": "xlsx"}))
    csv_ = csv_rows(alice_client.get(reverse("accounts:export"), {"format": "csv"}))

    assert xlsx[1] == ["Northwind", datetime.datetime(2026, 3, 4, 5, 6, 7), None]
    assert csv_[1] == ["Northwind", "2026-03-04 05:06:07", ""]


def test_a_formula_in_an_xlsx_export_is_stored_as_text_not_as_a_formula(alice_client, accounts, two_columns):
    response = alice_client.get(reverse("accounts:export"), {"format": "xlsx", "q": "HYPERLINK"})

    sheet = load_workbook(io.BytesIO(response.content)).active
    cell = sheet["A2"]
    # a text cell, marked as typed text: Excel and LibreOffice show it and never run it, even once edited
    assert (cell.data_type, cell.quotePrefix) == ("s", True)
    assert cell.value == HOSTILE[0]


def test_relation_and_owner_columns_are_exported_by_name(alice_client, alice):
    AccountFactory(name="Owned", owner=alice)
    alice_client.post(reverse("accounts:columns"), {"columns": ["name", "owner", "created_at"]})

    rows = csv_rows(alice_client.get(reverse("accounts:export"), {"format": "csv"}))

    assert rows[0] == ["Name", "Owner", "Created on", "Tags"]
    assert rows[1][:2] == ["Owned", "Alice Archer"]
    assert rows[1][2][:4].isdigit()


def formula_like(value) -> bool:
    return isinstance(value, str) and value.startswith(("=", "+", "-", "@"))


@pytest.mark.parametrize("format_", ["xlsx", "csv"])
def test_a_custom_field_labelled_like_a_formula_is_a_text_header(alice_client, alice, format_):
    FieldDefinition.objects.create(
        section="accounts", code="site", label='=HYPERLINK("http://evil.example","click")', kind="text"
    )
    AccountFactory(name="Contoso", owner=alice, custom={"site": "@SUM(1)"})
    alice_client.post(reverse("accounts:columns"), {"columns": ["name", "custom__site"]})

    response = alice_client.get(reverse("accounts:export"), {"format": format_})

    if format_ == "xlsx":
        assert xlsx_rows(response)[0] == ["Name", '=HYPERLINK("http://evil.example","click")', "Tags"]
        assert {cell.data_type for cell in xlsx_cells(response) if cell.value is not None} == {"s"}  # no tags: empty
    else:
        rows = csv_rows(response)
        assert rows[0] == ["Name", '\'=HYPERLINK("http://evil.example","click")', "Tags"]
        assert not [cell for row in rows for cell in row if formula_like(cell)]


def test_no_cell_of_an_xlsx_export_is_a_formula_headers_included(alice_client, alice):
    FieldDefinition.objects.create(section="accounts", code="site", label="=1+1", kind="text")
    AccountFactory(name="=2+2", owner=alice, custom={"site": "=3+3"})
    alice_client.post(reverse("accounts:columns"), {"columns": ["name", "custom__site"]})

    response = alice_client.get(reverse("accounts:export"), {"format": "xlsx"})

    sheet = load_workbook(io.BytesIO(response.content)).active
    cells = [cell for row in sheet.iter_rows() for cell in row if cell.value is not None]  # the record has no tags
    assert len(cells) == 5
    assert [cell.data_type for cell in cells] == ["s"] * 5

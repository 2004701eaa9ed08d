"""Export of what a list shows to .xlsx and .csv, with formula-like cells neutralised."""

import csv
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
    assert xlsx_rows(response) == [["Name", "City"], ["Plain Berlin", "Berlin"]]


def test_the_csv_export_has_the_shown_columns_the_filtered_rows_and_the_lists_order(
    alice_client, accounts, two_columns
):
    response = alice_client.get(reverse("accounts:export"), {"format": "csv", "q": "plain", "sort": "-name"})

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert csv_rows(response) == [["Name", "City"], ["Plain Paris", "Paris"], ["Plain Berlin", "Berlin"]]


def test_the_export_ignores_paging_and_exports_every_matching_row(alice_client, alice, two_columns):
    AccountFactory.create_batch(30, city="Oslo", owner=alice)

    response = alice_client.get(reverse("accounts:export"), {"format": "csv", "page": "2", "per_page": "25"})

    assert len(csv_rows(response)) == 31


@pytest.mark.parametrize("format_", ["xlsx", "csv"])
def test_cells_that_look_like_formulas_are_neutralised(alice_client, accounts, two_columns, format_):
    response = alice_client.get(reverse("accounts:export"), {"format": format_, "city": "paris"})

    rows = xlsx_rows(response) if format_ == "xlsx" else csv_rows(response)
    exported = sorted(row[0] for row in rows[1:])
    assert exported == sorted(["'" + name for name in HOSTILE] + ["Plain Paris"])


def test_a_formula_in_an_xlsx_export_is_stored_as_text_not_as_a_formula(alice_client, accounts, two_columns):
    response = alice_client.get(reverse("accounts:export"), {"format": "xlsx", "q": "HYPERLINK"})

    sheet = load_workbook(io.BytesIO(response.content)).active
    cell = sheet["A2"]
    assert cell.data_type == "s"
    assert not str(cell.value).startswith("=")


def test_relation_and_owner_columns_are_exported_by_name(alice_client, alice):
    AccountFactory(name="Owned", owner=alice)
    alice_client.post(reverse("accounts:columns"), {"columns": ["name", "owner", "created_at"]})

    rows = csv_rows(alice_client.get(reverse("accounts:export"), {"format": "csv"}))

    assert rows[0] == ["Name", "Owner", "Created on"]
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

    rows = xlsx_rows(response) if format_ == "xlsx" else csv_rows(response)
    assert rows[0] == ["Name", '\'=HYPERLINK("http://evil.example","click")']
    assert not [cell for row in rows for cell in row if formula_like(cell)]


def test_no_cell_of_an_xlsx_export_is_a_formula_headers_included(alice_client, alice):
    FieldDefinition.objects.create(section="accounts", code="site", label="=1+1", kind="text")
    AccountFactory(name="=2+2", owner=alice, custom={"site": "=3+3"})
    alice_client.post(reverse("accounts:columns"), {"columns": ["name", "custom__site"]})

    response = alice_client.get(reverse("accounts:export"), {"format": "xlsx"})

    sheet = load_workbook(io.BytesIO(response.content)).active
    cells = [cell for row in sheet.iter_rows() for cell in row]
    assert len(cells) == 4
    assert [cell.data_type for cell in cells] == ["s"] * 4

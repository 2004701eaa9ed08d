"""Custom fields as list columns: offered in the column chooser, shown once chosen, exported, under column rights."""

import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from crm.designer.models import FieldDefinition
from tests.factories import AccountFactory


@pytest.fixture
def credit(db):
    return FieldDefinition.objects.create(section="accounts", code="credit_limit", label="Credit limit", kind="decimal")


def test_a_custom_column_is_offered_and_shown_once_chosen(alice_client, alice, credit):
    AccountFactory(name="Contoso", owner=alice, custom={"credit_limit": "12500.00"})
    url = reverse("accounts:list")

    before = alice_client.get(url)
    assert "custom__credit_limit" in [c.path for c in before.context["all_columns"]]
    assert "custom__credit_limit" not in [c.path for c in before.context["columns"]]

    alice_client.post(reverse("accounts:columns"), {"columns": ["name", "custom__credit_limit"]})
    after = alice_client.get(url)

    assert [c.label for c in after.context["columns"]] == ["Name", "Credit limit"]
    assert "12,500.00" in after.content.decode()


def test_the_export_carries_the_custom_column_with_its_type(alice_client, alice, credit):
    AccountFactory(name="Contoso", owner=alice, custom={"credit_limit": "12500.00"})
    alice_client.post(reverse("accounts:columns"), {"columns": ["name", "custom__credit_limit"]})

    response = alice_client.get(reverse("accounts:export"), {"format": "xlsx"})

    content = b"".join(response.streaming_content) if response.streaming else response.content
    rows = [list(r) for r in load_workbook(io.BytesIO(content), read_only=True).active.iter_rows(values_only=True)]
    assert rows[0] == ["Name", "Credit limit", "Tags"]  # the tags close every export
    assert rows[1][0] == "Contoso" and Decimal(str(rows[1][1])) == Decimal("12500")


def test_a_hidden_custom_column_is_neither_offered_nor_shown(client, bob, restrict, credit):
    restrict("custom__credit_limit")
    AccountFactory(name="Contoso", owner=bob, custom={"credit_limit": "777.00"})
    client.force_login(bob)
    client.post(reverse("accounts:columns"), {"columns": ["name", "custom__credit_limit"]})

    response = client.get(reverse("accounts:list"))

    assert "custom__credit_limit" not in [c.path for c in response.context["all_columns"]]
    assert [c.path for c in response.context["columns"]] == ["name"]
    assert "777" not in response.content.decode()


@pytest.mark.parametrize(
    ("sort", "expected"),
    [("custom__credit_limit", ["Small", "Big", "None"]), ("-custom__credit_limit", ["Big", "Small", "None"])],
)
def test_a_custom_number_column_sorts_as_numbers_with_empty_values_last(alice_client, alice, credit, sort, expected):
    AccountFactory(name="Big", owner=alice, custom={"credit_limit": "100.00"})
    AccountFactory(name="Small", owner=alice, custom={"credit_limit": "20.00"})  # "20.00" > "100.00" as text
    AccountFactory(name="None", owner=alice)

    response = alice_client.get(reverse("accounts:list"), {"sort": sort})

    assert [row.name for row in response.context["rows"]] == expected


def test_a_custom_date_column_sorts_by_date(alice_client, alice):
    FieldDefinition.objects.create(section="accounts", code="since", label="Since", kind="date")
    AccountFactory(name="Later", owner=alice, custom={"since": "2024-02-01"})
    AccountFactory(name="Earlier", owner=alice, custom={"since": "2023-12-31"})

    response = alice_client.get(reverse("accounts:list"), {"sort": "custom__since"})

    assert [row.name for row in response.context["rows"]] == ["Earlier", "Later"]


def test_sorting_by_a_hidden_custom_field_is_refused_with_a_warning(client, bob, restrict, credit):
    restrict("custom__credit_limit")
    # by name, the default order, the opposite of the hidden credit limit's order
    AccountFactory(name="Aardvark", owner=bob, custom={"credit_limit": "2.00"})
    AccountFactory(name="Zebra", owner=bob, custom={"credit_limit": "1.00"})
    client.force_login(bob)

    response = client.get(reverse("accounts:list"), {"sort": "custom__credit_limit"})

    assert response.status_code == 200
    assert response.context["sort"] != "custom__credit_limit"
    assert "Cannot sort by" in response.content.decode()
    assert [row.name for row in response.context["rows"]] == ["Aardvark", "Zebra"]

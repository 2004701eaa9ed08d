"""Column rights: fields hidden or read-only per role; the most open rule among the user's roles wins."""

import pytest

from crm import access
from crm.access.models import ColumnRight
from crm.sections import registry


@pytest.fixture
def accounts():
    return registry.get("accounts")


def test_without_rules_every_field_is_read_and_written(alice, accounts):
    fields = access.fields_for(alice, accounts, "write")

    assert fields.readable == fields.writable == frozenset(accounts.field_names())


def test_a_hidden_field_is_neither_read_nor_written(org, alice, accounts):
    ColumnRight.objects.create(section="accounts", field_name="notes", role=org.sales, access=ColumnRight.Access.HIDDEN)

    fields = access.fields_for(alice, accounts, "read")

    assert "notes" not in fields.readable and "notes" not in fields.writable and "notes" in fields.hidden
    assert "name" in fields.writable


def test_a_read_only_field_is_read_but_not_written(org, alice, accounts):
    ColumnRight.objects.create(section="accounts", field_name="owner", role=org.team_a, access=ColumnRight.Access.READ)

    fields = access.fields_for(alice, accounts, "write")

    assert fields.can_read("owner") and not fields.can_write("owner")


def test_the_most_open_rule_among_the_users_roles_wins(org, alice, maria, accounts):
    ColumnRight.objects.create(section="accounts", field_name="notes", role=org.all_employees, access=0)
    ColumnRight.objects.create(section="accounts", field_name="notes", role=org.sales_managers, access=2)

    assert not access.fields_for(alice, accounts).can_read("notes")
    assert access.fields_for(maria, accounts).can_write("notes")


def test_a_superuser_sees_every_field(org, ada, accounts):
    ColumnRight.objects.create(section="accounts", field_name="notes", role=org.all_employees, access=0)

    assert access.fields_for(ada, accounts).can_write("notes")

"""Filtering a list by custom fields: a choice, text, yes/no, numbers compared as numbers, date presets."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from crm.designer.models import FieldDefinition
from tests.factories import AccountFactory


def names(client, **params) -> set[str]:
    response = client.get(reverse("accounts:list"), params)
    assert response.status_code == 200
    return {row.name for row in response.context["rows"]}


@pytest.fixture
def accounts(alice):
    FieldDefinition.objects.create(section="accounts", code="tier", label="Tier", kind="choice", options=["A", "B"])
    FieldDefinition.objects.create(section="accounts", code="vat", label="VAT number", kind="text")
    FieldDefinition.objects.create(section="accounts", code="key", label="Key account", kind="boolean")
    FieldDefinition.objects.create(section="accounts", code="staff", label="Staff", kind="integer")
    FieldDefinition.objects.create(section="accounts", code="credit", label="Credit", kind="decimal")
    FieldDefinition.objects.create(section="accounts", code="since", label="Since", kind="date")
    today = timezone.localdate()
    AccountFactory(
        name="Alpha",
        owner=alice,
        custom={"tier": "A", "vat": "DE-123", "key": True, "staff": 9, "credit": "100.00", "since": today.isoformat()},
    )
    AccountFactory(
        name="Beta",
        owner=alice,
        custom={"tier": "B", "vat": "FR-999", "key": False, "staff": 80, "credit": "20.00", "since": "2001-05-01"},
    )
    AccountFactory(name="Gamma", owner=alice)


def test_a_choice_filter_keeps_the_records_holding_that_value(alice_client, accounts):
    assert names(alice_client, custom__tier="A") == {"Alpha"}


def test_a_text_filter_finds_a_part_of_the_value_in_any_case(alice_client, accounts):
    assert names(alice_client, custom__vat="fr-9") == {"Beta"}


def test_a_yes_no_filter(alice_client, accounts):
    assert names(alice_client, custom__key="true") == {"Alpha"}
    assert names(alice_client, custom__key="false") == {"Beta"}


def test_numbers_are_compared_as_numbers(alice_client, accounts):
    assert names(alice_client, custom__staff__gte="10") == {"Beta"}
    # "100.00" < "20.00" as text; as numbers 100 is the larger
    assert names(alice_client, custom__credit__gte="50") == {"Alpha"}
    assert names(alice_client, custom__credit__lte="50") == {"Beta"}


def test_a_date_preset(alice_client, accounts):
    assert names(alice_client, custom__since="this_year") == {"Alpha"}


def test_a_date_time_preset_works_on_values_kept_in_utc(alice_client, alice, settings):
    settings.TIME_ZONE = "Europe/Berlin"
    FieldDefinition.objects.create(section="accounts", code="met", label="Met", kind="datetime")
    field = FieldDefinition.objects.get(code="met")
    from crm.sections import registry

    custom_field = registry.get("accounts").custom_field("custom__met")
    now = timezone.now()
    AccountFactory(name="Recent", owner=alice, custom={"met": custom_field.to_json(now)})
    AccountFactory(name="Old", owner=alice, custom={"met": custom_field.to_json(now - datetime.timedelta(days=400))})

    assert field.kind == "datetime"
    assert names(alice_client, custom__met="last_7_days") == {"Recent"}


def test_a_hidden_custom_field_offers_no_filter_and_the_parameter_is_ignored(client, bob, restrict, accounts):
    restrict("custom__tier")
    AccountFactory(name="Bobs", owner=bob, custom={"tier": "B"})
    client.force_login(bob)

    response = client.get(reverse("accounts:list"), {"custom__tier": "A"})

    assert "custom__tier" not in response.context["filterset"].form.fields
    assert "Bobs" in {row.name for row in response.context["rows"]}

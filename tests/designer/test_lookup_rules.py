"""A business rule that filters the values a lookup offers: the type-ahead offers only those, given the form's
current values, and the server refuses a save with a value outside them, naming the rule; for a foreign key of a
built-in section and for a custom lookup of a section made at runtime alike."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from crm.designer import rules, section_services
from crm.sections import registry, services
from tests.factories import AccountFactory, OpportunityFactory
from tests.factories.opportunities import stage

pytestmark = pytest.mark.django_db


@pytest.fixture
def accounts(alice):
    return AccountFactory(owner=alice, name="Acme"), AccountFactory(owner=alice, name="Globex")


@pytest.fixture
def acme_at_proposal(ada, accounts):
    """From the proposal stage on, an opportunity's account is Acme."""
    return rules.save_rule(
        user=ada,
        section=registry.get("opportunities"),
        name="Proposals for Acme only",
        match="all",
        conditions=[{"field": "stage", "operator": "equals", "value": "Proposal"}],
        action="filter",
        target="account",
        values=["Acme"],
    )


def type_ahead(client, section: str, **params) -> list[str]:
    response = client.get(reverse(f"{section}:lookup"), {"q": "", **params})
    assert response.status_code == 200
    return sorted(item["text"] for item in response.json()["results"])


def test_the_type_ahead_offers_only_what_the_rule_allows_given_the_forms_values(alice_client, acme_at_proposal):
    asking = {"rules_section": "opportunities", "rules_field": "account"}

    at_proposal = type_ahead(alice_client, "accounts", **asking, stage=stage("proposal").pk)
    qualifying = type_ahead(alice_client, "accounts", **asking, stage=stage("qualification").pk)

    assert at_proposal == ["Acme"]
    assert qualifying == ["Acme", "Globex"]
    assert type_ahead(alice_client, "accounts") == ["Acme", "Globex"]


def test_a_field_that_does_not_point_to_the_sections_records_limits_nothing(alice_client, acme_at_proposal):
    asking = {"rules_section": "opportunities", "rules_field": "account", "stage": stage("proposal").pk}

    assert type_ahead(alice_client, "contacts", **asking) == type_ahead(alice_client, "contacts")


def test_the_form_ships_the_rules_section_for_the_type_ahead(alice_client, acme_at_proposal):
    page = alice_client.get(reverse("opportunities:create"))

    assert page.context["business_rules"][0]["section"] == "opportunities"
    assert page.context["business_rules"][0]["values"] == [str(acme_at_proposal.values[0])]


def test_a_save_with_an_account_the_rule_does_not_offer_is_refused_naming_the_rule(alice, accounts, acme_at_proposal):
    acme, globex = accounts
    opportunity = OpportunityFactory(owner=alice, account=globex)

    with pytest.raises(ValidationError) as refusal:
        services.update_record(
            section=registry.get("opportunities"),
            user=alice,
            obj=opportunity,
            data={"stage": stage("proposal"), "budget": Decimal("1")},
            expected_version=opportunity.version,
        )

    assert refusal.value.message_dict["account"] == [
        "Account: this value is not offered, by the rule “Proposals for Acme only”."
    ]
    saved = services.update_record(
        section=registry.get("opportunities"),
        user=alice,
        obj=opportunity,
        data={"stage": stage("proposal"), "account": acme},
        expected_version=opportunity.version,
    )
    assert saved.account == acme


# --- a custom lookup of a section made at runtime ------------------------------------------------------------


@pytest.fixture
def competitors(ada):
    section_services.create_section(
        user=ada,
        code="competitors",
        title="Competitor analysis",
        title_singular="competitor analysis",
        fields=[
            {"code": "account", "label": "Account", "kind": "lookup", "target": "accounts"},
            {"code": "strength", "label": "Strength", "kind": "choice", "options": ["Weak", "Strong"]},
        ],
    )
    return registry.get("competitors")


@pytest.fixture
def strong_ones_on_acme(ada, accounts, competitors):
    return rules.save_rule(
        user=ada,
        section=competitors,
        name="Strong competitors of Acme",
        match="all",
        conditions=[{"field": "custom__strength", "operator": "equals", "value": "Strong"}],
        action="filter",
        target="custom__account",
        values=["Acme"],
    )


def test_a_rule_filters_a_custom_lookup_by_the_values_id(accounts, strong_ones_on_acme):
    assert strong_ones_on_acme.values == [str(accounts[0].pk)]


def test_the_type_ahead_of_a_custom_lookup_follows_the_rule(alice_client, strong_ones_on_acme):
    asking = {"rules_section": "competitors", "rules_field": "custom__account"}

    assert type_ahead(alice_client, "accounts", **asking, custom__strength="Strong") == ["Acme"]
    assert type_ahead(alice_client, "accounts", **asking, custom__strength="Weak") == ["Acme", "Globex"]


def test_a_custom_lookup_outside_the_rule_is_refused_on_create(alice, accounts, competitors, strong_ones_on_acme):
    acme, globex = accounts
    data = {"name": "Rival", "custom__strength": "Strong", "custom__account": globex.pk}

    with pytest.raises(ValidationError, match="not offered, by the rule “Strong competitors of Acme”"):
        services.create_record(section=competitors, user=alice, data=data)

    created = services.create_record(section=competitors, user=alice, data={**data, "custom__account": acme.pk})
    assert created.custom["account"] == acme.pk

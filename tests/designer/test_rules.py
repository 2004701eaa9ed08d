"""Business rules: checked when saved (unknown fields, formulas that cannot work, contradictions), and enforced by
the server on every path that writes a record: the services, the form, the pipeline's move, an import."""

import json
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from crm.designer import rules
from crm.designer.models import BusinessRule, FieldDefinition
from crm.imports import services as import_services
from crm.sections import registry, services
from opportunities.models import NeedType
from products.models import Currency
from tests.factories import AccountFactory, OpportunityFactory
from tests.factories.opportunities import stage
from tests.forms import form_data
from tests.imports.conftest import upload, xlsx_bytes

pytestmark = pytest.mark.django_db


def opportunities():
    return registry.get("opportunities")


def when_stage(operator, value):
    return [{"field": "stage", "operator": operator, "value": value}]


def add_rule(user, **values):
    values.setdefault("match", "all")
    return rules.save_rule(user=user, section=opportunities(), **values)


def move(opportunity, user, to: str, **data):
    return services.update_record(
        section=opportunities(),
        user=user,
        obj=opportunity,
        data={"stage": stage(to), **data},
        expected_version=opportunity.version,
    )


# --- saving a rule ------------------------------------------------------------------------------------------


def test_a_condition_on_a_lookup_is_kept_by_the_values_id(budget_at_proposal):
    assert budget_at_proposal.conditions == [
        {"field": "stage", "operator": "equals", "value": str(stage("proposal").pk)}
    ]


@pytest.mark.parametrize(
    ("values", "field", "reason"),
    [
        ({"target": "nope", "action": "required"}, "target", "Unknown field"),
        (
            {"target": "budget", "action": "required", "conditions": [{"field": "x", "operator": "equals"}]},
            "conditions",
            "unknown field “x”",
        ),
        (
            {
                "target": "budget",
                "action": "required",
                "conditions": [{"field": "stage", "operator": "equals", "value": "Moon"}],
            },
            "conditions",
            "not a value of",
        ),
        ({"target": "budget", "action": "set_value", "formula": "probability / 0"}, "formula", "divides by zero"),
        ({"target": "budget", "action": "set_value", "formula": "turnover * 2"}, "formula", "Unknown field"),
        ({"target": "budget", "action": "set_value", "formula": "budget + 1"}, "formula", "from itself"),
        ({"target": "close_date", "action": "set_value", "formula": "probability * 2"}, "formula", "takes a date"),
        ({"target": "name", "action": "hide"}, "action", "is required: it cannot be hidden"),
        ({"target": "budget", "action": "filter", "values": ["1"]}, "values", "offers no values"),
    ],
)
def test_a_rule_that_cannot_work_is_refused_with_a_message(ada, values, field, reason):
    with pytest.raises(ValidationError) as refusal:
        add_rule(ada, name="Broken", **values)

    assert reason in " ".join(refusal.value.message_dict[field])
    assert not BusinessRule.objects.exists()


def test_hiding_a_field_another_rule_requires_under_overlapping_conditions_is_refused(ada, budget_at_proposal):
    with pytest.raises(ValidationError, match="cannot be hidden and required"):
        add_rule(
            ada,
            name="No budget for big deals",
            conditions=[{"field": "probability", "operator": "greater", "value": "50"}],
            action="hide",
            target="budget",
        )


def test_hiding_it_where_it_is_never_required_is_fine(ada, budget_at_proposal):
    add_rule(
        ada,
        name="No budget while qualifying",
        conditions=when_stage("equals", "Qualification"),
        action="hide",
        target="budget",
    )

    assert BusinessRule.objects.count() == 2


def test_showing_a_field_only_when_it_is_required_is_fine_but_showing_it_elsewhere_is_not(ada, budget_at_proposal):
    add_rule(
        ada,
        name="Budget shown from proposal",
        conditions=when_stage("in", ["Proposal", "Contracting"]),
        action="show",
        target="budget",
    )
    with pytest.raises(ValidationError, match="cannot be hidden and required"):
        add_rule(
            ada,
            name="Budget shown when contracting",
            conditions=when_stage("equals", "Contracting"),
            action="show",
            target="budget",
        )


def test_two_rules_setting_one_field_at_once_are_refused(ada):
    add_rule(ada, name="Half", action="set_value", target="budget", formula="probability / 2")

    with pytest.raises(ValidationError, match="sets the same field"):
        add_rule(ada, name="Double", action="set_value", target="budget", formula="probability * 2")


def test_someone_without_the_designer_right_cannot_post_a_rule(alice_client):
    response = alice_client.post(
        reverse("designer:rule_create", args=["opportunities"]),
        {"name": "Sneaky", "match": "all", "action": "required", "target": "budget"},
    )

    assert response.status_code == 404
    assert not BusinessRule.objects.exists()


def test_the_rule_form_saves_a_rule_with_its_conditions(client, ada):
    client.force_login(ada)

    response = client.post(
        reverse("designer:rule_create", args=["opportunities"]),
        {
            "name": "Budget at proposal",
            "match": "all",
            "action": "required",
            "target": "budget",
            "cond-0-field": "stage",
            "cond-0-operator": "in",
            "cond-0-value": "Proposal, Contracting",
            "position": "1",
            "is_active": "on",
        },
    )

    assert response.status_code == 302
    rule = BusinessRule.objects.get()
    assert rule.conditions[0]["value"] == [str(stage("proposal").pk), str(stage("contracting").pk)]
    page = client.get(reverse("designer:rules", args=["opportunities"])).content.decode()
    assert "Budget at proposal" in page and "Stage is one of" in page


def test_the_rule_form_shows_why_a_rule_is_refused(client, ada):
    client.force_login(ada)

    response = client.post(
        reverse("designer:rule_create", args=["opportunities"]),
        {"name": "Broken", "match": "all", "action": "set_value", "target": "budget", "formula": "budget / 0"},
    )

    assert response.status_code == 422
    assert "divides by zero" in response.content.decode()


# --- enforced on every write path ------------------------------------------------------------------------------


def test_the_services_refuse_a_save_the_rule_requires_a_value_for(alice, budget_at_proposal):
    opportunity = OpportunityFactory(owner=alice)

    with pytest.raises(ValidationError) as refusal:
        move(opportunity, alice, "proposal")

    assert refusal.value.message_dict["budget"] == ["Customer budget: required by the rule “Budget at proposal”."]
    opportunity.refresh_from_db()
    assert opportunity.stage == stage("qualification")


def test_with_the_value_the_save_goes_through(alice, budget_at_proposal):
    opportunity = OpportunityFactory(owner=alice)

    saved = move(opportunity, alice, "proposal", budget=Decimal("5000"))

    assert saved.stage == stage("proposal")


def test_the_form_refuses_the_save_and_carries_the_rules_for_the_browser(alice_client, alice, budget_at_proposal):
    opportunity = OpportunityFactory(owner=alice)
    url = reverse("opportunities:update", args=[opportunity.pk])

    page = alice_client.get(url)
    response = alice_client.post(url, form_data(alice_client, url, stage=stage("proposal").pk, budget=""))

    shipped = json.loads(page.context["business_rules"] and json.dumps(page.context["business_rules"]))
    assert shipped[0]["target"] == "budget" and 'id="business-rules"' in page.content.decode()
    assert 'src="/static/js/rules.js"' in page.content.decode()
    assert response.status_code == 422
    assert "required by the rule “Budget at proposal”" in response.content.decode()


def test_the_pipelines_move_is_refused_naming_the_rule(alice_client, alice, budget_at_proposal):
    opportunity = OpportunityFactory(owner=alice)

    response = alice_client.post(
        reverse("opportunities:move", args=[opportunity.pk]),
        {"stage": stage("proposal").pk, "version": opportunity.version},
        HTTP_ACCEPT="application/json",
    )

    assert response.status_code == 422
    assert "Budget at proposal" in response.json()["error"]


def test_an_import_row_missing_the_required_value_is_refused_naming_the_rule(alice, budget_at_proposal):
    need, currency = NeedType.objects.order_by("position").first().name, Currency.objects.base().code
    AccountFactory(owner=alice, name="Acme")
    header = ["Name", "Account", "Stage", "Need type", "Currency", "Customer budget"]
    rows = [
        header,
        ["Big deal", "Acme", "Proposal", need, currency, ""],
        ["Small deal", "Acme", "Proposal", need, currency, "100"],
    ]
    job = import_services.create_job(user=alice, section_name="opportunities", upload=upload(xlsx_bytes(rows)))
    job = import_services.configure(user=alice, job=job, sheet="", mapping=job.mapping, keys=[], lookup_mode="refuse")
    import_services.start(user=alice, job=job)
    job = import_services.run(job.pk)

    assert (job.created_count, job.refused_count) == (1, 1)
    assert "required by the rule “Budget at proposal”" in job.refused_rows.get().reason


def test_a_read_only_field_cannot_be_changed_while_the_rule_holds(ada, alice):
    add_rule(
        ada,
        name="Budget frozen when contracting",
        conditions=when_stage("equals", "Contracting"),
        action="read_only",
        target="budget",
    )
    opportunity = OpportunityFactory(owner=alice, stage=stage("contracting"), budget=Decimal("10"))

    with pytest.raises(ValidationError, match="cannot change, by the rule"):
        services.update_record(
            section=opportunities(),
            user=alice,
            obj=opportunity,
            data={"budget": Decimal("99")},
            expected_version=opportunity.version,
        )
    saved = services.update_record(
        section=opportunities(), user=alice, obj=opportunity, data={"description": "ok"}, expected_version=1
    )
    assert saved.budget == Decimal("10.00")


def test_a_value_the_filter_does_not_offer_is_refused(ada, alice):
    add_rule(
        ada,
        name="Only new customers while qualifying",
        conditions=when_stage("equals", "Qualification"),
        action="filter",
        target="customer_kind",
        values=["New"],
    )
    opportunity = OpportunityFactory(owner=alice)

    with pytest.raises(ValidationError, match="not offered, by the rule"):
        services.update_record(
            section=opportunities(),
            user=alice,
            obj=opportunity,
            data={"customer_kind": "existing"},
            expected_version=opportunity.version,
        )


def test_a_set_value_rule_computes_the_value_on_the_server(ada, alice):
    FieldDefinition.objects.create(section="opportunities", code="follow_up", label="Follow up", kind="date")
    add_rule(
        ada,
        name="Follow up a month later",
        action="set_value",
        target="custom__follow_up",
        formula="add_days(close_date, 30)",
    )
    add_rule(ada, name="Budget from probability", action="set_value", target="budget", formula="probability * 100")
    opportunity = OpportunityFactory(owner=alice)

    import datetime

    saved = services.update_record(
        section=opportunities(),
        user=alice,
        obj=opportunity,
        data={"close_date": datetime.date(2026, 3, 1), "probability": 10, "budget": Decimal("1")},
        expected_version=opportunity.version,
    )

    assert saved.custom["follow_up"] == "2026-03-31"
    assert saved.budget == Decimal("1000.00")


def test_a_rule_on_a_custom_choice_requires_a_custom_field_on_create(ada, alice):
    FieldDefinition.objects.create(
        section="opportunities", code="threat", label="Threat", kind="choice", options=["Weak", "Strong"]
    )
    FieldDefinition.objects.create(section="opportunities", code="at_stake", label="At stake", kind="decimal")
    add_rule(
        ada,
        name="Stake of a strong threat",
        conditions=[{"field": "custom__threat", "operator": "equals", "value": "Strong"}],
        action="required",
        target="custom__at_stake",
    )
    base = OpportunityFactory.build(owner=alice)
    data = {
        "name": "Deal",
        "account": AccountFactory(owner=alice),
        "stage": stage("qualification"),
        "need_type": base.need_type,
        "currency": base.currency,
        "owner": alice,
        "custom__threat": "Strong",
    }

    with pytest.raises(ValidationError, match="required by the rule “Stake of a strong threat”"):
        services.create_record(section=opportunities(), user=alice, data=data)
    created = services.create_record(section=opportunities(), user=alice, data={**data, "custom__at_stake": "10"})
    assert created.custom == {"threat": "Strong", "at_stake": "10.00"}


# --- hidden and read-only on create ---------------------------------------------------------------------------


def new_opportunity(user, **data):
    base = OpportunityFactory.build(owner=user)
    values = {
        "name": "Deal",
        "account": AccountFactory(owner=user),
        "stage": stage("qualification"),
        "need_type": base.need_type,
        "currency": base.currency,
        "owner": user,
    }
    return {**values, **data}


@pytest.fixture
def no_budget_while_qualifying(ada):
    return add_rule(
        ada,
        name="No budget while qualifying",
        conditions=when_stage("equals", "Qualification"),
        action="hide",
        target="budget",
    )


@pytest.fixture
def new_customers_while_qualifying(ada):
    return add_rule(
        ada,
        name="New customers while qualifying",
        conditions=when_stage("equals", "Qualification"),
        action="read_only",
        target="customer_kind",
    )


def test_a_new_record_cannot_be_given_a_value_of_a_field_a_rule_hides(alice, no_budget_while_qualifying):
    with pytest.raises(ValidationError) as refusal:
        services.create_record(section=opportunities(), user=alice, data=new_opportunity(alice, budget=Decimal("9")))

    assert refusal.value.message_dict["budget"] == [
        "Customer budget: cannot be set, by the rule “No budget while qualifying”."
    ]
    assert not opportunities().model.objects.exists()
    created = services.create_record(section=opportunities(), user=alice, data=new_opportunity(alice))
    assert created.budget is None


def test_the_rule_lets_a_value_through_once_its_condition_no_longer_holds(alice, no_budget_while_qualifying):
    data = new_opportunity(alice, stage=stage("proposal"), budget=Decimal("9"))

    created = services.create_record(section=opportunities(), user=alice, data=data)

    assert created.budget == Decimal("9")


def test_a_new_record_keeps_the_default_of_a_field_a_rule_makes_read_only(alice, new_customers_while_qualifying):
    with pytest.raises(ValidationError, match="cannot be set, by the rule “New customers while qualifying”"):
        services.create_record(
            section=opportunities(), user=alice, data=new_opportunity(alice, customer_kind="existing")
        )

    created = services.create_record(
        section=opportunities(), user=alice, data=new_opportunity(alice, customer_kind="new")
    )
    assert created.customer_kind == "new"


def test_a_crafted_form_post_on_create_is_refused_naming_the_rule(alice_client, alice, no_budget_while_qualifying):
    url = reverse("opportunities:create")
    account = AccountFactory(owner=alice)
    base = OpportunityFactory.build(owner=alice)
    data = form_data(
        alice_client,
        url,
        name="Crafted",
        account=account.pk,
        stage=stage("qualification").pk,
        need_type=base.need_type.pk,
        currency=base.currency.pk,
        budget="5000",
    )
    data.pop("tags")  # a browser posts nothing for a tick box list left alone

    response = alice_client.post(url, data)

    assert response.status_code == 422
    assert "cannot be set, by the rule “No budget while qualifying”" in response.content.decode()
    assert not opportunities().model.objects.filter(name="Crafted").exists()
    assert alice_client.post(url, {**data, "budget": ""}).status_code == 302


def test_an_import_row_setting_a_field_a_rule_hides_is_refused_naming_the_rule(alice, no_budget_while_qualifying):
    need, currency = NeedType.objects.order_by("position").first().name, Currency.objects.base().code
    AccountFactory(owner=alice, name="Acme")
    header = ["Name", "Account", "Stage", "Need type", "Currency", "Customer budget"]
    rows = [
        header,
        ["Hidden budget", "Acme", "Qualification", need, currency, "100"],
        ["Open budget", "Acme", "Proposal", need, currency, "100"],
    ]
    job = import_services.create_job(user=alice, section_name="opportunities", upload=upload(xlsx_bytes(rows)))
    job = import_services.configure(user=alice, job=job, sheet="", mapping=job.mapping, keys=[], lookup_mode="refuse")
    import_services.start(user=alice, job=job)
    job = import_services.run(job.pk)

    assert (job.created_count, job.refused_count) == (1, 1)
    assert "cannot be set, by the rule “No budget while qualifying”" in job.refused_rows.get().reason


def test_a_read_only_field_a_formula_sets_takes_the_formulas_value_on_create_and_update(ada, alice):
    add_rule(ada, name="Budget from probability", action="set_value", target="budget", formula="probability * 100")
    add_rule(ada, name="Budget is computed", action="read_only", target="budget")

    created = services.create_record(
        section=opportunities(), user=alice, data=new_opportunity(alice, probability=10, budget=Decimal("1000"))
    )
    saved = services.update_record(
        section=opportunities(),
        user=alice,
        obj=created,
        data={"probability": 20, "budget": Decimal("2000")},
        expected_version=created.version,
    )

    assert (created.budget, saved.budget) == (Decimal("1000.00"), Decimal("2000.00"))

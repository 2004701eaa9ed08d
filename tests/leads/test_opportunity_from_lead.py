"""Awaiting sale: the opportunity made from the lead; Satisfied: when that opportunity is won."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from leads import services
from leads.models import Lead
from opportunities import services as opportunity_services
from opportunities.models import NeedType, Opportunity, OpportunityStage
from tests.factories import OpportunityFactory
from tests.factories.leads import LeadProductFactory

Stage = Lead.Stage


@pytest.fixture
def qualified(alice, make_lead, role_tree):
    lead = make_lead(
        alice,
        need_type=NeedType.objects.get(name="Consulting"),
        budget=Decimal("12000.00"),
        decision_date=datetime.date(2027, 6, 30),
        division=role_tree.sales,
    )
    LeadProductFactory(lead=lead, quantity=Decimal("3"), price=Decimal("250.00"))
    lead = services.qualify(user=alice, lead=lead, expected_version=lead.version)
    return services.hand_off(user=alice, lead=lead, expected_version=lead.version)


def await_sale(user, lead):
    return services.move_to(user=user, lead=lead, stage=Stage.AWAITING_SALE, expected_version=lead.version)


def test_awaiting_sale_creates_the_opportunity_from_the_lead(alice, qualified, role_tree):
    lead = await_sale(alice, qualified)

    opportunity = Opportunity.objects.get(pk=Lead.objects.get(pk=lead.pk).opportunity_id)
    assert opportunity.name == "Northwind / 1"
    assert (opportunity.account, opportunity.contact) == (lead.account, lead.contact)
    assert opportunity.owner == alice
    assert opportunity.need_type.name == "Consulting"
    assert opportunity.budget == Decimal("12000.00")
    assert opportunity.close_date == datetime.date(2027, 6, 30)
    assert opportunity.division == role_tree.sales
    lines = list(opportunity.lines.all())
    assert [(line.quantity, line.price) for line in lines] == [(Decimal("3.000"), Decimal("250.00"))]
    assert opportunity.amount == lines[0].total


def test_the_opportunity_is_numbered_after_the_customer_s_others(alice, qualified):
    OpportunityFactory(owner=alice, account=qualified.account)

    lead = await_sale(alice, qualified)

    assert Lead.objects.get(pk=lead.pk).opportunity.name == "Northwind / 2"


def test_the_opportunity_goes_to_the_lead_owner(alice, bob, qualified):
    # a lead at Handoff goes back to distribution (Nurturing) to get another owner, then on to Handoff again
    lead = services.move_to(user=alice, lead=qualified, stage=Stage.NURTURING, expected_version=qualified.version)
    lead = services.distribute(user=alice, lead=lead, owner=bob, expected_version=lead.version)
    lead = services.hand_off(user=alice, lead=lead, expected_version=lead.version)

    lead = await_sale(alice, lead)

    assert Lead.objects.get(pk=lead.pk).opportunity.owner == bob


def test_a_refused_opportunity_leaves_the_lead_where_it_was(alice, qualified):
    NeedType.objects.update(is_active=False)
    Lead.objects.filter(pk=qualified.pk).update(need_type=None)
    lead = Lead.objects.get(pk=qualified.pk)

    with pytest.raises(ValidationError, match="need type"):
        await_sale(alice, lead)

    lead.refresh_from_db()
    assert (lead.stage, lead.opportunity) == (Stage.HANDOFF, None)
    assert Opportunity.objects.count() == 0


# TO BE CHECKED by the lead engineer once opportunities.services.move_to is final
def test_the_lead_is_satisfied_when_its_opportunity_is_won(alice, qualified):
    lead = await_sale(alice, qualified)
    opportunity = Lead.objects.get(pk=lead.pk).opportunity

    opportunity_services.move_to(
        user=alice,
        opportunity=opportunity,
        stage=OpportunityStage.objects.get(code="won"),
        expected_version=opportunity.version,
    )

    lead.refresh_from_db()
    assert lead.stage == Stage.SATISFIED
    assert list(lead.stage_history.values_list("stage", flat=True))[-1] == Stage.SATISFIED


def test_a_lost_opportunity_leaves_the_lead_awaiting_sale(alice, qualified):
    lead = await_sale(alice, qualified)
    opportunity = Lead.objects.get(pk=lead.pk).opportunity

    opportunity_services.move_to(
        user=alice,
        opportunity=opportunity,
        stage=OpportunityStage.objects.get(code="lost"),
        expected_version=opportunity.version,
    )

    lead.refresh_from_db()
    assert lead.stage == Stage.AWAITING_SALE


def test_the_opportunity_s_number_counts_only_the_customer_s_opportunities_its_user_may_see(
    alice, bob, qualified, record_rights
):
    record_rights("opportunities")
    OpportunityFactory(owner=bob, account=qualified.account)  # bob's: alice may not see it, nor learn of it
    OpportunityFactory(owner=alice, account=qualified.account)

    lead = await_sale(alice, qualified)

    assert Lead.objects.get(pk=lead.pk).opportunity.name == "Northwind / 2"

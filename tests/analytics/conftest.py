"""Dashboards over the opportunities of alice (the rep, team A), bob (team B) and their manager maria."""

from __future__ import annotations

from decimal import Decimal

import pytest

from crm.access.models import Membership
from crm.analytics import services
from crm.analytics.models import Dashboard
from opportunities.models import Opportunity
from tests.factories import UserFactory
from tests.factories.opportunities import OpportunityFactory, stage


@pytest.fixture
def maria(db):
    return UserFactory(username="maria", first_name="Maria", last_name="Manning", is_superuser=True)


@pytest.fixture
def team(role_tree, alice, bob):
    Membership.objects.create(user=alice, role=role_tree.team_a)
    Membership.objects.create(user=bob, role=role_tree.team_b)
    return role_tree


def deal(owner, amount, stage_code="qualification", **fields):
    record = OpportunityFactory(owner=owner, stage=stage(stage_code), **fields)
    Opportunity.objects.filter(pk=record.pk).update(amount=Decimal(amount), amount_base=Decimal(amount))
    record.refresh_from_db()
    return record


@pytest.fixture
def deals(team, alice, bob):
    """alice: 100 + 200 at qualification, 1,000 won; bob: 5,000 at qualification."""
    return [
        deal(alice, "100.00"),
        deal(alice, "200.00"),
        deal(alice, "1000.00", "won"),
        deal(bob, "5000.00"),
    ]


@pytest.fixture
def shared_dashboard(maria):
    """maria's company-wide dashboard (tiles are added by the tests)."""
    return services.save_dashboard(user=maria, data={"name": "Sales", "sharing": Dashboard.Sharing.COMPANY})


def add_tile(user, dashboard, kind, **settings):
    data = {"title": settings.pop("title", kind.title()), **settings}
    return services.save_tile(user=user, tab=dashboard.tabs.first(), kind_name=kind, data=data)


CHART = {
    "section": "opportunities",
    "function": "count",
    "group_by": "stage",
    "step": "month",
    "chart_type": "column",
    "top": "10",
}


def add_chart(user, dashboard, **settings):
    """A chart of opportunities, counted by stage, unless the settings say otherwise."""
    return add_tile(user, dashboard, "chart", **{**CHART, **settings})

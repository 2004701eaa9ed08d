"""Approvals on opportunities: alice owns the opportunity and asks; bob approves first, then any member of the
Finance role (dave); erin stands in when asked; charlie is the outsider."""

from types import SimpleNamespace

import pytest

from crm import approvals
from crm.access.models import Membership, Role
from crm.approvals.models import ApprovalRoute, ApprovalRouteStep
from tests.factories import OpportunityFactory, UserFactory


@pytest.fixture
def dave(db):
    return UserFactory(username="dave", first_name="Dave", last_name="Dunn", email="dave@example.com")


@pytest.fixture
def erin(db):
    return UserFactory(username="erin", first_name="Erin", last_name="Ellis")


@pytest.fixture
def hooks():
    """Register opportunities for approvals; the calls of the section's hooks are kept in `hooks.approved`."""
    calls = SimpleNamespace(approved=[])
    approvals.register(
        "opportunities",
        on_approved=lambda *, user, record: calls.approved.append((user.username, record.pk)),
        editable_while_pending=frozenset({"description"}),
    )
    yield calls
    approvals.unregister("opportunities")


@pytest.fixture
def finance(db, dave):
    role = Role.objects.create(name="Finance", kind=Role.Kind.FUNCTIONAL)
    Membership.objects.create(user=dave, role=role)
    return role


@pytest.fixture
def route(db, bob, finance):
    route = ApprovalRoute.objects.create(section="opportunities", name="Discount approval")
    ApprovalRouteStep.objects.create(route=route, position=1, approver_user=bob)
    ApprovalRouteStep.objects.create(route=route, position=2, approver_role=finance)
    return route


@pytest.fixture
def opportunity(alice):
    return OpportunityFactory(owner=alice, name="Laptops for Northwind", description="Fifty laptops")

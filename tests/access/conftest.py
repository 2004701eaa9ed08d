"""The sales organisation of the access tests: alice in Sales team A, bob in Sales team B, maria managing Sales,
charlie outside Sales (only "All employees"), ada the superuser."""

import pytest
from django.utils import timezone

from crm.access.models import Membership
from tests.factories import UserFactory


@pytest.fixture
def maria(db):
    return UserFactory(username="maria", first_name="Maria", last_name="Manning")


@pytest.fixture
def org(role_tree, alice, bob, maria):
    Membership.objects.create(user=alice, role=role_tree.team_a)
    Membership.objects.create(user=bob, role=role_tree.team_b)
    Membership.objects.create(user=maria, role=role_tree.sales_managers)
    return role_tree


@pytest.fixture
def later():
    return timezone.now() + timezone.timedelta(days=7)

"""Printing opportunities: alice owns "Laptops for Northwind" with one line of ten laptops; charlie is the outsider."""

from decimal import Decimal

import pytest

from opportunities.models import Opportunity, OpportunityProduct
from opportunities.services import copy_lines
from tests.factories import OpportunityFactory, ProductFactory


@pytest.fixture
def opportunity(alice):
    laptop = ProductFactory(owner=alice, name="ThinkPad X1 Carbon", price=Decimal("1250.00"))
    opportunity = OpportunityFactory(owner=alice, name="Laptops for Northwind", description="Secret margin 40%")
    copy_lines(
        opportunity=opportunity,
        lines=[OpportunityProduct(product=laptop, quantity=10, unit=laptop.unit, price=Decimal("1250.00"))],
    )
    return Opportunity.objects.get(pk=opportunity.pk)

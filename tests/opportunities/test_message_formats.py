"""The managers' message about a closed deal writes its amount by the one money format (crm.core.formats)."""

from decimal import Decimal

from django.utils import translation

from crm.access.models import Membership
from crm.core.models import Notification
from opportunities import services
from opportunities.models import Opportunity


def test_the_won_deal_message_writes_the_amount_as_pages_do(alice, bob, role_tree, make_opportunity, stages):
    Membership.objects.create(user=alice, role=role_tree.team_a)
    Membership.objects.create(user=bob, role=role_tree.sales_managers)
    opportunity = make_opportunity(alice)
    Opportunity.objects.filter(pk=opportunity.pk).update(amount=Decimal("12345.50"))  # as its lines would
    opportunity.refresh_from_db()

    with translation.override("de"):
        services.move_to(user=alice, opportunity=opportunity, stage=stages["won"], expected_version=opportunity.version)

    assert "12.345,50" in Notification.objects.get(recipient=bob).body

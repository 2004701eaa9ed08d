"""An order made from an opportunity takes its customer, owner, currency and products (all, or the ones chosen)."""

from decimal import Decimal

from opportunities.models import OpportunityProduct
from orders.models import Order
from tests.factories import OpportunityFactory, ProductFactory
from tests.factories.products import unit


def opportunity_with_two_lines(owner):
    opportunity = OpportunityFactory(owner=owner)
    lines = []
    for quantity, price in ((2, "100.00"), (1, "50.00")):
        line = OpportunityProduct(
            opportunity=opportunity,
            product=ProductFactory(owner=owner),
            unit=unit("pieces"),
            quantity=Decimal(quantity),
            price=Decimal(price),
            tax_included=False,
        )
        line.recompute()
        line.save()
        lines.append(line)
    return opportunity, lines


def test_an_order_from_an_opportunity_copies_its_customer_and_all_its_products(alice_client, alice):
    opportunity, _ = opportunity_with_two_lines(alice)

    response = alice_client.post(f"/orders/from-opportunity/{opportunity.pk}/", {"products": "all"})

    order = Order.objects.get(opportunity=opportunity)
    assert response.url == order.get_absolute_url()
    assert (order.account, order.owner, order.currency) == (opportunity.account, alice, opportunity.currency)
    assert [(line.quantity, line.price) for line in order.lines.order_by("position")] == [
        (Decimal("2.000"), Decimal("100.00")),
        (Decimal("1.000"), Decimal("50.00")),
    ]
    assert order.amount == Decimal("250.00")


def test_an_order_from_an_opportunity_takes_only_the_products_ticked(alice_client, alice):
    opportunity, lines = opportunity_with_two_lines(alice)

    alice_client.post(f"/orders/from-opportunity/{opportunity.pk}/", {"products": "chosen", "line": [lines[1].pk]})

    order = Order.objects.get(opportunity=opportunity)
    assert [line.product for line in order.lines.all()] == [lines[1].product]
    assert order.amount == Decimal("50.00")


def test_the_opportunity_page_offers_to_create_an_order(alice_client, alice):
    opportunity, _ = opportunity_with_two_lines(alice)

    page = alice_client.get(opportunity.get_absolute_url()).content.decode()

    assert f'href="/orders/from-opportunity/{opportunity.pk}/"' in page
    assert alice_client.get(f"/orders/from-opportunity/{opportunity.pk}/").status_code == 200

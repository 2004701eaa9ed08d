"""Values in generic cells look as their kind: money to the cent, a quantity as the number it is."""

from decimal import Decimal

from django.urls import reverse

from tests.factories import OrderFactory
from tests.factories.orders import OrderProductFactory


def test_a_product_line_s_quantity_is_a_number_and_its_price_money(alice_client, alice):
    order = OrderFactory(owner=alice)
    OrderProductFactory(order=order, quantity=Decimal("3.5"), price=Decimal("1349"))

    body = alice_client.get(reverse("orders:tab", args=[order.pk, "products"])).content.decode()

    assert "<td>3.5</td>" in body
    assert "3.50" not in body  # the quantity through the money format
    assert "1,349.00" in body

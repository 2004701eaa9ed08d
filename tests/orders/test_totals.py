"""An order's totals are the sums of its lines, computed on the server: whatever a form posts is ignored."""

from decimal import Decimal

from orders.models import Order, OrderProduct
from products.models import Currency, Tax, UnitOfMeasure
from tests.factories import AccountFactory, ProductFactory
from tests.factories.orders import OrderFactory


def test_a_new_order_gets_a_number_by_the_mask_and_ignores_a_posted_total(alice_client, alice):
    account = AccountFactory(owner=alice)
    data = {
        "date": "2026-03-01",
        "account": account.pk,
        "status": "draft",
        "owner": alice.pk,
        "currency": Currency.objects.base().pk,
        "amount": "999.00",
        "paid_amount": "999.00",
        "payment_status": "paid",
    }

    response = alice_client.post("/orders/new/", data)

    assert response.status_code == 302, response.context and response.context["form"].errors
    order = Order.objects.get(account=account)
    assert order.number.startswith("ORD-")
    assert (order.amount, order.paid_amount, order.payment_status) == (Decimal("0.00"), Decimal("0.00"), "not_paid")


def test_a_line_added_by_hand_is_priced_on_the_server_and_the_order_total_follows(alice_client, alice):
    order = OrderFactory(owner=alice)
    product = ProductFactory(owner=alice)
    vat = Tax.objects.get(name="VAT")
    url = f"/orders/{order.pk}/details/products/new/"
    data = {
        "detail-products-product": product.pk,
        "detail-products-quantity": "3",
        "detail-products-unit": UnitOfMeasure.objects.get(name="pieces").pk,
        "detail-products-price": "10.00",
        "detail-products-discount_percent": "10",
        "detail-products-tax": vat.pk,
        "detail-products-total": "1.00",
        "detail-products-tax_amount": "0.00",
    }

    response = alice_client.post(url, data)

    assert response.status_code == 302
    line = OrderProduct.objects.get(order=order)
    order.refresh_from_db()
    # 3 × 10.00 = 30.00, less 10 % = 27.00, plus VAT 20 % (5.40) = 32.40: prices exclude tax by default
    assert (line.tax_amount, line.total) == (Decimal("5.40"), Decimal("32.40"))
    assert (order.amount, order.tax_amount, order.discount_amount) == (
        Decimal("32.40"),
        Decimal("5.40"),
        Decimal("3.00"),
    )


def test_with_prices_including_tax_the_tax_is_inside_the_total(alice_client, alice, settings):
    settings.PRICES_INCLUDE_TAX = True
    order = OrderFactory(owner=alice)
    data = {
        "detail-products-product": ProductFactory(owner=alice).pk,
        "detail-products-quantity": "1",
        "detail-products-unit": UnitOfMeasure.objects.get(name="pieces").pk,
        "detail-products-price": "120.00",
        "detail-products-discount_percent": "0",
        "detail-products-tax": Tax.objects.get(name="VAT").pk,
    }

    alice_client.post(f"/orders/{order.pk}/details/products/new/", data)

    order.refresh_from_db()
    assert (order.amount, order.tax_amount) == (Decimal("120.00"), Decimal("20.00"))

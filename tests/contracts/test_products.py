"""A contract's products: with lines, its amount is their sum (computed on the server); without, the amount entered."""

from decimal import Decimal

import pytest
from django.urls import reverse

from contracts import services
from tests.factories import ProductFactory
from tests.factories.contracts import ContractFactory, ContractProductFactory

pytestmark = pytest.mark.django_db


def test_a_line_added_by_hand_makes_the_amount_the_sum_of_the_lines(alice_client, alice):
    contract = ContractFactory(owner=alice, amount=Decimal("5000"))
    product = ProductFactory()

    response = alice_client.post(
        reverse("contracts:detail_row_create", args=[contract.pk, "products"]),
        {
            "detail-products-product": product.pk,
            "detail-products-quantity": "3",
            "detail-products-unit": product.unit_id,
            "detail-products-price": "10",
            "detail-products-discount_percent": "0",
        },
    )

    assert response.status_code == 302
    contract.refresh_from_db()
    line = contract.lines.get()
    assert contract.amount == line.total == Decimal("30.00")


def test_without_lines_the_amount_entered_stays(alice):
    contract = ContractFactory(owner=alice, amount=Decimal("1234.50"))

    services.lines_changed(user=alice, record=contract)

    contract.refresh_from_db()
    assert contract.amount == Decimal("1234.50")


def test_lines_from_the_catalogue_set_the_amount(alice):
    contract = ContractFactory(owner=alice, amount=Decimal("1"))
    line = ContractProductFactory(contract=contract)

    services.lines_changed(user=alice, record=contract)

    contract.refresh_from_db()
    line.refresh_from_db()
    assert contract.amount == line.total > 0


def test_add_products_leads_to_the_catalogue_priced_for_the_contract(alice_client, alice):
    contract = ContractFactory(owner=alice)

    response = alice_client.get(reverse("contracts:select_products", args=[contract.pk]), follow=True)

    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == f"{reverse('products:select')}?for=contracts&pk={contract.pk}"


def test_a_contract_is_created_from_an_order_with_its_customer_and_products(client, alice, bob, record_rights):
    from decimal import Decimal

    from django.urls import reverse

    from contracts.models import Contract
    from orders import services as order_services
    from orders.models import OrderProduct
    from tests.factories import AccountFactory, ProductFactory

    laptop = ProductFactory(owner=alice, price=Decimal("100.00"))
    order = order_services.create_order(user=alice, data={"account": AccountFactory(owner=alice)})
    order_services.copy_lines(
        order=order, lines=[OrderProduct(product=laptop, quantity=2, unit=laptop.unit, price=Decimal("100.00"))]
    )
    order.refresh_from_db()
    record_rights("orders")
    url = reverse("contracts:from_order", args=[order.pk])

    client.force_login(bob)
    assert client.post(url).status_code == 404  # bob may not see alice's order
    client.force_login(alice)
    assert client.get(url).status_code == 200
    response = client.post(url)

    contract = Contract.objects.get()
    assert response["Location"] == contract.get_absolute_url()
    assert (contract.order, contract.account, contract.owner, contract.amount) == (
        order,
        order.account,
        alice,
        order.amount,
    )
    assert contract.lines.count() == 1 and contract.status == Contract.Status.DRAFT

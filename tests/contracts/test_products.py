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

"""A printed invoice: our company's letterhead (name, address, tax id, banking details), the customer's address,
the product lines and totals as the pages show them, the payment terms; a payment step's invoice lists the
order's products for reference."""

from decimal import Decimal

import pypdfium2
import pytest
from django.urls import reverse

from accounts.models import AccountAddress, AccountAddressType
from crm.printing.models import PrintForm
from invoices import services
from orders import services as order_services
from orders.models import PlanStep
from tests.factories import AccountFactory


def printed(client, invoice) -> str:
    form = PrintForm.objects.get(section="invoices", is_default=True)
    response = client.get(reverse("printing:pdf", args=["invoices", invoice.pk, form.pk]))
    assert response.status_code == 200
    return " ".join(
        " ".join(page.get_textpage().get_text_range().split()) for page in pypdfium2.PdfDocument(response.content)
    )


@pytest.fixture
def customer(alice):
    account = AccountFactory(name="Северный ветер ООО", owner=alice)
    AccountAddress.objects.create(
        account=account,
        type=AccountAddressType.objects.first(),
        street="ул. Ленина 5",
        zip_code="190000",
        city="Санкт-Петербург",
        is_primary=True,
    )
    return account


def test_an_invoice_prints_our_letterhead_the_customers_address_the_lines_and_the_terms(
    alice_client, alice, our_company, customer, make_order
):
    our_company.custom = {"tax_id": "DE123456789"}
    our_company.save(update_fields=["custom"])
    AccountAddress.objects.create(
        account=our_company, type=AccountAddressType.objects.first(), street="Hauptstraße 1", city="Berlin"
    )
    order = make_order(alice, "1349.00", account=customer)
    invoice = services.create_from_order(user=alice, order=order)

    text = printed(alice_client, invoice)

    assert "OpenCRM Ltd." in text and "Hauptstraße 1" in text and "Tax ID: DE123456789" in text
    assert "Account/IBAN: DE89370400440532013000" in text
    assert "Северный ветер ООО" in text and "ул. Ленина 5, 190000 Санкт-Петербург" in text
    assert "1,349.00" in text and "1349.00" not in text
    assert f"Please pay {invoice.amount:,.2f}" in text
    assert "Payment terms" in text


def test_a_payment_step_invoice_lists_the_orders_products_for_reference(
    alice_client, alice, our_company, make_order, template
):
    order = make_order(alice, "1349.00")
    order_services.apply_template(user=alice, order=order, template=template("50/50"))
    step = PlanStep.objects.get(order=order, name="Prepayment")
    invoice = services.create_from_order(user=alice, order=order, step=step)
    product = order.lines.get().product.name

    text = printed(alice_client, invoice)

    assert "For reference, the order's products:" in text
    assert product in text
    assert invoice.amount == Decimal("674.50") and "674.50" in text

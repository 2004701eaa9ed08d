"""Who may not see an order or an invoice gets the same 404 on every one of their pages, and changes nothing; the
owner (the control) gets the pages."""

from decimal import Decimal

import pytest

from crm.access.models import SectionAccess
from invoices import services
from invoices.models import Invoice
from orders import services as order_services
from orders.models import Order, PlanStep


@pytest.fixture
def alices_records(alice, make_order, template):
    """alice's order (50/50 plan) with an invoice for its prepayment, a payment on it; record rights on."""
    for name in ("orders", "invoices", "opportunities"):
        SectionAccess.objects.create(section=name, use_record_rights=True)
    order = make_order(alice, "200.00")
    order_services.apply_template(user=alice, order=order, template=template("50/50"))
    step = PlanStep.objects.get(order=order, name="Prepayment")
    invoice = services.create_from_order(user=alice, order=order, step=step)
    payment = services.register_payment(user=alice, invoice=invoice, amount=Decimal("10.00"))
    return order, step, invoice, payment


def pages(order, step, invoice, payment) -> list[tuple[str, str, dict]]:
    line = order.lines.get()
    return [
        ("get", f"/orders/{order.pk}/", {}),
        ("get", f"/orders/{order.pk}/edit/", {}),
        ("get", f"/orders/{order.pk}/delete/", {}),
        ("get", f"/orders/{order.pk}/details/products/", {}),
        ("get", f"/orders/{order.pk}/details/plan/", {}),
        ("get", f"/orders/{order.pk}/details/plan/{step.pk}/", {}),
        ("post", f"/orders/{order.pk}/details/products/{line.pk}/delete/", {}),
        ("post", f"/orders/{order.pk}/move/", {"stage": "confirmation"}),
        ("get", f"/orders/{order.pk}/products/select/", {}),
        ("post", f"/orders/{order.pk}/plan/template/", {"template": 1}),
        ("get", f"/invoices/from-order/{order.pk}/", {}),
        ("post", f"/invoices/from-order/{order.pk}/", {"step": step.pk}),
        ("get", f"/invoices/{invoice.pk}/", {}),
        ("get", f"/invoices/{invoice.pk}/edit/", {}),
        ("get", f"/invoices/{invoice.pk}/delete/", {}),
        ("get", f"/invoices/{invoice.pk}/details/payments/", {}),
        ("post", f"/invoices/{invoice.pk}/details/payments/new/", {"detail-payments-amount": "5"}),
        ("post", f"/invoices/{invoice.pk}/details/payments/{payment.pk}/delete/", {}),
        ("post", f"/invoices/{invoice.pk}/move/", {"stage": "cancelled"}),
        ("get", f"/invoices/{invoice.pk}/products/select/", {}),
    ]


def test_who_may_not_see_an_order_gets_404_on_every_order_and_invoice_page(client, charlie, alices_records):
    order, step, invoice, payment = alices_records
    client.force_login(charlie)

    for method, url, data in pages(*alices_records):
        assert getattr(client, method)(url, data).status_code == 404, url

    order.refresh_from_db()
    invoice.refresh_from_db()
    assert (order.status, order.version, order.lines.count(), order.plan_steps.count()) == ("draft", 1, 1, 3)
    assert (invoice.status, invoice.paid_amount, Invoice.objects.count()) == ("partially_paid", Decimal("10.00"), 1)


def test_the_owner_gets_every_order_and_invoice_page(alice_client, alices_records):
    for method, url, _ in pages(*alices_records):
        if method == "get":
            assert alice_client.get(url).status_code in (200, 302), url


def test_who_may_not_see_the_opportunity_cannot_make_an_order_from_it(client, charlie, alice, alices_records):
    from tests.factories import OpportunityFactory

    opportunity = OpportunityFactory(owner=alice)
    client.force_login(charlie)

    assert client.get(f"/orders/from-opportunity/{opportunity.pk}/").status_code == 404
    assert client.post(f"/orders/from-opportunity/{opportunity.pk}/", {"products": "all"}).status_code == 404
    assert not Order.objects.filter(opportunity=opportunity).exists()

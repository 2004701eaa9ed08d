"""The paper trail of a sale in a browser: a won opportunity becomes an order with its products, the order gets
an installment plan from a template, the first payment step is invoiced, a manager approves the invoice in
another browser, the payment is registered, the order shows it paid, and the invoice prints to PDF."""

import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from crm.approvals.models import ApprovalRoute, ApprovalRouteStep
from crm.core.formats import money
from invoices.models import Invoice
from opportunities import services as opportunity_services
from opportunities.models import NeedType, OpportunityProduct, OpportunityStage
from orders.models import Order
from tests.browser.helpers import log_in
from tests.factories import AccountFactory, ProductFactory, UserFactory
from tests.factories.seeds import ensure_seeded


@pytest.fixture
def alice(transactional_db):
    ensure_seeded()
    return UserFactory(username="alice", first_name="Alice", last_name="Archer")


@pytest.fixture
def maria(transactional_db):
    return UserFactory(username="maria", first_name="Maria", last_name="Manning")


def go(page, url: str) -> None:
    """Navigate once the current page is quiet: leaving while its tab is still loading aborts that request."""
    page.wait_for_load_state("networkidle")
    page.goto(url)
    page.wait_for_load_state("networkidle")


def won_opportunity(alice):
    laptop = ProductFactory(owner=alice, name="Laptop", price=Decimal("1000.00"))
    opportunity = opportunity_services.create_opportunity(
        user=alice,
        data={
            "name": "Laptops for Northwind",
            "account": AccountFactory(owner=alice, name="Northwind"),
            "need_type": NeedType.objects.first(),
        },
    )
    opportunity_services.copy_lines(
        opportunity=opportunity,
        lines=[OpportunityProduct(product=laptop, quantity=3, unit=laptop.unit, price=Decimal("1000.00"))],
    )
    opportunity.refresh_from_db()
    return opportunity_services.move_to(
        user=alice,
        opportunity=opportunity,
        stage=OpportunityStage.objects.get(code="won"),
        expected_version=opportunity.version,
    )


@pytest.mark.slow
def test_a_won_opportunity_becomes_an_approved_paid_and_printed_invoice(page, browser, live_server, alice, maria):
    opportunity = won_opportunity(alice)
    route = ApprovalRoute.objects.create(section="invoices", name="Invoices over nothing")
    ApprovalRouteStep.objects.create(route=route, position=1, approver_user=maria)
    page.on("dialog", lambda dialog: dialog.accept())
    log_in(page, "alice")

    # the order, with all the opportunity's products
    go(page, opportunity.get_absolute_url())
    page.get_by_role("link", name="Create order").click()
    page.get_by_role("button", name="Create order").click()
    order = Order.objects.get()
    expect(page).to_have_url(re.compile(rf"/orders/{order.pk}/"))
    assert order.opportunity_id == opportunity.pk and order.amount == opportunity.amount

    # the installment plan from a template, then an invoice for its payment step
    page.wait_for_load_state("networkidle")
    page.locator("#plan-template").select_option(label="100% prepayment")
    page.get_by_role("button", name="Apply template").click()
    step_row = page.locator("#plan-panel tr", has_text="Prepayment")
    expect(step_row).to_contain_text(money(order.amount))
    page.wait_for_load_state("networkidle")
    step_row.get_by_role("button", name="Create invoice").click()
    invoice = Invoice.objects.get()
    expect(page).to_have_url(re.compile(rf"/invoices/{invoice.pk}/"))
    assert invoice.amount == order.amount

    # sent for approval; the manager approves it in her own browser
    go(page, f"{invoice.get_absolute_url()}?tab=approvals")
    page.locator("#send-for-approval").click()  # back on the approvals tab
    expect(page.locator("#approval-pending")).to_contain_text("Maria Manning")

    manager = browser.new_context(base_url=live_server.url)
    try:
        manager_page = manager.new_page()
        log_in(manager_page, "maria")
        manager_page.goto("/approvals/")
        expect(manager_page.get_by_role("link", name=re.compile(invoice.number)).first).to_be_visible()
        manager_page.goto(f"{invoice.get_absolute_url()}?tab=approvals")
        manager_page.locator("#approval-comment").fill("Fine.")
        manager_page.locator("#approve-button").click()
        expect(manager_page.locator(".alert-success, .alert-info").first).to_be_visible()
    finally:
        manager.close()
    invoice.refresh_from_db()
    assert invoice.status == "unpaid"

    # the payment, then the order shows it paid
    go(page, f"{invoice.get_absolute_url()}?tab=payments")
    page.locator('[data-detail-add="payments"]').click()
    page.wait_for_load_state("networkidle")
    page.get_by_label("Amount").fill(str(invoice.amount))
    page.locator('[data-detail-save="payments"]').click()
    expect(page.locator("#detail-payments")).to_contain_text(f"{invoice.amount:,.2f}")
    invoice.refresh_from_db()
    order.refresh_from_db()
    assert (invoice.status, order.payment_status) == ("paid", "paid")
    go(page, order.get_absolute_url())
    expect(page.locator("#plan-panel tr", has_text="Prepayment")).to_contain_text(money(order.amount))

    # and it prints
    go(page, f"{invoice.get_absolute_url()}?tab=print")
    link = page.locator("[data-print-form]").first
    response = page.request.get(link.get_attribute("href"))
    assert response.status == 200 and response.body().startswith(b"%PDF")

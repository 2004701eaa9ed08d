"""A contract made from an order is between the order's customer and our company, with the banking details each
starts with, the same as the invoice made from the same order."""

from django.urls import reverse

from accounts.models import AccountType, BankingDetails
from contracts import services
from contracts.models import Contract
from invoices import services as invoice_services
from tests.factories import AccountFactory, UserFactory


def our_company():
    company = AccountFactory(name="OpenCRM Ltd.", type=AccountType.objects.get(name="Our company"), owner=UserFactory())
    BankingDetails.objects.create(account=company, name="Main", account_number="DE89370400440532013000")
    return company


def test_a_contract_from_an_order_names_our_company_and_both_banking_details(alice, make_order):
    company = our_company()
    order = make_order(alice)
    customer_bank = BankingDetails.objects.create(account=order.account, name="Customer", account_number="FR76300")

    contract = services.create_from_order(user=alice, order=order)

    assert (contract.our_company, contract.our_banking_details, contract.account_banking_details) == (
        company,
        company.banking_details.get(),
        customer_bank,
    )


def test_the_contract_and_the_invoice_from_one_order_have_the_same_parties(alice, make_order):
    our_company()
    order = make_order(alice)
    BankingDetails.objects.create(account=order.account, name="Customer", account_number="FR76300")

    contract = services.create_from_order(user=alice, order=order)
    invoice = invoice_services.create_from_order(user=alice, order=order)

    assert (contract.our_company, contract.our_banking_details, contract.account_banking_details) == (
        invoice.supplier,
        invoice.supplier_details,
        invoice.customer_details,
    )


def test_a_customer_with_two_sets_of_banking_details_chooses_on_the_contract(alice, make_order):
    company = our_company()
    order = make_order(alice)
    for number in ("FR76300", "FR76301"):
        BankingDetails.objects.create(account=order.account, name=number, account_number=number)

    contract = services.create_from_order(user=alice, order=order)

    assert (contract.our_company, contract.account_banking_details) == (company, None)


def test_the_contract_page_from_an_order_shows_our_company(alice_client, alice, make_order):
    our_company()
    order = make_order(alice)

    response = alice_client.post(reverse("contracts:from_order", args=[order.pk]))

    contract = Contract.objects.get()
    assert response["Location"] == contract.get_absolute_url()
    page = alice_client.get(contract.get_absolute_url()).content.decode()
    our_company_value = page.split('data-field="our_company"', 1)[1].split("</dd>", 1)[0]
    our_details_value = page.split('data-field="our_banking_details"', 1)[1].split("</dd>", 1)[0]
    assert "OpenCRM Ltd." in our_company_value
    assert "Main: DE89370400440532013000" in our_details_value

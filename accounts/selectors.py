"""Reads of accounts that other sections share: our company and the banking details a document made from an
order starts with (an invoice's supplier and customer details, a contract's parties)."""

from __future__ import annotations

from dataclasses import dataclass

from .models import Account, BankingDetails

#: the account type of the company using the CRM: the supplier of its invoices, a party to its contracts
OUR_COMPANY_TYPE = "Our company"


def our_company() -> Account | None:
    """The account typed "Our company" (the first one, if there are several)."""
    return Account.objects.filter(type__name=OUR_COMPANY_TYPE).order_by("pk").first()


def only_banking_details(account: Account | None) -> BankingDetails | None:
    """An account's banking details when it has exactly one set (else the user chooses)."""
    if account is None:
        return None
    found = list(account.banking_details.all()[:2])
    return found[0] if len(found) == 1 else None


@dataclass(frozen=True)
class Parties:
    """Who a document for a customer is between, and the banking details each side starts with."""

    customer_details: BankingDetails | None
    our_company: Account | None
    our_details: BankingDetails | None


def parties_for(customer: Account | None) -> Parties:
    """The parties of an invoice or a contract made for `customer` (an order's account): our company, and each
    side's banking details where it has only one set."""
    company = our_company()
    return Parties(
        customer_details=only_banking_details(customer),
        our_company=company,
        our_details=only_banking_details(company),
    )

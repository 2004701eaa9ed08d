"""What every print form gets from the customer base (crm.printing): our company's letterhead and the customer's
name and address, each read as the printing user may read it."""

from __future__ import annotations

import base64
import mimetypes

from crm import access
from crm.sections import registry

from .models import Account

#: a logo larger than this is left off the letterhead (it would be inlined into every PDF)
LOGO_MAX_BYTES = 1024 * 1024
#: the record fields naming our side and its banking details (invoices: supplier; contracts: our company)
OUR_SIDE = (("supplier", "supplier_details"), ("our_company", "our_banking_details"))
CUSTOMER_SIDE = (("account", "customer_details"), ("account", "account_banking_details"), ("contact", ""))


def _logo(account) -> str:
    """The logo as a data: URI, so that the PDF renderer reads no file of its own."""
    if not getattr(account, "logo", None):
        return ""
    mime = mimetypes.guess_type(account.logo.name)[0] or ""
    if not mime.startswith("image/") or mime == "image/svg+xml":
        return ""
    try:
        if account.logo.size > LOGO_MAX_BYTES:
            return ""
        with account.logo.open("rb") as file:
            return f"data:{mime};base64,{base64.b64encode(file.read()).decode('ascii')}"
    except OSError:
        return ""


def party(party, banking=None) -> dict:
    """An account or a contact as a letterhead or an address block prints it."""
    addresses = getattr(party, "addresses", None)
    address = addresses.order_by("-is_primary", "pk").first() if addresses is not None else None
    if banking is None and hasattr(party, "banking_details"):
        banking = party.banking_details.order_by("pk").first()
    name = getattr(party, "name", "") or getattr(party, "full_name", "") or str(party)
    fallback = ", ".join(p for p in (getattr(party, "city", ""), getattr(party, "country", "")) if p)
    return {
        "name": name,
        "address": address.one_line() if address else fallback,
        "phone": getattr(party, "phone", "") or "",
        "tax_id": str((getattr(party, "custom", None) or {}).get("tax_id", "") or ""),
        "logo": _logo(party),
        "banking": {
            "name": banking.name,
            "bank": banking.bank,
            "account_number": banking.account_number,
            "swift": banking.swift,
            "details": banking.details,
        }
        if banking is not None
        else {},
    }


def _side(user, record, readable, pairs):
    """The first party the record names on one side, with its banking details, where the user may read them."""
    for party_field, banking_field in pairs:
        if party_field not in readable or not getattr(record, f"{party_field}_id", None):
            continue
        related = getattr(record, party_field)
        if not access.visible(user, type(related)._default_manager.filter(pk=related.pk)).exists():
            continue
        banking = getattr(record, banking_field, None) if banking_field and banking_field in readable else None
        return party(related, banking)
    return None


def our_company_account(user):
    """The account typed "Our company" that the user may see (the first, if there are several)."""
    return access.visible(user, Account.objects.filter(type__name="Our company")).order_by("pk").first()


def print_context(*, user, record) -> dict:
    """`company` and `customer` for every print form. Our company is the record's own (an invoice's supplier, a
    contract's "our company") or else the "Our company" account; a party the user may not see is left out."""
    section = registry.for_model(record)
    readable = section.readable_fields(user) if section is not None else frozenset()
    context = {}
    company = _side(user, record, readable, OUR_SIDE)
    if company is None:
        account = our_company_account(user)
        company = party(account) if account is not None else None
    if company is not None:
        context["company"] = company
    customer = _side(user, record, readable, CUSTOMER_SIDE)
    if customer is not None:
        context["customer"] = customer
    return context

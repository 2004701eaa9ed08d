"""Writes of contracts: move one through its status process, keep its amount the sum of its product lines, and
remind owners of contracts about to end.

The generic form saves through `crm.sections.services` like every section; the section's `after_save` hook
(`contract_saved`) is where the status process and the fixed type are enforced, so the form, the status bar, the
API and an approval all obey the same rules.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from accounts.selectors import parties_for
from crm import access
from crm.core.money import quantize
from crm.core.services import notify
from crm.sections import registry
from crm.sections import services as section_services
from products import line_rows

from .models import Contract, ContractProduct

#: the longest per-contract lead time a reminder may have (see Contract.reminder_days)
MAX_REMINDER_DAYS = 365


def section():
    return registry.get("contracts")


# --- the status process -----------------------------------------------------------------------------------------


def move_to(*, user, contract: Contract, status: str, expected_version: int) -> Contract:
    """Move the contract to `status`: the same save as the form's, so the same rules and errors.
    Raises StaleRecordError when someone saved it meanwhile, ValidationError when the process refuses."""
    return section_services.move_status(
        section=section(), user=user, obj=contract, value=status, expected_version=expected_version
    )


def contract_saved(*, user, obj: Contract, previous: dict | None) -> None:
    """The section's after_save hook: runs inside the create/update transaction, so a refusal writes nothing."""
    if previous is None:
        if obj.status not in Contract.INITIAL_STATUSES:
            raise ValidationError({"status": f"A new contract cannot be “{obj.get_status_display()}”."})
    else:
        if "type" in previous:
            raise ValidationError({"type": "The type of a contract is fixed once it is saved."})
        if "status" in previous and obj.status not in Contract.TRANSITIONS[previous["status"]]:
            old = Contract.Status(previous["status"]).label
            raise ValidationError({"status": f"A contract cannot go from “{old}” to “{obj.get_status_display()}”."})
        if "end_date" in previous or "reminder_days" in previous:
            # a new end date deserves a new reminder
            _write(obj, reminded_at=None)
    if obj.status == Contract.Status.SIGNED and not obj.signed_on:
        _write(obj, signed_on=timezone.localdate())
    recompute_amount(obj)


def _write(contract: Contract, **fields) -> None:
    for name, value in fields.items():
        setattr(contract, name, value)
    Contract.objects.filter(pk=contract.pk).update(**fields)


# --- product lines ----------------------------------------------------------------------------------------------


def recompute_amount(contract: Contract) -> None:
    """With products, the amount is the sum of their totals; without, it is what the user entered."""
    lines = ContractProduct.objects.filter(contract=contract)
    if not lines.exists():
        return
    amount = quantize(lines.aggregate(total=Sum("total"))["total"] or Decimal(0))
    if amount != contract.amount:
        _write(contract, amount=amount)


def add_lines_from_cart(user, record: Contract, lines) -> None:
    """The product selection page's hook: the cart's lines become the contract's products."""
    line_rows.append_cart(ContractProduct, record, lines)
    recompute_amount(record)
    Contract.objects.filter(pk=record.pk).update(modified_at=timezone.now(), modified_by=user)


def lines_changed(*, user, record: Contract) -> None:
    """The Products detail's after_write hook: the lines' amounts are computed here, never taken from the form."""
    line_rows.recompute_all(ContractProduct, record)
    recompute_amount(record)


def authorise_edit(user, contract: Contract) -> None:
    if not access.can(user, "edit", contract):
        raise PermissionDenied("You may not edit this contract.")


# --- validity and reminders (the daily task) -------------------------------------------------------------------


def refresh_validity(*, today: datetime.date | None = None) -> int:
    """Mark the contracts whose end date has passed as expired (the "Expired" quick filter reads the stored
    validity). Returns how many changed."""
    today = today or timezone.localdate()
    return (
        Contract.objects.filter(validity=Contract.Validity.IN_FORCE)
        .expired(today)
        .update(validity=Contract.Validity.EXPIRED)
    )


def remind_of_ending_contracts(*, today: datetime.date | None = None) -> int:
    """Tell each owner, once, that their contract ends within its reminder lead time (the contract's own, else
    CONTRACT_REMINDER_DAYS). Each contract is claimed by setting `reminded_at` before the notification is written,
    in one transaction, so two runs (or two beat schedulers) remind once. Returns how many were sent."""
    today = today or timezone.localdate()
    candidates = (
        Contract.objects.not_cancelled()
        .filter(
            reminded_at__isnull=True,
            end_date__gte=today,
            end_date__lte=today + datetime.timedelta(days=MAX_REMINDER_DAYS),
        )
        .only("pk", "end_date", "reminder_days")
    )
    sent = 0
    for contract in candidates.iterator(chunk_size=2000):
        if contract.end_date - datetime.timedelta(days=contract.reminder_lead_days) > today:
            continue
        with transaction.atomic():
            claimed = Contract.objects.filter(pk=contract.pk, reminded_at__isnull=True).update(
                reminded_at=timezone.now()
            )
            if not claimed:
                continue
            contract = Contract.objects.select_related("owner", "account").get(pk=contract.pk)
            days = (contract.end_date - today).days
            when = "today" if days == 0 else f"in {days} day{'s' if days != 1 else ''}"
            notify(
                recipient=contract.owner,
                kind="reminder",
                title=f"Contract {contract} ends {when}",
                body=f"{contract.account} · ends on {contract.end_date:%Y-%m-%d}",
                url=contract.get_absolute_url(),
            )
            sent += 1
    return sent


def approved(*, user, record) -> None:
    """The approvals' on_approved hook (crm.approvals): the contract goes to signing.
    Runs in the approval's transaction."""
    current = type(record)._default_manager.get(pk=record.pk)
    if current.status != Contract.Status.TO_BE_SIGNED:
        move_to(user=user, contract=current, status=Contract.Status.TO_BE_SIGNED, expected_version=current.version)


def create_from_order(*, user, order) -> Contract:
    """A draft contract for an order: its customer, owner, currency, opportunity and products (amounts recomputed
    here), between the customer and our company with their banking details, as the order's invoice is. The user
    must be allowed to read the order and to create contracts."""
    if not access.can(user, "read", order):
        raise PermissionDenied("You may not see this order.")
    parties = parties_for(order.account)
    data = {
        "account": order.account,
        "account_banking_details": parties.customer_details,
        "our_company": parties.our_company,
        "our_banking_details": parties.our_details,
        "contact": order.contact,
        "owner": order.owner,
        "currency": order.currency,
        "opportunity": order.opportunity,
        "order": order,
        "amount": order.amount,
    }
    with transaction.atomic():
        contract = section_services.create_record(section=section(), user=user, data=data)
        line_rows.append_copies(ContractProduct, contract, order.lines.all())
        recompute_amount(contract)
    return contract

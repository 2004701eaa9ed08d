"""Demo contracts: a handful between the demo company and its customers, moved through the status process by
its services (one expiring in two weeks, one expired, an addendum and a specification with products); or N at
scale with bulk inserts for the benchmarks."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils import timezone

from .models import Contract, ContractProduct

ORDER = 50  # after the roles, accounts, products, contacts, activities, opportunities and leads

MARKER = {"demo": "contracts"}
SCALE_BATCH = 5000
Status = Contract.Status

#: (days from today the contract started, its length in days, status, amount, description)
PLAN = [
    (-351, 365, Status.SIGNED, Decimal("24000.00"), "Annual support, ends in two weeks"),
    (-420, 400, Status.SIGNED, Decimal("8000.00"), "Hardware maintenance, expired"),
    (-30, 730, Status.SIGNED, Decimal("56000.00"), "Framework agreement for licences"),
    (0, 365, Status.TO_BE_SIGNED, Decimal("12500.00"), "Consulting retainer, with the customer for signature"),
    (7, 180, Status.DRAFT, Decimal("3000.00"), "Training programme, being drafted"),
    (-60, 365, Status.CANCELLED, Decimal("4500.00"), "Printer fleet lease, cancelled by the customer"),
]


def already_seeded(context) -> bool:
    return Contract.objects.filter(custom__demo=MARKER["demo"]).exists()


def _parties(owner):
    from accounts.models import Account, BankingDetails
    from crm import access

    our_company = Account.objects.filter(type__name="Our company").order_by("pk").first()
    customers = list(access.visible(owner, Account.objects.exclude(type__name="Our company").order_by("pk"))[:10])
    our_banking = BankingDetails.objects.filter(account=our_company).first() if our_company else None
    return our_company, our_banking, customers


def seed(context) -> None:
    from crm.sections.details import update_record_fields
    from crm.sections.services import create_record
    from products.models import Currency

    from . import services

    section = services.section()
    today = timezone.localdate()
    currency = Currency.objects.base()
    created = []
    reps = context.sales_users
    for index, (starts_in, length, status, amount, description) in enumerate(PLAN):
        owner = reps[index % len(reps)]
        our_company, our_banking, customers = _parties(owner)
        if not customers:
            continue
        start = today + datetime.timedelta(days=starts_in)
        account = customers[index % len(customers)]
        contact = account.contacts.order_by("pk").first()
        contract = create_record(
            section=section,
            user=owner,
            data={
                "type": Contract.Type.CONTRACT,
                "status": Status.DRAFT,
                "owner": owner,
                "account": account,
                "contact": contact,
                "our_company": our_company,
                "our_banking_details": our_banking,
                "start_date": start,
                "end_date": start + datetime.timedelta(days=length),
                "amount": amount,
                "currency": currency,
                "description": description,
            },
        )
        contract = _walk(services, owner, contract, status)
        created.append(contract)
    if created:
        framework = created[min(2, len(created) - 1)]
        created += _subordinates(services, section, framework, currency, today)
    for contract in created:
        update_record_fields(contract, {"custom": MARKER}, bump_version=False)
    services.remind_of_ending_contracts()
    context.created["contracts"] = len(created)


def _walk(services, user, contract: Contract, target: str) -> Contract:
    """Move a demo contract through the process by the service, as its owner would, up to `target`."""
    path = {
        Status.DRAFT: [],
        Status.TO_BE_SIGNED: [Status.TO_BE_SIGNED],
        Status.SIGNED: [Status.TO_BE_SIGNED, Status.SIGNED],
        Status.CANCELLED: [Status.TO_BE_SIGNED, Status.CANCELLED],
    }[target]
    for status in path:
        contract = services.move_to(user=user, contract=contract, status=status, expected_version=contract.version)
    return contract


def _subordinates(services, section, parent: Contract, currency, today) -> list[Contract]:
    """An addendum extending the framework agreement, and a specification of what it delivers, with products."""
    from crm.sections.services import create_record
    from products.models import Product

    owner = parent.owner
    common = {
        "owner": owner,
        "account": parent.account,
        "our_company": parent.our_company,
        "parent": parent,
        "currency": currency,
        "start_date": today,
        "end_date": parent.end_date,
    }
    addendum = create_record(
        section=section,
        user=owner,
        data={**common, "type": Contract.Type.ADDENDUM, "amount": Decimal("5000.00"), "description": "More seats"},
    )
    addendum = _walk(services, owner, addendum, Status.SIGNED)
    specification = create_record(
        section=section,
        user=owner,
        data={**common, "type": Contract.Type.SPECIFICATION, "description": "Delivery of the first batch"},
    )
    lines = []
    for position, product in enumerate(Product.objects.filter(is_inactive=False).order_by("pk")[:3], start=1):
        line = ContractProduct(
            contract=specification,
            product=product,
            position=position,
            quantity=Decimal(position * 5),
            unit=product.unit,
            price=Decimal(100 * position),
            tax=product.tax,
            tax_rate=product.tax.rate if product.tax_id else 0,
        )
        line.recompute()
        lines.append(line)
    ContractProduct.objects.bulk_create(lines)
    services.lines_changed(user=owner, record=specification)
    return [addendum, specification]


def seed_scale(context, n: int) -> None:
    """About one contract per two accounts, in bulk, numbered from the sequence."""
    from accounts.models import Account
    from crm.core.services import next_numbers
    from products.models import Currency

    rng = context.rng
    currency = Currency.objects.base()
    today = timezone.localdate()
    now = timezone.now()
    count = max(n // 2, 0)
    accounts = list(Account.objects.order_by("-pk").values_list("pk", "owner_id")[:count])
    numbers = iter(next_numbers(name="contract", count=len(accounts)))
    batch, total = [], 0
    statuses = [Status.DRAFT, Status.TO_BE_SIGNED, Status.SIGNED, Status.SIGNED, Status.SIGNED, Status.CANCELLED]
    for account_id, owner_id in accounts:
        start = today - datetime.timedelta(days=rng.randint(-30, 900))
        contract = Contract(
            number=next(numbers),
            status=rng.choice(statuses),
            account_id=account_id,
            currency=currency,
            amount=Decimal(rng.randrange(10, 5000) * 100),
            start_date=start,
            end_date=start + datetime.timedelta(days=rng.choice([180, 365, 730])),
            owner_id=owner_id,
            created_by_id=owner_id,
            modified_by_id=owner_id,
            created_at=now - datetime.timedelta(days=rng.randint(0, 900)),
            modified_at=now,
        )
        contract.validity = contract.compute_validity(today)
        batch.append(contract)
        if len(batch) >= SCALE_BATCH:
            Contract.objects.bulk_create(batch, batch_size=SCALE_BATCH)
            total += len(batch)
            batch = []
    Contract.objects.bulk_create(batch, batch_size=SCALE_BATCH)
    context.created["contracts"] = total + len(batch)

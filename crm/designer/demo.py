"""Demo custom fields: an account's credit limit and customer-since date, the time of day a contact prefers to be
called, with values on the demo records (what the section wizard will let an administrator add)."""

from __future__ import annotations

import datetime
from decimal import Decimal

from .models import FieldDefinition

ORDER = 90  # after every section's demo records
#: not a language: contacts have a built-in preferred language already
CALL_TIMES = ["Morning", "Lunchtime", "Afternoon", "Evening"]
#: the IT resellers and CRM integrators the demo company meets at its accounts (made up), one analysis each
COMPETITORS = [
    "Brightpath IT Solutions",
    "Northgate Systems",
    "Keystone Technology Partners",
    "Bluewater Integration",
    "Summit Digital Services",
    "Ironbridge Consulting",
    "Clearview Networks",
    "Redwood Software Group",
    "Harbour Point IT",
    "Meridian Data Systems",
    "Cobalt Cloud Services",
    "Pinecrest Computing",
]


def already_seeded(context) -> bool:
    return FieldDefinition.objects.exists()


def seed(context) -> None:
    from accounts.models import Account
    from contacts.models import Contact

    FieldDefinition.objects.bulk_create(
        [
            FieldDefinition(section="accounts", code="credit_limit", label="Credit limit", kind="decimal", position=1),
            FieldDefinition(section="accounts", code="customer_since", label="Customer since", kind="date", position=2),
            FieldDefinition(
                section="contacts",
                code="best_time_to_call",
                label="Best time to call",
                kind="choice",
                options=CALL_TIMES,
                position=1,
            ),
        ]
    )
    rng = context.rng
    accounts = list(Account.objects.order_by("pk"))
    for account in accounts:
        since = datetime.date(2015, 1, 1) + datetime.timedelta(days=rng.randrange(3650))
        limit = Decimal(rng.randrange(1, 40) * 5000).quantize(Decimal("0.01"))
        account.custom = {**(account.custom or {}), "credit_limit": str(limit), "customer_since": since.isoformat()}
    Account.objects.bulk_update(accounts, ["custom"], batch_size=500)
    contacts = list(Contact.objects.order_by("pk"))
    for contact in contacts:
        contact.custom = {**(contact.custom or {}), "best_time_to_call": rng.choice(CALL_TIMES)}
    Contact.objects.bulk_update(contacts, ["custom"], batch_size=500)
    context.created["custom fields"] = 3
    context.created["competitor analyses"] = seed_competitor_analysis(context, accounts)


def seed_competitor_analysis(context, accounts) -> int:
    """A section made with the section wizard, as an administrator would: competitors met at accounts."""
    from crm.sections import registry
    from crm.sections.services import create_record

    from . import section_services

    admin = context.users["admin"]
    section_services.create_section(
        user=admin,
        code="competitor_analysis",
        title="Competitor analysis",
        title_singular="competitor analysis",
        icon="bi-trophy",
        position=470,
        name_label="Competitor",
        number_mask="CA-{number:04d}",
        fields=[
            {"code": "account", "label": "Account", "kind": "lookup", "target": "accounts"},
            {"code": "strength", "label": "Strength", "kind": "choice", "options": ["Weak", "Medium", "Strong"]},
            {"code": "budget", "label": "Their budget", "kind": "decimal"},
        ],
    )
    section = registry.get("competitor_analysis")
    rng = context.rng
    met = accounts[: len(COMPETITORS)]
    count = 0
    # each analysis is of another competitor: a list of twelve rows naming three firms over and over reads as a
    # seeding loop, not as a sales team's notes
    for account, name in zip(met, rng.sample(COMPETITORS, len(met)), strict=True):
        owner = rng.choice(context.sales_users)
        data = {
            "name": name,
            "owner": owner,
            "custom__account": account,
            "custom__strength": rng.choice(["Weak", "Medium", "Strong"]),
            "custom__budget": Decimal(rng.randrange(10, 500) * 100),
        }
        create_record(section=section, user=owner, data=data)
        count += 1
    return count

"""Demo custom fields: an account's credit limit and customer-since date, the time of day a contact prefers to be
called, with values on the demo records (what the section wizard will let an administrator add)."""

from __future__ import annotations

import datetime
from decimal import Decimal

from .models import FieldDefinition

ORDER = 90  # after every section's demo records
#: not a language: contacts have a built-in preferred language already
CALL_TIMES = ["Morning", "Lunchtime", "Afternoon", "Evening"]


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

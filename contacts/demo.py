"""Demo contacts: people at the demo accounts, or N per account at scale with bulk inserts."""

from __future__ import annotations

import unicodedata

from django.db import connection
from django.utils import timezone

from accounts.models import Account

from .models import Contact, ContactType

ORDER = 20

FIRST = [
    "Anna",
    "Ben",
    "Clara",
    "David",
    "Emma",
    "Felix",
    "Grace",
    "Henry",
    "Isla",
    "Jonas",
    "Katie",
    "Liam",
    "Mia",
    "Noah",
    "Olivia",
    "Paul",
    "Quinn",
    "Rosa",
    "Sam",
    "Tara",
    "Uma",
    "Victor",
    "Wendy",
    "Yusuf",
]
LAST = [
    "Smith",
    "Müller",
    "García",
    "Rossi",
    "Dubois",
    "Novak",
    "Jensen",
    "Kowalski",
    "O'Brien",
    "Silva",
    "Schmidt",
    "Fischer",
    "Weber",
    "Martin",
    "Bernard",
    "Costa",
    "Larsen",
    "Virtanen",
    "Horvat",
    "Popescu",
]
TITLES = [
    "CEO",
    "CFO",
    "Head of Procurement",
    "IT Director",
    "Sales Manager",
    "Office Manager",
    "Buyer",
    "Project Manager",
    "Chief Accountant",
    "Operations Director",
]


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().replace("'", "")


def already_seeded(context) -> bool:
    return Contact.objects.filter(email__endswith="@northwind.example").exists()


def seed(context) -> None:
    from crm.sections import registry, services

    section = registry.get("contacts")
    rng = context.rng
    types = {t.name: t for t in ContactType.objects.all()}
    count = 0
    for account in Account.objects.exclude(type__name="Our company").order_by("pk"):
        domain = account.web.removeprefix("https://www.").removesuffix("/") or "example.com"
        for index in range(rng.randint(2, 4)):
            first, last = rng.choice(FIRST), rng.choice(LAST)
            contact = services.create_record(
                section=section,
                user=account.owner,
                data={
                    "given_name": first,
                    "surname": last,
                    "account": account,
                    "type": types["Contact person"],
                    "job_title": TITLES[(account.pk + index) % len(TITLES)],
                    "email": _ascii(f"{first}.{last}".lower()) + f"@{domain}",
                    "mobile_phone": f"+1 555 2{account.pk:03d}{index}",
                    "owner": account.owner,
                    "gender": rng.choice(["female", "male"]),
                },
            )
            count += 1
            if index == 0:
                Account.objects.filter(pk=account.pk).update(primary_contact=contact)
    context.created["contacts"] = count


def seed_scale(context, n: int) -> None:
    """About two contacts per account created at scale, in bulk."""
    rng = context.rng
    types = list(ContactType.objects.all())
    now = timezone.now()
    batch, total, batch_size = [], 0, 5000
    accounts = Account.objects.order_by("-pk").values_list("pk", "owner_id")[:n]
    for account_id, owner_id in accounts.iterator(chunk_size=10000):
        for index in range(2):
            first, last = rng.choice(FIRST), rng.choice(LAST)
            batch.append(
                Contact(
                    given_name=first,
                    surname=last,
                    full_name=f"{first} {last}",
                    account_id=account_id,
                    type=rng.choice(types),
                    job_title=rng.choice(TITLES),
                    email=f"{first.lower()}.{account_id}.{index}@example.com",
                    mobile_phone=f"+49 170 {account_id:07d}{index}",
                    owner_id=owner_id,
                    created_by_id=owner_id,
                    modified_by_id=owner_id,
                    created_at=now - timezone.timedelta(days=rng.randint(0, 1000)),
                    modified_at=now,
                )
            )
            if len(batch) >= batch_size:
                Contact.objects.bulk_create(batch, batch_size=batch_size)
                total += len(batch)
                batch = []
    if batch:
        Contact.objects.bulk_create(batch, batch_size=batch_size)
        total += len(batch)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE contacts_contact")
    context.created["contacts"] = total

"""Demo accounts: a small believable set, or N at scale with bulk inserts."""

from __future__ import annotations

from django.db import connection
from django.utils import timezone

from crm.core.models import Sequence

from .models import Account, AccountCategory, AccountType, Industry

ORDER = 10

COMPANIES = [
    ("Northwind Traders", "Retail", "Customer", "A", "Seattle", "USA"),
    ("Contoso Pharmaceuticals", "Healthcare", "Customer", "A", "Basel", "Switzerland"),
    ("Fabrikam Industries", "Manufacturing and distribution", "Customer", "B", "Stuttgart", "Germany"),
    ("Adventure Works Cycles", "Retail", "Customer", "B", "Bothell", "USA"),
    ("Tailspin Toys", "Retail", "Customer", "C", "Manchester", "United Kingdom"),
    ("Wide World Importers", "Transport and logistics", "Partner", "B", "Rotterdam", "Netherlands"),
    ("Litware Inc.", "IT company", "Partner", "A", "Austin", "USA"),
    ("Proseware Consulting", "Business services", "Customer", "C", "Dublin", "Ireland"),
    ("Woodgrove Bank", "Finance and insurance", "Customer", "A", "London", "United Kingdom"),
    ("Trey Research", "Education", "Customer", "D", "Cambridge", "USA"),
    ("Alpine Ski House", "Retail", "Customer", "C", "Innsbruck", "Austria"),
    ("Blue Yonder Airlines", "Transport and logistics", "Customer", "B", "Lyon", "France"),
    ("Coho Winery", "Manufacturing and distribution", "Supplier", "C", "Napa", "USA"),
    ("Datum Corporation", "IT company", "Supplier", "B", "Warsaw", "Poland"),
    ("Fourth Coffee", "Retail", "Customer", "D", "Lisbon", "Portugal"),
    ("Graphic Design Institute", "Education", "Customer", "D", "Toronto", "Canada"),
    ("Humongous Insurance", "Finance and insurance", "Insurance company", "B", "Hartford", "USA"),
    ("Lucerne Publishing", "Media and telecommunications", "Customer", "C", "Lucerne", "Switzerland"),
    ("Margie's Travel", "Business services", "Partner", "C", "Sydney", "Australia"),
    ("OpenCRM Ltd.", "IT company", "Our company", "A", "Berlin", "Germany"),
]


def already_seeded(context) -> bool:
    return Account.objects.filter(name=COMPANIES[0][0]).exists()


def seed(context) -> None:
    from crm.sections import registry, services

    section = registry.get("accounts")
    types = {t.name: t for t in AccountType.objects.all()}
    categories = {c.name: c for c in AccountCategory.objects.all()}
    industries = {i.name: i for i in Industry.objects.all()}
    reps = context.sales_users
    for index, (name, industry, type_, category, city, country) in enumerate(COMPANIES):
        owner = reps[index % len(reps)]
        domain = name.lower().replace("'", "").replace(".", "").split()[0]
        services.create_record(
            section=section,
            user=owner,
            data={
                "name": name,
                "type": types[type_],
                "category": categories[category],
                "industry": industries[industry],
                "city": city,
                "country": country,
                "owner": owner,
                "web": f"https://www.{domain}.example",
                "phone": f"+1 555 01{index:02d}",
                "email": f"info@{domain}.example",
            },
        )
    context.created["accounts"] = len(COMPANIES)


def seed_scale(context, n: int) -> None:
    """N accounts in bulk (no per-record hooks), numbered from the account sequence."""
    rng = context.rng
    types = list(AccountType.objects.all())
    categories = list(AccountCategory.objects.all())
    industries = list(Industry.objects.all())
    owners = context.sales_users
    words = [
        "Global",
        "United",
        "Northern",
        "Pacific",
        "Digital",
        "Smart",
        "Prime",
        "Blue",
        "Green",
        "Metro",
        "Alpha",
        "Nova",
        "Summit",
        "Vertex",
        "Apex",
        "Silver",
        "Golden",
        "Rapid",
        "Bright",
        "Core",
    ]
    nouns = [
        "Systems",
        "Foods",
        "Logistics",
        "Energy",
        "Media",
        "Health",
        "Motors",
        "Textiles",
        "Labs",
        "Partners",
        "Holdings",
        "Software",
        "Retail",
        "Builders",
        "Farms",
        "Finance",
        "Travel",
        "Telecom",
        "Design",
    ]
    cities = ["Berlin", "Paris", "London", "Madrid", "Rome", "Vienna", "Prague", "Warsaw", "Oslo", "Lisbon"]
    sequence, _ = Sequence.objects.get_or_create(name="account", defaults={"mask": "ACC-{number:05d}"})
    start = sequence.next_value
    now = timezone.now()
    batch = []
    batch_size = 5000
    for i in range(n):
        number = start + i
        owner = owners[i % len(owners)]
        batch.append(
            Account(
                name=f"{rng.choice(words)} {rng.choice(nouns)} {number}",
                code=sequence.mask.format(number=number),
                type=rng.choice(types),
                category=rng.choice(categories),
                industry=rng.choice(industries),
                city=rng.choice(cities),
                phone=f"+49 30 {number:07d}",
                email=f"office{number}@example.com",
                owner=owner,
                created_by=owner,
                modified_by=owner,
                created_at=now - timezone.timedelta(days=rng.randint(0, 1000)),
                modified_at=now,
            )
        )
        if len(batch) >= batch_size:
            Account.objects.bulk_create(batch, batch_size=batch_size)
            batch = []
    if batch:
        Account.objects.bulk_create(batch, batch_size=batch_size)
    Sequence.objects.filter(name="account").update(next_value=start + n)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE accounts_account")
    context.created["accounts"] = n

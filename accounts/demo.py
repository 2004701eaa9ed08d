"""Demo accounts: a small believable set, or N at scale with bulk inserts."""

from __future__ import annotations

import datetime

from django.db import connection
from django.utils import timezone

from crm.core.models import Sequence

from .models import (
    Account,
    AccountCategory,
    AccountType,
    AnnualRevenue,
    BusinessEntity,
    EmployeesRange,
    Industry,
)

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


#: holding -> its affiliates (parent account and a "Holding company"/"Affiliate company" relationship)
HOLDINGS = {
    "Contoso Pharmaceuticals": ["Fabrikam Industries", "Trey Research"],
    "Woodgrove Bank": ["Humongous Insurance"],
}

#: (account, the other account, what the other is to the account)
PARTNERS = [
    ("Northwind Traders", "Coho Winery", "Supplier"),
    ("Northwind Traders", "Wide World Importers", "Partner"),
    ("OpenCRM Ltd.", "Litware Inc.", "Partner"),
    ("Adventure Works Cycles", "Tailspin Toys", "Competitor"),
]

#: account -> units as (name, part of)
ORGANISATION = {
    "OpenCRM Ltd.": [
        ("Management", None),
        ("Sales", "Management"),
        ("Inside sales", "Sales"),
        ("Field sales", "Sales"),
        ("Marketing", "Management"),
        ("Engineering", "Management"),
        ("Finance", "Management"),
    ],
    "Northwind Traders": [
        ("Head office", None),
        ("Procurement", "Head office"),
        ("IT", "Head office"),
        ("Finance", "Head office"),
    ],
}

BANKS = {
    "OpenCRM Ltd.": ("Main EUR account", "Berliner Sparkasse", "DE89370400440532013000", "COBADEFFXXX", "Germany"),
    "Northwind Traders": ("Operating account", "First Seattle Bank", "000123456789", "FSBKUS33", "USA"),
    "Contoso Pharmaceuticals": (
        "CHF account",
        "Basler Kantonalbank",
        "CH9300762011623852957",
        "BKBBCHBBXXX",
        "Switzerland",
    ),
    "Woodgrove Bank": ("Clearing account", "Woodgrove Bank", "GB29NWBK60161331926819", "NWBKGB2L", "United Kingdom"),
}

ENTITY_BY_COUNTRY = {"USA": "Inc.", "United Kingdom": "Ltd.", "Germany": "GmbH", "Switzerland": "AG", "France": "SA"}


def already_seeded(context) -> bool:
    from .models import BankingDetails

    return BankingDetails.objects.filter(account__name="OpenCRM Ltd.").exists()


def seed(context) -> None:
    from crm.sections import registry, services

    section = registry.get("accounts")
    types = {t.name: t for t in AccountType.objects.all()}
    categories = {c.name: c for c in AccountCategory.objects.all()}
    industries = {i.name: i for i in Industry.objects.all()}
    entities = {e.name: e for e in BusinessEntity.objects.all()}
    employees = list(EmployeesRange.objects.all())
    revenues = list(AnnualRevenue.objects.all())
    existing = set(Account.objects.filter(name__in=[c[0] for c in COMPANIES]).values_list("name", flat=True))
    reps = context.sales_users
    created = 0
    for index, (name, industry, type_, category, city, country) in enumerate(COMPANIES):
        if name in existing:
            continue
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
                "employees": employees[index % len(employees)],
                "annual_revenue": revenues[(index * 3) % len(revenues)],
                "business_entity": entities.get(ENTITY_BY_COUNTRY.get(country, "LLC")),
            },
        )
        created += 1
    seed_details(context)
    context.created["accounts"] = created


def seed_details(context) -> None:
    """Communication options, addresses, banking details, events, holdings, partners and structure."""
    from crm.sections import details

    from . import details as account_details
    from . import services
    from .models import AccountAddressType, AccountCommunicationType, AccountEventType, RelationshipType

    accounts = {a.name: a for a in Account.objects.filter(name__in=[c[0] for c in COMPANIES]).select_related("owner")}
    option_types = {t.name: t for t in AccountCommunicationType.objects.all()}
    address_types = {t.name: t for t in AccountAddressType.objects.all()}
    event_types = {t.name: t for t in AccountEventType.objects.all()}
    relationship_types = {t.name: t for t in RelationshipType.objects.all()}
    rng = context.rng

    def add(detail, account, **data):
        return details.add_row(detail=detail, user=account.owner, record=account, data=data)

    for index, account in enumerate(accounts.values()):
        domain = account.web.removeprefix("https://www.")
        add(
            account_details.COMMUNICATION_OPTIONS,
            account,
            type=option_types["Additional phone"],
            value=f"+1 555 02{index:02d}",
        )
        if index % 3 == 0:
            add(account_details.COMMUNICATION_OPTIONS, account, type=option_types["Fax"], value=f"+1 555 09{index:02d}")
        if index % 2 == 0:
            add(
                account_details.COMMUNICATION_OPTIONS,
                account,
                type=option_types["LinkedIn"],
                value=f"https://www.linkedin.com/company/{domain.split('.')[0]}",
            )
        street = f"{rng.randint(1, 250)} {rng.choice(['Market', 'Harbour', 'Station', 'Park', 'Mill'])} Street"
        add(
            account_details.ADDRESSES,
            account,
            type=address_types["Legal"],
            street=street,
            zip_code=f"{rng.randint(10000, 99999)}",
            city=account.city,
            country=account.country,
            is_primary=False,
        )
        if index % 4 == 0:
            add(
                account_details.NOTEWORTHY_EVENTS,
                account,
                type=event_types["Company day"],
                date=datetime.date(rng.randint(1950, 2015), rng.randint(1, 12), rng.randint(1, 28)),
            )
    for name, (label, bank, number, swift, country) in BANKS.items():
        account = accounts[name]
        add(
            account_details.BANKING_DETAILS,
            account,
            name=label,
            bank=bank,
            account_number=number,
            swift=swift,
            country=country,
            manager="Maria Manning" if name == "OpenCRM Ltd." else "",
            chief_accountant="Frank Fischer" if name == "OpenCRM Ltd." else "",
            details=f"{name}\n{bank}\nIBAN/account {number}\nSWIFT {swift}",
        )
    for holding_name, affiliates in HOLDINGS.items():
        holding = accounts[holding_name]
        for affiliate_name in affiliates:
            affiliate = accounts[affiliate_name]
            Account.objects.filter(pk=affiliate.pk).update(parent=holding)
            services.relate(
                user=holding.owner, record=holding, other=affiliate, type=relationship_types["Affiliate company"]
            )
    for name, other, role in PARTNERS:
        services.relate(
            user=accounts[name].owner, record=accounts[name], other=accounts[other], type=relationship_types[role]
        )
    for name, units in ORGANISATION.items():
        account = accounts[name]
        made = {}
        for unit, part_of in units:
            made[unit] = add(account_details.ORGANISATION_STRUCTURE, account, name=unit, parent=made.get(part_of))


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
            _bulk_create_with_details(batch, batch_size)
            batch = []
    if batch:
        _bulk_create_with_details(batch, batch_size)
    Sequence.objects.filter(name="account").update(next_value=start + n)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for table in ("accounts_account", "accounts_accountcommunication", "accounts_accountaddress"):
                cursor.execute(f"ANALYZE {table}")  # noqa: S608 - constant table names
    context.created["accounts"] = n


def _bulk_create_with_details(accounts: list[Account], batch_size: int) -> None:
    """Accounts in bulk with the communication options and address their phone, email and city stand for."""
    from .models import AccountAddress, AccountAddressType, AccountCommunication, AccountCommunicationType

    Account.objects.bulk_create(accounts, batch_size=batch_size)
    option_types = {t.name: t for t in AccountCommunicationType.objects.filter(name__in=["Primary phone", "Email"])}
    address_type = AccountAddressType.objects.filter(name="Actual").first()
    options, addresses = [], []
    for account in accounts:
        for field, type_name in (("phone", "Primary phone"), ("email", "Email")):
            value = getattr(account, field)
            normalized = value.lower() if field == "email" else "+" + "".join(c for c in value if c.isdigit())
            options.append(
                AccountCommunication(
                    account=account, type=option_types[type_name], value=value, normalized=normalized, is_primary=True
                )
            )
        if address_type is not None:
            addresses.append(AccountAddress(account=account, type=address_type, city=account.city, is_primary=True))
    AccountCommunication.objects.bulk_create(options, batch_size=batch_size)
    AccountAddress.objects.bulk_create(addresses, batch_size=batch_size)

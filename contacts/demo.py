"""Demo contacts: people at the demo accounts, or N per account at scale with bulk inserts."""

from __future__ import annotations

import datetime
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


DEPARTMENTS = {
    "CEO": "Management",
    "CFO": "Finance",
    "Head of Procurement": "Procurement",
    "IT Director": "IT",
    "Sales Manager": "Sales",
    "Office Manager": "Management",
    "Buyer": "Procurement",
    "Project Manager": "IT",
    "Chief Accountant": "Finance",
    "Operations Director": "Management",
}
ROLES = {"CEO": "Decision maker", "CFO": "Budget holder", "IT Director": "Technical evaluator", "Buyer": "Influencer"}
LANGUAGES = {
    "Germany": "German",
    "Switzerland": "German",
    "Austria": "German",
    "France": "French",
    "Portugal": "Portuguese",
    "Netherlands": "Dutch",
    "Poland": "Polish",
}

#: OpenCRM's own people, as contacts of "Our company": (first, last, job title, department)
EMPLOYEES = [
    ("Maria", "Manning", "Head of Sales", "Sales"),
    ("Alice", "Archer", "Account Executive", "Field sales"),
    ("Bob", "Baker", "Sales Representative", "Inside sales"),
    ("Ada", "Admin", "CRM Administrator", "Engineering"),
    ("Frank", "Fischer", "Chief Accountant", "Finance"),
]

#: the demo users who are these employees
EMPLOYEE_USERS = {"Maria": "manager", "Alice": "alice", "Bob": "bob", "Ada": "admin"}


def already_seeded(context) -> bool:
    from .models import JobExperience

    return JobExperience.objects.filter(contact__email__endswith="@northwind.example").exists()


def seed(context) -> None:
    from crm.sections import registry, services

    from .models import DecisionRole, Language, Salutation

    if Contact.objects.filter(email__endswith="@northwind.example").exists():
        return  # contacts made before their details existed: left as they are
    section = registry.get("contacts")
    rng = context.rng
    types = {t.name: t for t in ContactType.objects.all()}
    salutations = {s.name: s for s in Salutation.objects.all()}
    roles = {r.name: r for r in DecisionRole.objects.all()}
    languages = {language.name: language for language in Language.objects.all()}
    count = 0
    named = set()  # each demo person once: two people of one name would be shown as duplicates
    for account in Account.objects.exclude(type__name="Our company").order_by("pk"):
        domain = account.web.removeprefix("https://www.").removesuffix("/") or "example.com"
        for index in range(rng.randint(2, 4)):
            first, last = rng.choice(FIRST), rng.choice(LAST)
            while (first, last) in named:
                first, last = rng.choice(FIRST), rng.choice(LAST)
            named.add((first, last))
            gender = "female" if FIRST.index(first) % 2 == 0 else "male"
            title = TITLES[(account.pk + index) % len(TITLES)]
            contact = services.create_record(
                section=section,
                user=account.owner,
                data={
                    "given_name": first,
                    "surname": last,
                    "salutation": salutations["Ms" if gender == "female" else "Mr"],
                    "account": account,
                    "type": types["Contact person"],
                    "job_title": title,
                    "department": DEPARTMENTS[title],
                    "decision_role": roles.get(ROLES.get(title, "")),
                    "email": _ascii(f"{first}.{last}".lower()) + f"@{domain}",
                    "mobile_phone": f"+1 555 2{account.pk:03d}{index}",
                    "owner": account.owner,
                    "gender": gender,
                    "birth_date": datetime.date(rng.randint(1960, 1998), rng.randint(1, 12), rng.randint(1, 28)),
                    "language": languages.get(LANGUAGES.get(account.country, "English")),
                },
            )
            count += 1
            if index == 0:
                Account.objects.filter(pk=account.pk).update(primary_contact=contact)
    our_company = Account.objects.filter(type__name="Our company").first()
    if our_company is not None:
        for first, last, title, department in EMPLOYEES:
            services.create_record(
                section=section,
                user=our_company.owner,
                data={
                    "given_name": first,
                    "surname": last,
                    "account": our_company,
                    "type": types["Employee"],
                    "job_title": title,
                    "department": department,
                    "email": f"{first.lower()}.{last.lower()}@opencrm.example",
                    "owner": our_company.owner,
                    "user": EMPLOYEE_USERS.get(first) and context.users.get(EMPLOYEE_USERS[first]),
                },
            )
            count += 1
    seed_details(context)
    context.created["contacts"] = count


def seed_details(context) -> None:
    """Home addresses, more options, do-not-use flags, earlier jobs, managers of units, relationships."""
    from accounts.models import OrganisationUnit, RelationshipType
    from accounts.services import relate
    from crm.sections import details

    from . import details as contact_details
    from .models import ContactAddressType, ContactCommunicationType

    rng = context.rng
    option_types = {t.name: t for t in ContactCommunicationType.objects.all()}
    home = ContactAddressType.objects.get(name="Home")
    relationship_types = {t.name: t for t in RelationshipType.objects.all()}
    accounts = list(Account.objects.exclude(type__name="Our company").order_by("pk"))
    contacts = list(Contact.objects.filter(account__isnull=False).select_related("account", "owner").order_by("pk"))
    for index, contact in enumerate(contacts):

        def add(detail, contact=contact, **data):
            return details.add_row(detail=detail, user=contact.owner, record=contact, data=data)

        if index % 2 == 0:
            add(
                contact_details.COMMUNICATION_OPTIONS, type=option_types["Business phone"], value=f"+1 555 3{index:04d}"
            )
        if index % 3 == 0:
            slug = _ascii(contact.full_name.lower()).replace(" ", "-")
            add(
                contact_details.COMMUNICATION_OPTIONS,
                type=option_types["LinkedIn"],
                value=f"https://www.linkedin.com/in/{slug}",
            )
        if index % 4 == 0:
            add(
                contact_details.ADDRESSES,
                type=home,
                street=f"{rng.randint(1, 120)} {rng.choice(['Oak', 'Elm', 'Cedar', 'Maple'])} Avenue",
                zip_code=f"{rng.randint(10000, 99999)}",
                city=contact.account.city,
                country=contact.account.country,
            )
        if index % 9 == 4:  # asked not to be emailed
            option = contact.communication_options.filter(type__name="Email").first()
            if option is not None:
                details.change_row(
                    detail=contact_details.COMMUNICATION_OPTIONS,
                    user=contact.owner,
                    record=contact,
                    row=option,
                    data={"do_not_use": True},
                )
        if index % 3 == 1:  # came from another company
            previous = accounts[(index * 7) % len(accounts)]
            if previous.pk != contact.account_id:
                started = datetime.date(rng.randint(2008, 2016), rng.randint(1, 12), 1)
                add(
                    contact_details.CAREER,
                    account=previous,
                    job_title=rng.choice(TITLES),
                    start_date=started,
                    end_date=started + datetime.timedelta(days=rng.randint(400, 2000)),
                    is_current=False,
                )
    for unit in OrganisationUnit.objects.select_related("account"):
        manager = Contact.objects.filter(account=unit.account, department=unit.name).order_by("pk").first()
        if manager is not None:
            OrganisationUnit.objects.filter(pk=unit.pk).update(manager=manager)
    for account in accounts[:8]:
        people = list(Contact.objects.filter(account=account).order_by("pk")[:2])
        if len(people) == 2:
            relate(user=account.owner, record=people[0], other=people[1], type=relationship_types["Subordinate"])
    litware = Account.objects.filter(name="Litware Inc.").first()
    if litware is not None and contacts:
        relate(user=litware.owner, record=litware, other=contacts[0], type=relationship_types["Partner"])


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
                _bulk_create_with_details(batch, batch_size)
                total += len(batch)
                batch = []
    if batch:
        _bulk_create_with_details(batch, batch_size)
        total += len(batch)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for table in ("contacts_contact", "contacts_contactcommunication", "contacts_jobexperience"):
                cursor.execute(f"ANALYZE {table}")  # noqa: S608 - constant table names
    context.created["contacts"] = total


def _bulk_create_with_details(contacts: list[Contact], batch_size: int) -> None:
    """Contacts in bulk with the communication options their email and mobile phone stand for, and their
    current job."""
    from .models import ContactCommunication, ContactCommunicationType, JobExperience

    Contact.objects.bulk_create(contacts, batch_size=batch_size)
    option_types = {t.name: t for t in ContactCommunicationType.objects.filter(name__in=["Mobile phone", "Email"])}
    today = timezone.localdate()
    options, jobs = [], []
    for contact in contacts:
        for field, type_name in (("mobile_phone", "Mobile phone"), ("email", "Email")):
            value = getattr(contact, field)
            normalized = value.lower() if field == "email" else "+" + "".join(c for c in value if c.isdigit())
            options.append(
                ContactCommunication(
                    contact=contact, type=option_types[type_name], value=value, normalized=normalized, is_primary=True
                )
            )
        jobs.append(
            JobExperience(
                contact=contact,
                account_id=contact.account_id,
                job_title=contact.job_title,
                start_date=min(contact.created_at.date(), today),
                is_current=True,
            )
        )
    ContactCommunication.objects.bulk_create(options, batch_size=batch_size)
    JobExperience.objects.bulk_create(jobs, batch_size=batch_size)

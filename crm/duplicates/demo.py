"""Demo duplicates: a few customers entered twice the way it happens (a name typed in the other order or without
its accents, an email in capitals, a phone written differently, a company under a second name and a shorter web
address), then a search of contacts and accounts, so that the duplicates pages have true groups to show."""

from __future__ import annotations

from .normalisation import fold

ORDER = 95  # after every section's demo records and the custom fields
MARKER = "duplicates"


def already_seeded(context) -> bool:
    from accounts.models import Account
    from contacts.models import Contact

    return Contact.objects.filter(custom__demo=MARKER).exists() or Account.objects.filter(custom__demo=MARKER).exists()


def seed(context) -> None:
    from accounts.models import Account
    from contacts.models import Contact
    from crm.sections import registry, services

    from . import services as duplicates
    from .models import DuplicateSearch

    contacts = registry.get("contacts")
    people = list(
        Contact.objects.filter(account__isnull=False, user__isnull=True)
        .exclude(email="")
        .exclude(mobile_phone="")
        .select_related("account", "owner")
        .order_by("pk")[:40]
    )
    accented = next((c for c in people if fold(c.full_name) != c.full_name.lower()), None)
    chosen = [c for c in people if c is not accented][:2]
    copies = []
    if chosen:  # the name in the other order, the email in capitals
        original = chosen[0]
        copies.append(
            (
                original,
                {"given_name": original.surname, "surname": original.given_name, "email": original.email.upper()},
            )
        )
    if accented is not None:  # typed without accents, the mobile phone without spaces
        copies.append(
            (
                accented,
                {
                    "given_name": fold(accented.given_name).title(),
                    "surname": fold(accented.surname).title(),
                    "mobile_phone": "".join(c for c in accented.mobile_phone if c.isdigit() or c == "+"),
                },
            )
        )
    if len(chosen) > 1:  # a typo in the first name, the same mobile phone with dashes
        original = chosen[1]
        copies.append(
            (
                original,
                {
                    "given_name": original.given_name[:-1] + original.given_name[-1] * 2,
                    "surname": original.surname,
                    "mobile_phone": original.mobile_phone.replace(" ", "-"),
                },
            )
        )
    made = 0
    for original, changes in copies:
        data = {"account": original.account, "job_title": original.job_title, "owner": original.owner, **changes}
        copy = services.create_record(section=contacts, user=original.owner, data=data)
        Contact.objects.filter(pk=copy.pk).update(custom={**(copy.custom or {}), "demo": MARKER})
        made += 1
    company = Account.objects.exclude(web="").exclude(type__name="Our company").select_related("owner").first()
    if company is not None:  # the company again under its legal name, with a shorter web address
        copy = services.create_record(
            section=registry.get("accounts"),
            user=company.owner,
            data={
                "name": f"{company.name} GmbH" if not company.name.endswith(("Inc.", "Ltd.")) else company.name.upper(),
                "web": company.web.replace("https://www.", "http://"),
                "owner": company.owner,
                "type": company.type,
                "also_known_as": company.name,
            },
        )
        Account.objects.filter(pk=copy.pk).update(custom={**(copy.custom or {}), "demo": MARKER})
        made += 1
    manager = context.users.get("manager")
    for name in ("contacts", "accounts"):
        duplicates.run_search(DuplicateSearch.objects.create(section=name, started_by=manager))
    context.created["duplicates to review"] = made

"""Seed the lookups of the account details, the paired relationship types and the completeness weights."""

from django.db import migrations

from crm.core.seeding import lookup_seeding

LOOKUPS = {
    "accounts.EmployeesRange": ["1-10", "11-50", "51-100", "101-500", "501-1000", "1001-5000", "More than 5000"],
    "accounts.BusinessEntity": [
        "LLC",
        "Ltd.",
        "Inc.",
        "LLP",
        "PLC",
        "GmbH",
        "AG",
        "SA",
        "Sole proprietorship",
        "Non-profit organisation",
    ],
    "accounts.AnnualRevenue": [
        "Less than 1 million",
        "1-10 million",
        "10-50 million",
        "50-100 million",
        "100-500 million",
        "More than 500 million",
    ],
    "accounts.AccountAddressType": ["Legal", "Actual", "Delivery"],
    "accounts.AccountEventType": ["Company day", "Professional holiday", "Anniversary"],
}

# name, base kind, accepts SMS
COMMUNICATION_TYPES = [
    ("Primary phone", "phone", False),
    ("Additional phone", "phone", False),
    ("Fax", "phone", False),
    ("Email", "email", False),
    ("Web", "web", False),
    ("Facebook", "social", False),
    ("Twitter", "social", False),
    ("LinkedIn", "social", False),
]

# a type and its inverse; a symmetric type is its own inverse
RELATIONSHIP_TYPES = [
    ("Employer", "Employee"),
    ("Holding company", "Affiliate company"),
    ("Chief", "Subordinate"),
    ("Supplier", "Customer"),
    ("Partner", "Partner"),
    ("Competitor", "Competitor"),
    ("Relative", "Relative"),
]

# item, weight, hint
COMPLETENESS = [
    ("web", 10, "Add the web site"),
    ("phone", 10, "Add the primary phone"),
    ("email", 10, "Add an email address"),
    ("addresses", 15, "Add an address"),
    ("primary_contact", 10, "Choose the primary contact"),
    ("industry", 10, "Choose the industry"),
    ("type", 5, "Choose the type"),
    ("category", 5, "Choose the category"),
    ("employees", 5, "Add the number of employees"),
    ("business_entity", 5, "Choose the business entity"),
    ("annual_revenue", 5, "Add the annual revenue"),
    ("banking_details", 10, "Add banking details"),
]


def seed(apps, schema_editor):
    CommunicationType = apps.get_model("accounts", "AccountCommunicationType")
    for position, (name, kind, sms) in enumerate(COMMUNICATION_TYPES, start=1):
        CommunicationType.objects.get_or_create(
            name=name, defaults={"position": position, "kind": kind, "accepts_sms": sms}
        )
    RelationshipType = apps.get_model("accounts", "RelationshipType")
    position = 0
    for name, inverse_name in RELATIONSHIP_TYPES:
        position += 1
        first, _ = RelationshipType.objects.get_or_create(name=name, defaults={"position": position})
        position += name != inverse_name
        second, _ = RelationshipType.objects.get_or_create(name=inverse_name, defaults={"position": position})
        if first.inverse_id is None and second.inverse_id in (None, first.pk):
            RelationshipType.objects.filter(pk=first.pk).update(inverse=second)
            RelationshipType.objects.filter(pk=second.pk).update(inverse=first)
    Weight = apps.get_model("accounts", "AccountCompletenessWeight")
    for item, weight, hint in COMPLETENESS:
        Weight.objects.get_or_create(item=item, defaults={"weight": weight, "hint": hint})


def unseed(apps, schema_editor):
    apps.get_model("accounts", "AccountCompletenessWeight").objects.filter(
        item__in=[c[0] for c in COMPLETENESS]
    ).delete()
    names = {n for pair in RELATIONSHIP_TYPES for n in pair}
    apps.get_model("accounts", "RelationshipType").objects.filter(name__in=names).update(inverse=None)
    apps.get_model("accounts", "RelationshipType").objects.filter(name__in=names).delete()
    apps.get_model("accounts", "AccountCommunicationType").objects.filter(
        name__in=[t[0] for t in COMMUNICATION_TYPES]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("accounts", "0006_account_details")]
    operations = [lookup_seeding(LOOKUPS), migrations.RunPython(seed, unseed)]

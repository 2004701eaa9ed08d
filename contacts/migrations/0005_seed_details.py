"""Seed the lookups of the contact fields and details, and the completeness weights."""

from django.db import migrations

from crm.core.seeding import lookup_seeding

LOOKUPS = {
    "contacts.Salutation": ["Mr", "Mrs", "Ms", "Dr", "Prof."],
    "contacts.DecisionRole": [
        "Decision maker",
        "Influencer",
        "Budget holder",
        "Technical evaluator",
        "End user",
        "Gatekeeper",
    ],
    "contacts.Language": ["English", "German", "French", "Spanish", "Italian", "Portuguese", "Dutch", "Polish"],
    "contacts.ContactAddressType": ["Home", "Work"],
    "contacts.ContactEventType": ["Birthday", "Wedding anniversary", "Name day"],
}

# name, base kind, accepts SMS
COMMUNICATION_TYPES = [
    ("Business phone", "phone", False),
    ("Mobile phone", "phone", True),
    ("Home phone", "phone", False),
    ("Email", "email", False),
    ("Web", "web", False),
    ("Skype", "skype", False),
    ("Facebook", "social", False),
    ("Twitter", "social", False),
    ("LinkedIn", "social", False),
]

# item, weight, hint
COMPLETENESS = [
    ("email", 15, "Add an email address"),
    ("mobile_phone", 15, "Add the mobile phone"),
    ("account", 10, "Choose the account"),
    ("job_title", 10, "Add the job title"),
    ("business_phone", 5, "Add the business phone"),
    ("birth_date", 10, "Add the birthdate"),
    ("addresses", 10, "Add an address"),
    ("department", 5, "Add the department"),
    ("decision_role", 5, "Choose the decision role"),
    ("salutation", 5, "Choose the title"),
    ("language", 5, "Choose the preferred language"),
    ("gender", 5, "Choose the gender"),
]


def seed(apps, schema_editor):
    CommunicationType = apps.get_model("contacts", "ContactCommunicationType")
    for position, (name, kind, sms) in enumerate(COMMUNICATION_TYPES, start=1):
        CommunicationType.objects.get_or_create(
            name=name, defaults={"position": position, "kind": kind, "accepts_sms": sms}
        )
    Weight = apps.get_model("contacts", "ContactCompletenessWeight")
    for item, weight, hint in COMPLETENESS:
        Weight.objects.get_or_create(item=item, defaults={"weight": weight, "hint": hint})


def unseed(apps, schema_editor):
    apps.get_model("contacts", "ContactCompletenessWeight").objects.filter(
        item__in=[c[0] for c in COMPLETENESS]
    ).delete()
    apps.get_model("contacts", "ContactCommunicationType").objects.filter(
        name__in=[t[0] for t in COMMUNICATION_TYPES]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("contacts", "0004_contact_details")]
    operations = [lookup_seeding(LOOKUPS), migrations.RunPython(seed, unseed)]

"""The preset duplicate rules of contacts, accounts and leads (editable, can be switched off)."""

from django.db import migrations

EXACT = 100

#: section -> [(rule name, [(attribute, kind, threshold), ...])]
PRESETS = {
    "contacts": [
        ("Full name + phone", [("full_name", "name", EXACT), ("any_phone", "phone", EXACT)]),
        ("Full name + email", [("full_name", "name", EXACT), ("any_email", "email", EXACT)]),
        ("Mobile phone", [("mobile_phone", "phone", EXACT)]),
        ("Business phone", [("business_phone", "phone", EXACT)]),
        ("Email", [("any_email", "email", EXACT)]),
        ("Full name", [("full_name", "name", EXACT)]),
        # beyond exact matching: names with typos, with a phone or an email in common
        ("Similar full name + phone", [("full_name", "name", 85), ("any_phone", "phone", EXACT)]),
        ("Similar full name + email", [("full_name", "name", 85), ("any_email", "email", EXACT)]),
    ],
    "accounts": [
        ("Name", [("name", "company", EXACT)]),
        ("Also known as", [("any_name", "company", EXACT)]),
        ("Web domain", [("any_web", "web", EXACT)]),
        ("Phone", [("any_phone", "phone", EXACT)]),
        ("Email", [("any_email", "email", EXACT)]),
        ("Similar name", [("name", "company", 90)]),
    ],
    "leads": [
        ("Contact name + email", [("contact_name", "name", EXACT), ("email", "email", EXACT)]),
        ("Email", [("email", "email", EXACT)]),
        ("Phone", [("any_phone", "phone", EXACT)]),
        ("Account name", [("account_name", "company", EXACT)]),
    ],
}


def seed(apps, schema_editor):
    DuplicateRule = apps.get_model("duplicates", "DuplicateRule")
    RuleAttribute = apps.get_model("duplicates", "RuleAttribute")
    for section, rules in PRESETS.items():
        for position, (name, attributes) in enumerate(rules, start=1):
            rule, created = DuplicateRule.objects.get_or_create(
                section=section, name=name, defaults={"position": position * 10, "is_preset": True}
            )
            if created:
                for attribute, kind, threshold in attributes:
                    RuleAttribute.objects.create(rule=rule, attribute=attribute, kind=kind, threshold=threshold)


def unseed(apps, schema_editor):
    apps.get_model("duplicates", "DuplicateRule").objects.filter(is_preset=True).delete()


class Migration(migrations.Migration):
    dependencies = [("duplicates", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]

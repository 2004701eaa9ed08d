"""Preset rules for customer bases with names, addresses and birthdates but few emails or phones (issue 14).

Each fuzzy rule has an exact attribute (a postcode, a birth year, a birthdate, a city, a country) that blocks the
comparison, so the work grows near-linearly. The exact "Full name" rule alone is switched off (kept, and can be
switched on again): on its own it joins different people of one name, which the rules below tell apart by their
birthdate or address. The accounts' "Similar name" alone asks for a closer name now that a similar name in the same
city or country has its own rules. Thresholds were chosen once for the generated set and FEBRL 1 and 2 (see
bench/duplicates.py)."""

from django.db import migrations

EXACT = 100

#: section -> [(rule name, position, [(attribute, kind, threshold), ...])]
PRESETS = {
    "contacts": [
        ("Full name + birthdate", 61, [("full_name", "name", EXACT), ("birth_date", "date", EXACT)]),
        ("Full name + postcode", 62, [("full_name", "name", EXACT), ("address_zip_code", "text", EXACT)]),
        ("Full name + street", 63, [("full_name", "name", EXACT), ("address_street", "text", EXACT)]),
        ("Similar full name + postcode", 91, [("full_name", "name", 85), ("address_zip_code", "text", EXACT)]),
        (
            "Similar full name + similar birthdate",
            92,
            [("full_name", "name", 80), ("birth_date", "year", EXACT), ("birth_date", "date", 85)],
        ),
        ("Birthdate + similar street", 93, [("birth_date", "date", EXACT), ("address_street", "text", 80)]),
    ],
    "accounts": [
        ("Similar name + city", 70, [("name", "company", 85), ("address_city", "text", EXACT)]),
        ("Similar name + country", 75, [("name", "company", 90), ("address_country", "text", EXACT)]),
    ],
}
#: (section, rule, attribute, preset threshold, new threshold): raised only where an administrator left it as shipped
RAISED = [("accounts", "Similar name", "name", 90, 95)]
SWITCHED_OFF = [("contacts", "Full name")]


def seed(apps, schema_editor):
    DuplicateRule = apps.get_model("duplicates", "DuplicateRule")
    RuleAttribute = apps.get_model("duplicates", "RuleAttribute")
    for section, rules in PRESETS.items():
        for name, position, attributes in rules:
            rule, created = DuplicateRule.objects.get_or_create(
                section=section, name=name, defaults={"position": position, "is_preset": True}
            )
            if created:
                for attribute, kind, threshold in attributes:
                    RuleAttribute.objects.create(rule=rule, attribute=attribute, kind=kind, threshold=threshold)
    for section, name, attribute, shipped, raised in RAISED:
        RuleAttribute.objects.filter(
            rule__section=section, rule__name=name, rule__is_preset=True, attribute=attribute, threshold=shipped
        ).update(threshold=raised)
    for section, name in SWITCHED_OFF:
        DuplicateRule.objects.filter(section=section, name=name, is_preset=True).update(is_active=False)


def unseed(apps, schema_editor):
    DuplicateRule = apps.get_model("duplicates", "DuplicateRule")
    RuleAttribute = apps.get_model("duplicates", "RuleAttribute")
    for section, rules in PRESETS.items():
        DuplicateRule.objects.filter(section=section, name__in=[r[0] for r in rules], is_preset=True).delete()
    for section, name, attribute, shipped, raised in RAISED:
        RuleAttribute.objects.filter(
            rule__section=section, rule__name=name, rule__is_preset=True, attribute=attribute, threshold=raised
        ).update(threshold=shipped)
    for section, name in SWITCHED_OFF:
        DuplicateRule.objects.filter(section=section, name=name, is_preset=True).update(is_active=True)


class Migration(migrations.Migration):
    dependencies = [("duplicates", "0003_rule_attribute_date_kinds")]

    operations = [migrations.RunPython(seed, unseed)]

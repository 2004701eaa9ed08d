"""Seed the article types."""

from django.db import migrations

from crm.core.seeding import seed_lookup, unseed_lookup

TYPES = [
    "Rules and regulations",
    "FAQ",
    "Product information",
    "Sales scripts",
    "Instructions",
    "Templates",
    "Other",
]


def seed(apps, schema_editor):
    seed_lookup(apps, "knowledge.ArticleType", TYPES)


def unseed(apps, schema_editor):
    unseed_lookup(apps, "knowledge.ArticleType", TYPES)


class Migration(migrations.Migration):
    dependencies = [("knowledge", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]

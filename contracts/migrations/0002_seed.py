"""Seed the contracts' numbering sequence with its mask (CON-00001)."""

from django.db import migrations

SEQUENCE = ("contract", "CON-{number:05d}")


def seed(apps, schema_editor):
    Sequence = apps.get_model("core", "Sequence")
    Sequence.objects.get_or_create(name=SEQUENCE[0], defaults={"mask": SEQUENCE[1]})


def unseed(apps, schema_editor):
    apps.get_model("core", "Sequence").objects.filter(name=SEQUENCE[0], next_value=1).delete()


class Migration(migrations.Migration):
    dependencies = [("contracts", "0001_initial"), ("core", "0003_event_notice")]

    operations = [migrations.RunPython(seed, unseed)]

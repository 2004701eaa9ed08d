"""Seed the invoice number mask."""

from django.db import migrations

MASK = "INV-{number:05d}"


def seed(apps, schema_editor):
    Sequence = apps.get_model("core", "Sequence")
    sequence, _ = Sequence.objects.get_or_create(name="invoices", defaults={"mask": MASK})
    if sequence.mask == "{number:05d}":
        Sequence.objects.filter(pk="invoices").update(mask=MASK)


class Migration(migrations.Migration):
    dependencies = [("invoices", "0001_initial"), ("core", "0003_event_notice")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]

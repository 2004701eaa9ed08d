"""Seed the document types, the statuses (with the codes approvals and services find them by) and the
documents' numbering sequence (DOC-00001)."""

from django.db import migrations

from crm.core.seeding import seed_lookup, unseed_lookup

TYPES = ["Letter", "Act", "Proposal", "Specification", "Protocol", "Power of attorney", "Other"]
STATUSES = [("draft", "Draft"), ("active", "Active"), ("cancelled", "Cancelled")]
SEQUENCE = ("document", "DOC-{number:05d}")


def seed(apps, schema_editor):
    seed_lookup(apps, "documents.DocumentType", TYPES)
    Status = apps.get_model("documents", "DocumentStatus")
    for position, (code, name) in enumerate(STATUSES, start=1):
        Status.objects.get_or_create(code=code, defaults={"name": name, "position": position})
    apps.get_model("core", "Sequence").objects.get_or_create(name=SEQUENCE[0], defaults={"mask": SEQUENCE[1]})


def unseed(apps, schema_editor):
    unseed_lookup(apps, "documents.DocumentType", TYPES)
    apps.get_model("documents", "DocumentStatus").objects.filter(code__in=[c for c, _ in STATUSES]).delete()
    apps.get_model("core", "Sequence").objects.filter(name=SEQUENCE[0], next_value=1).delete()


class Migration(migrations.Migration):
    dependencies = [("documents", "0001_initial"), ("core", "0003_event_notice")]

    operations = [migrations.RunPython(seed, unseed)]

"""Seed the project types and the cash flow categories."""

from django.db import migrations

TYPES = ["Internal project", "Complex project"]
CATEGORIES = ["Compensation of expenses", "Services", "Licences", "Subcontracting", "Travel"]


def seed(apps, schema_editor):
    for model, names in (("ProjectType", TYPES), ("CashFlowCategory", CATEGORIES)):
        Model = apps.get_model("projects", model)
        for position, name in enumerate(names, start=1):
            Model.objects.get_or_create(name=name, defaults={"position": position})


def unseed(apps, schema_editor):
    apps.get_model("projects", "ProjectType").objects.filter(name__in=TYPES).delete()
    apps.get_model("projects", "CashFlowCategory").objects.filter(name__in=CATEGORIES).delete()


class Migration(migrations.Migration):
    dependencies = [("projects", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]

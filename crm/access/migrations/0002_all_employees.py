"""The built-in "All employees" role (every active user is in it without a membership row) and the row holding
the version of the cached rules."""

from django.db import migrations


def seed(apps, schema_editor):
    Role = apps.get_model("access", "Role")
    AccessState = apps.get_model("access", "AccessState")
    Role.objects.get_or_create(kind="all_employees", defaults={"name": "All employees"})
    AccessState.objects.get_or_create(pk=1, defaults={"version": "initial"})


def unseed(apps, schema_editor):
    apps.get_model("access", "Role").objects.filter(kind="all_employees").delete()


class Migration(migrations.Migration):
    dependencies = [("access", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]

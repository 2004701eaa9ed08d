"""Record grants say whether the grantee may share the record on ("delegation permitted"); the operation
"administer" (rights schemes, every role and right) goes to the functional role "Administrators" where there is
one, so that whoever merely manages users no longer changes how rights work."""

import uuid

from django.db import migrations, models


def grant_administer(apps, schema_editor):
    Role = apps.get_model("access", "Role")
    OperationRight = apps.get_model("access", "OperationRight")
    AccessState = apps.get_model("access", "AccessState")
    for role in Role.objects.filter(kind="functional", name="Administrators"):
        OperationRight.objects.get_or_create(
            operation="administer", role=role, defaults={"allowed": True, "priority": 10}
        )
    AccessState.objects.filter(pk=1).update(version=uuid.uuid4().hex)  # cached rules are read anew


def remove_administer(apps, schema_editor):
    apps.get_model("access", "OperationRight").objects.filter(operation="administer").delete()


class Migration(migrations.Migration):
    dependencies = [("access", "0002_all_employees")]

    operations = [
        migrations.AddField(
            model_name="recordgrant",
            name="can_delegate",
            field=models.BooleanField(default=False, verbose_name="delegation permitted"),
        ),
        migrations.AlterField(
            model_name="operationright",
            name="operation",
            field=models.CharField(
                choices=[
                    ("export", "Export lists"),
                    ("import", "Import data"),
                    ("merge_duplicates", "Search and merge duplicates"),
                    ("designer", "Use the system designer"),
                    ("manage_users", "Manage users and roles"),
                    ("manage_lookups", "Manage lookups"),
                    ("view_change_log", "View the change log"),
                    ("see_all", "See all data"),
                    ("administer", "Administer: rights schemes and every role and right"),
                ],
                max_length=32,
            ),
        ),
        migrations.RunPython(grant_administer, remove_administer),
    ]

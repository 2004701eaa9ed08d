"""The table of the "shared" cache (crm.core.limits) when there is no Redis: the same table `createcachetable`
makes, created here so that `migrate` is the only setup step."""

from django.core.management.commands.createcachetable import Command as CreateCacheTable
from django.db import migrations

TABLE = "crm_shared_cache"


def create_table(apps, schema_editor):
    command = CreateCacheTable()
    command.verbosity = 0
    command.create_table(schema_editor.connection.alias, TABLE, dry_run=False)


def drop_table(apps, schema_editor):
    schema_editor.execute(f"DROP TABLE IF EXISTS {schema_editor.quote_name(TABLE)}")


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0003_event_notice"),
    ]

    operations = [migrations.RunPython(create_table, drop_table, elidable=False)]

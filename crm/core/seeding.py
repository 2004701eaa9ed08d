"""Helpers for data migrations that seed lookup tables (idempotent: existing names are kept)."""


def seed_lookup(apps, label: str, names: list[str]) -> None:
    model = apps.get_model(label)
    for position, name in enumerate(names, start=1):
        model.objects.get_or_create(name=name, defaults={"position": position})


def unseed_lookup(apps, label: str, names: list[str]) -> None:
    apps.get_model(label).objects.filter(name__in=names).delete()


def trigram_indexes(table: str, columns: dict[str, str]):
    """A migration operation adding GIN trigram indexes on UPPER(column) (PostgreSQL only), which is what
    Django's `icontains` compares, so quick and global search stay indexed at millions of rows."""
    from django.db import migrations

    def create(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for name, column in columns.items():
            schema_editor.execute(
                f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin ((UPPER({column}::text)) gin_trgm_ops)"
            )

    def drop(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for name in columns:
            schema_editor.execute(f"DROP INDEX IF EXISTS {name}")

    return migrations.RunPython(create, drop)


def lookup_seeding(lookups: dict[str, list[str]]):
    """A migration operation that seeds several lookup tables, and removes the seeded names when reversed."""
    from django.db import migrations

    def seed(apps, schema_editor):
        for label, names in lookups.items():
            seed_lookup(apps, label, names)

    def unseed(apps, schema_editor):
        for label, names in lookups.items():
            unseed_lookup(apps, label, names)

    return migrations.RunPython(seed, unseed)

"""PostgreSQL only: the GIN index of the articles' search vector (full-text search) and the trigram index of their
names (the list's quick search)."""

from django.db import migrations

from crm.core.seeding import trigram_indexes


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS article_search_vector_idx ON knowledge_article USING gin (search_vector)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS article_search_vector_idx")


class Migration(migrations.Migration):
    dependencies = [("knowledge", "0002_seed"), ("core", "0002_trigram_extension")]

    operations = [
        migrations.RunPython(create, drop),
        trigram_indexes("knowledge_article", {"article_name_trgm_idx": "name"}),
    ]

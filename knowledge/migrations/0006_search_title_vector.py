"""The articles' title vector (name A, corporate tags and summary B: the search vector without the body) and its GIN
index, PostgreSQL only: the ranked search ranks every match of a word in it, the body's matches only when the
titles give fewer than a page. Filled from the search vector each article has (its A and B lexemes)."""

import django.contrib.postgres.search
from django.db import migrations


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "UPDATE knowledge_article SET title_vector = ts_filter(search_vector, '{a,b}') "
            "WHERE search_vector IS NOT NULL"
        )
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS article_title_vector_idx ON knowledge_article USING gin (title_vector)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS article_title_vector_idx")


class Migration(migrations.Migration):
    dependencies = [("knowledge", "0005_trigram_indexes")]

    operations = [
        migrations.AddField(
            model_name="article",
            name="title_vector",
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
        ),
        migrations.RunPython(create, drop),
    ]

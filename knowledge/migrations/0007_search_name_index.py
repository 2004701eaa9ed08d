"""PostgreSQL only: the expression index of the articles' names as full-text words, in the search's language
configuration (knowledge.search.name_vector writes the same expression): the ranked search's first tier."""

import re

from django.conf import settings
from django.db import migrations


def _config() -> str:
    language = getattr(settings, "KNOWLEDGE_SEARCH_CONFIG", "english")
    if not re.fullmatch(r"\w+", language):
        raise ValueError(f"KNOWLEDGE_SEARCH_CONFIG {language!r} is not a configuration's name")
    return language


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS article_name_vector_idx ON knowledge_article "
            f"USING gin (to_tsvector('{_config()}'::regconfig, name))"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS article_name_vector_idx")


class Migration(migrations.Migration):
    dependencies = [("knowledge", "0006_search_title_vector")]

    operations = [migrations.RunPython(create, drop)]

"""Trigram indexes (PostgreSQL only) for the list's quick search on an article's name and summary (the ranked
full-text search has its own index)."""

from django.db import migrations

from crm.core.seeding import trigram_indexes


class Migration(migrations.Migration):
    dependencies = [("knowledge", "0004_article_announcement"), ("core", "0002_trigram_extension")]
    operations = [
        trigram_indexes("knowledge_article", {"article_name_trgm_idx": "name", "article_summary_trgm_idx": "summary"})
    ]

"""Trigram indexes for the documents' quick and global search by number and subject (PostgreSQL)."""

from django.db import migrations

from crm.core.seeding import trigram_indexes


class Migration(migrations.Migration):
    dependencies = [("documents", "0002_seed"), ("core", "0002_trigram_extension")]

    operations = [
        trigram_indexes("documents_document", {"document_number_trgm": "number", "document_subject_trgm": "subject"})
    ]

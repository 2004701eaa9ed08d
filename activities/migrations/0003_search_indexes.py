"""A trigram index (PostgreSQL only) for the quick and global search on the subject."""

from django.db import migrations

from crm.core.seeding import trigram_indexes


class Migration(migrations.Migration):
    dependencies = [("activities", "0002_seed_lookups"), ("core", "0002_trigram_extension")]
    operations = [trigram_indexes("activities_activity", {"activity_title_trgm_idx": "title"})]

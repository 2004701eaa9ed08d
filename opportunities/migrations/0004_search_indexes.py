"""Trigram indexes (PostgreSQL only) for quick and global search."""

from django.db import migrations

from crm.core.seeding import trigram_indexes


class Migration(migrations.Migration):
    dependencies = [("opportunities", "0003_opportunity_opportunity_closed_on_idx"), ("core", "0002_trigram_extension")]
    operations = [trigram_indexes("opportunities_opportunity", {"opportunity_name_trgm_idx": "name"})]

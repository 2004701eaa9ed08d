"""Trigram index for the contracts' quick and global search by number (PostgreSQL)."""

from django.db import migrations

from crm.core.seeding import trigram_indexes


class Migration(migrations.Migration):
    dependencies = [("contracts", "0002_seed"), ("core", "0002_trigram_extension")]

    operations = [trigram_indexes("contracts_contract", {"contract_number_trgm": "number"})]

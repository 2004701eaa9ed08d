"""Trigram indexes (PostgreSQL only) for the two account search fields 0004 left out: every search field needs one,
or the search of that field reads the whole table."""

from django.db import migrations

from crm.core.seeding import trigram_indexes


class Migration(migrations.Migration):
    dependencies = [("accounts", "0007_seed_details")]
    operations = [
        trigram_indexes(
            "accounts_account",
            {
                "account_also_known_as_trgm_idx": "also_known_as",
                "account_web_trgm_idx": "web",
            },
        )
    ]

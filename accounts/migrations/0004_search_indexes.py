"""Trigram indexes (PostgreSQL only) for quick and global search."""

from django.db import migrations

from crm.core.seeding import trigram_indexes


class Migration(migrations.Migration):
    dependencies = [("accounts", "0003_seed_lookups"), ("core", "0002_trigram_extension")]
    operations = [
        trigram_indexes(
            "accounts_account",
            {
                "account_name_trgm_idx": "name",
                "account_code_trgm_idx": "code",
                "account_phone_trgm_idx": "phone",
                "account_email_trgm_idx": "email",
            },
        )
    ]

"""Trigram indexes (PostgreSQL only) for quick and global search."""

from django.db import migrations

from crm.core.seeding import trigram_indexes


class Migration(migrations.Migration):
    dependencies = [("leads", "0002_seed"), ("core", "0002_trigram_extension")]
    operations = [
        trigram_indexes(
            "leads_lead",
            {
                "lead_need_trgm_idx": "need",
                "lead_contact_name_trgm_idx": "contact_name",
                "lead_account_name_trgm_idx": "account_name",
                "lead_email_trgm_idx": "email",
                "lead_mobile_phone_trgm_idx": "mobile_phone",
            },
        )
    ]

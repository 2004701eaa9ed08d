"""Trigram indexes (PostgreSQL only) for quick and global search."""

from django.db import migrations

from crm.core.seeding import trigram_indexes


class Migration(migrations.Migration):
    dependencies = [("contacts", "0002_seed_lookups"), ("core", "0002_trigram_extension")]
    operations = [
        trigram_indexes(
            "contacts_contact",
            {
                "contact_name_trgm_idx": "full_name",
                "contact_email_trgm_idx": "email",
                "contact_mobile_trgm_idx": "mobile_phone",
                "contact_business_phone_trgm_idx": "business_phone",
            },
        )
    ]

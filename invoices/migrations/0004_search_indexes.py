"""Trigram indexes (PostgreSQL only) for quick and global search."""

from django.db import migrations

from crm.core.seeding import trigram_indexes


class Migration(migrations.Migration):
    dependencies = [("invoices", "0003_invoice_contract"), ("core", "0002_trigram_extension")]
    operations = [
        trigram_indexes(
            "invoices_invoice",
            {
                "invoice_number_trgm_idx": "number",
                "invoice_subject_trgm_idx": "subject",
                "invoice_customer_reference_trgm_idx": "customer_reference",
            },
        )
    ]

"""Trigram indexes (PostgreSQL only) for quick and global search."""

from django.db import migrations

from crm.core.seeding import trigram_indexes


class Migration(migrations.Migration):
    dependencies = [("orders", "0002_seed"), ("core", "0002_trigram_extension")]
    operations = [
        trigram_indexes(
            "orders_order",
            {"order_number_trgm_idx": "number", "order_customer_reference_trgm_idx": "customer_reference"},
        )
    ]

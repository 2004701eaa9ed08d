"""Trigram indexes (PostgreSQL only) for quick and global search and the product selection search."""

from django.db import migrations

from crm.core.seeding import trigram_indexes


class Migration(migrations.Migration):
    dependencies = [("products", "0002_seed"), ("core", "0002_trigram_extension")]
    operations = [
        trigram_indexes(
            "products_product",
            {"product_name_trgm_idx": "name", "product_code_trgm_idx": "code"},
        )
    ]

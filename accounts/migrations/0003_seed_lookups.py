from django.db import migrations

from crm.core.seeding import lookup_seeding

LOOKUPS = {
    "accounts.AccountType": ["Customer", "Partner", "Supplier", "Insurance company", "Our company"],
    "accounts.AccountCategory": ["A", "B", "C", "D"],
    "accounts.Industry": [
        "IT company",
        "Business services",
        "Manufacturing and distribution",
        "Retail",
        "Finance and insurance",
        "Healthcare",
        "Education",
        "Construction",
        "Transport and logistics",
        "Energy",
        "Public sector",
        "Media and telecommunications",
    ],
}


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_initial")]
    operations = [lookup_seeding(LOOKUPS)]

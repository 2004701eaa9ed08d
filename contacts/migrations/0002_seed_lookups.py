from django.db import migrations

from crm.core.seeding import lookup_seeding

LOOKUPS = {"contacts.ContactType": ["Customer", "Contact person", "Supplier", "Employee"]}


class Migration(migrations.Migration):
    dependencies = [("contacts", "0001_initial")]
    operations = [lookup_seeding(LOOKUPS)]

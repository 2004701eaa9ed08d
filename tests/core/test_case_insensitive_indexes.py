"""The case-insensitive comparisons that run on every lead page and in every keyed import use an index on
PostgreSQL (not a scan of the table): with sequential scans switched off, the plans use indexes (without one,
PostgreSQL still scans the table)."""

import pytest
from django.db import connection
from django.db.models.functions import Upper

from contacts.models import Contact
from leads.models import Lead
from leads.selectors import similar_leads
from products.models import Product
from tests.factories import LeadFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="query plans are PostgreSQL's"),
]


def plan(queryset) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        return queryset.explain()


def test_similar_leads_are_found_through_indexes(alice):
    lead = LeadFactory(
        owner=alice, email="ann@x.example", mobile_phone="+1 555 0100", contact_name="Ann", account_name="Acme"
    )

    text = plan(similar_leads(alice, lead))

    assert "Seq Scan on leads_lead" not in text
    for index in ("lead_email_upper_idx", "lead_contact_name_upper_idx", "lead_account_name_upper_idx"):
        assert index in text


@pytest.mark.parametrize(("model", "field"), [(Product, "code"), (Contact, "email"), (Lead, "email")])
def test_import_keys_are_matched_through_an_index(model, field):
    # what the import engine asks for a batch of text keys (crm.imports.engine.Importer._existing); the search
    # (trigram) index may answer it as well as the UPPER(...) B-tree
    queryset = model.objects.annotate(_import_key=Upper(field)).filter(_import_key__any_of=["A-1", "B-2"])

    text = plan(queryset)

    assert f"Seq Scan on {model._meta.db_table}" not in text and "Index Scan" in text

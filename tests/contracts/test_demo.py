"""The demo contracts and documents: made through the services (an expiring contract reminded, an expired one,
an addendum and a specification under the framework agreement, documents with versions), idempotent, and the
bulk path of the benchmarks."""

import datetime
import random

import pytest
from django.utils import timezone

from contracts import demo as contracts_demo
from contracts.models import Contract
from crm.access import demo as access_demo
from crm.core import demo
from crm.core.models import Notification
from documents import demo as documents_demo
from documents.models import Document, DocumentFile, DocumentLink


@pytest.fixture
def context(db):
    from accounts import demo as accounts_demo
    from contacts import demo as contacts_demo
    from products import demo as products_demo

    context = demo.DemoContext(users=demo.ensure_users(), rng=random.Random(2026))
    for module in (access_demo, accounts_demo, products_demo, contacts_demo):
        module.seed(context)
    return context


def test_the_demo_shows_every_part_of_the_contract_process(context):
    today = timezone.localdate()

    contracts_demo.seed(context)

    contracts = Contract.objects.all()
    assert set(contracts.values_list("status", flat=True)) == set(Contract.Status.values)
    assert contracts.filter(end_date=today + datetime.timedelta(days=14), status="signed").exists()
    assert contracts.filter(validity=Contract.Validity.EXPIRED).exists()
    assert contracts.filter(type=Contract.Type.ADDENDUM, parent__isnull=False).exists()
    specification = contracts.get(type=Contract.Type.SPECIFICATION)
    assert specification.lines.exists() and specification.amount > 0
    assert Notification.objects.filter(kind="reminder", title__contains="ends in 14 days").count() == 1
    assert contracts_demo.already_seeded(context)


def test_the_demo_documents_have_versions_and_connections(context):
    contracts_demo.seed(context)

    documents_demo.seed(context)

    assert Document.objects.count() == len(documents_demo.PLAN)
    assert DocumentFile.objects.filter(version=2).count() == 2
    assert DocumentLink.objects.exists()
    assert set(Document.objects.values_list("status__code", flat=True)) == {"draft", "active", "cancelled"}
    assert documents_demo.already_seeded(context)


def test_the_bulk_path_numbers_contracts_and_documents(context):
    contracts_demo.seed_scale(context, 20)
    documents_demo.seed_scale(context, 20)

    assert Contract.objects.count() == Document.objects.count() == 10
    assert Contract.objects.filter(number__startswith="CON-").count() == 10

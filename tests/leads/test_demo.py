"""The demo leads: made through the lead process's services, spread over stages, sources and the last year, some
with their opportunities; seeded once; and the bulk path of the benchmarks."""

import datetime
import random

import pytest
from django.utils import timezone

from crm.access import demo as access_demo
from crm.core import demo
from leads import demo as leads_demo
from leads.models import Lead, LeadStageHistory


@pytest.fixture
def context(db):
    from accounts import demo as accounts_demo
    from products import demo as products_demo

    context = demo.DemoContext(users=demo.ensure_users(), rng=random.Random(2026))
    for module in (access_demo, accounts_demo, products_demo):
        module.seed(context)
    return context


def test_the_demo_spreads_its_leads_over_stages_sources_and_the_last_year(context):
    now = timezone.now()

    leads_demo.seed(context)

    leads = Lead.objects.all()
    assert leads.count() == leads_demo.DEMO_COUNT
    assert set(leads.values_list("stage", flat=True)) == set(Lead.Stage.values)
    assert leads.exclude(source=None).values("source").distinct().count() >= 5
    assert leads.filter(created_at__lt=now - datetime.timedelta(days=180)).exists()
    for lead in leads.filter(stage__in=[Lead.Stage.AWAITING_SALE, Lead.Stage.SATISFIED]):
        assert lead.opportunity is not None
    satisfied = leads.filter(stage=Lead.Stage.SATISFIED).select_related("opportunity__stage")
    assert all(lead.opportunity.stage.is_successful for lead in satisfied)
    # our own company is never a customer in its own pipeline
    assert not leads.filter(account__type__name="Our company").exists()
    assert leads_demo.already_seeded(context)


def test_the_scale_path_inserts_leads_with_their_histories_in_bulk(context, django_assert_max_num_queries):
    # a handful of lookups, then the inserts: SQLite splits a bulk insert by its limit of bound variables, so
    # the budget is the inserts of 300 leads and their ~500 history rows, not one query per lead
    with django_assert_max_num_queries(40):
        leads_demo.seed_scale(context, 300)

    assert Lead.objects.count() == 300
    assert LeadStageHistory.objects.filter(stage=Lead.Stage.QUALIFICATION).count() == 300

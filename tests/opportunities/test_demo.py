"""The demo deals: made through the sale process's services, back-dated over the last year, spread over every
stage, with products and the reps' divisions; idempotent; and the bulk path of the benchmarks."""

import datetime
import random

import pytest
from django.utils import timezone

from crm.access import demo as access_demo
from crm.core import demo
from opportunities import demo as opportunities_demo
from opportunities.models import Opportunity, OpportunityProduct, OpportunityStage, StageHistory


@pytest.fixture
def context(db):
    from accounts import demo as accounts_demo
    from products import demo as products_demo

    context = demo.DemoContext(users=demo.ensure_users(), rng=random.Random(2026))
    for module in (access_demo, accounts_demo, products_demo):
        module.seed(context)
    return context


def test_the_demo_spreads_its_deals_over_every_stage_and_the_last_year(context):
    now = timezone.now()

    opportunities_demo.seed(context)

    deals = Opportunity.objects.all()
    assert deals.count() == opportunities_demo.DEMO_COUNT
    assert set(deals.values_list("stage__code", flat=True)) == set(
        OpportunityStage.objects.exclude(code="").values_list("code", flat=True)
    )
    created = list(deals.values_list("created_at", flat=True))
    assert min(created) > now - datetime.timedelta(days=366) and max(created) <= now
    assert len({(c.year, c.month) for c in created}) >= 11
    # every deal's history runs from its creation to its current stage, one visit after the other
    for deal in deals.select_related("stage"):
        visits = list(StageHistory.objects.filter(opportunity=deal).order_by("started_at"))
        assert visits[0].started_at == deal.created_at and visits[-1].stage_id == deal.stage_id
        assert all(a.ended_at == b.started_at for a, b in zip(visits, visits[1:], strict=False))
        assert visits[-1].ended_at is None and deal.stage_started_at == visits[-1].started_at
        assert (deal.closed_on is not None) == deal.stage.is_final
    today = timezone.localdate()
    open_deals = deals.filter(stage__is_final=False)
    assert open_deals.filter(close_date__lt=today).exists() and open_deals.filter(close_date__gt=today).exists()
    assert OpportunityProduct.objects.count() >= opportunities_demo.DEMO_COUNT
    assert not deals.filter(amount_base__lte=0).exists()
    alice = context.users["alice"]
    assert set(deals.filter(owner=alice).values_list("division__name", flat=True)) == {"Sales team A"}


def test_the_demo_is_seeded_once(context):
    assert not opportunities_demo.already_seeded(context)

    opportunities_demo.seed(context)

    assert opportunities_demo.already_seeded(context)


def test_the_scale_path_inserts_deals_with_their_histories_in_bulk(context, django_assert_max_num_queries):
    with django_assert_max_num_queries(12):
        opportunities_demo.seed_scale(context, 60)

    assert Opportunity.objects.count() == 60
    assert StageHistory.objects.values("opportunity").distinct().count() == 60
    assert not StageHistory.objects.filter(started_at__gt=timezone.now()).exists()
    last_visits = StageHistory.objects.filter(ended_at__isnull=True)
    assert sorted(last_visits.values_list("opportunity_id", "stage_id")) == sorted(
        Opportunity.objects.values_list("pk", "stage_id")
    )

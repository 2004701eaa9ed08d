"""Each kind of tile is one aggregate query over the records (plus the fixed reads of the request), whatever
the number of records."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from crm.analytics.models import Tile

from .conftest import add_tile, deal

KINDS = {
    "chart": {
        "section": "opportunities",
        "function": "sum",
        "field": "amount",
        "group_by": "owner",
        "step": "month",
        "chart_type": "bar",
        "top": "5",
        "function_2": "count",
    },
    "metric": {
        "section": "opportunities",
        "function": "sum",
        "field": "amount",
        "date_field": "created_at",
        "period": "this_month",
    },
    "gauge": {
        "section": "opportunities",
        "function": "count",
        "minimum": "0",
        "maximum": "10",
        "bands": "5:danger,10:success",
    },
    "list": {"section": "opportunities", "columns": ["name", "account", "owner"], "sort": "name", "limit": "10"},
    "goal": {"scope": "all"},
    "sales_pipeline": {"section": "opportunities", "period": "this_year"},
}


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("records", [2, 12])
def test_a_tile_costs_the_same_queries_at_any_size(
    client, maria, alice, shared_dashboard, kind, records, django_assert_max_num_queries
):
    for index in range(records):
        deal(alice, f"{index + 1}.00")
    tile = add_tile(maria, shared_dashboard, kind, **KINDS[kind])
    client.force_login(alice)
    url = reverse("analytics:tile", args=[tile.pk])
    client.get(url)  # the process reads the access rules and custom fields once, then caches them
    Tile.objects.filter(pk=tile.pk).update(modified_at=timezone.now())  # a changed tile: its figures afresh
    # session, user; the tile with its tab and dashboard (the sharing a subquery); the figures: one aggregate (a
    # pipeline reads its stages first, goals read the goals first); the bell's unread count of the page shell
    with django_assert_max_num_queries(6):
        response = client.get(url)
    assert response.status_code == 200 and "_problem" not in response.templates[0].name

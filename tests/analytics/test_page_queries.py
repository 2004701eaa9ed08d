"""The Dashboards page and the home page's dashboard read a fixed number of queries, whatever the number of tiles,
tabs and dashboards: the grid draws each tile's frame only, and each tile's figures load on their own (their
queries: test_tile_queries.py)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from crm.analytics import services

from .conftest import add_tile
from .test_tile_queries import KINDS


def fill(user, dashboard, copies: int) -> None:
    """`copies` tiles of every kind on the first tab, and as many other tabs and other dashboards."""
    for _ in range(copies):
        for kind, settings in KINDS.items():
            add_tile(user, dashboard, kind, **settings)
    for index in range(copies):
        services.add_tab(user=user, dashboard=dashboard, title=f"Tab {index}")
        services.save_dashboard(user=user, data={"name": f"Other {index}", "sharing": "company"})


@pytest.mark.parametrize("viewer", ["maria", "alice"])
@pytest.mark.parametrize("copies", [1, 4])
def test_the_dashboard_page_costs_the_same_queries_for_few_tiles_as_for_many(
    client, request, maria, shared_dashboard, copies, viewer, django_assert_max_num_queries
):
    fill(maria, shared_dashboard, copies)
    client.force_login(request.getfixturevalue(viewer))  # maria arranges the tiles (the editor's menus), alice looks
    url = reverse("analytics:dashboard", args=[shared_dashboard.pk])
    client.get(url)  # the process reads the access rules once, then caches them
    # session, user; the dashboard (the sharing a subquery), its tabs, the shown tab's tiles, the dashboards of
    # the picker; the bell's unread count of the page shell
    with django_assert_max_num_queries(7):
        response = client.get(url)
    assert response.content.decode().count("data-tile-body") == copies * len(KINDS)

"""The Dashboards pages: a dashboard and its tiles, the editor refusing a crafted field, the layout the grid
posts, the .xlsx download, who may change a shared dashboard, the Dashboards view of a list and the home page."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from crm.analytics import services
from crm.analytics.models import Dashboard, Tile

from .conftest import add_chart, add_tile


def test_the_dashboard_page_shows_its_tiles_which_load_on_their_own(client, maria, shared_dashboard, deals):
    tile = add_tile(maria, shared_dashboard, "metric", section="opportunities", function="count")
    client.force_login(maria)

    page = client.get(reverse("analytics:dashboard", args=[shared_dashboard.pk])).content.decode()

    assert f'hx-get="{reverse("analytics:tile", args=[tile.pk])}?' in page
    assert client.get(reverse("analytics:tile", args=[tile.pk])).context["value"] == "4"


def test_the_editor_saves_a_tile_and_refuses_a_crafted_field(client, maria, shared_dashboard):
    client.force_login(maria)
    url = reverse("analytics:tile_create", args=[shared_dashboard.tabs.first().pk])
    data = {
        "kind": "chart",
        "title": "By stage",
        "section": "opportunities",
        "function": "count",
        "group_by": "stage",
        "step": "month",
        "chart_type": "bar",
        "top": "5",
    }

    refused = client.post(url, {**data, "group_by": "owner__password"})
    assert "no field of this section you may read" in refused.content.decode()
    assert not Tile.objects.exists()

    client.post(url, data)
    assert Tile.objects.get().settings["group_by"] == "stage"


def test_the_grid_saves_the_layout_after_a_drag(client, maria, shared_dashboard):
    tile = add_tile(maria, shared_dashboard, "metric", section="opportunities", function="count")
    client.force_login(maria)

    response = client.post(
        reverse("analytics:layout", args=[tile.tab_id]),
        {"layout": json.dumps([{"id": tile.pk, "x": 6, "y": 2, "w": 5, "h": 3}])},
    )

    tile.refresh_from_db()
    assert response.json() == {"saved": 1} and (tile.x, tile.y, tile.width, tile.height) == (6, 2, 5, 3)


def test_only_who_has_analytics_setup_changes_a_shared_dashboard(client, alice, maria, shared_dashboard, team):
    tile = add_tile(maria, shared_dashboard, "metric", section="opportunities", function="count")
    client.force_login(alice)

    response = client.post(
        reverse("analytics:layout", args=[tile.tab_id]),
        {"layout": json.dumps([{"id": tile.pk, "x": 6, "y": 0, "w": 3, "h": 2}])},
    )

    assert response.status_code == 403
    assert Tile.objects.get().x == 0
    assert client.get(reverse("analytics:dashboard", args=[shared_dashboard.pk])).status_code == 200


def test_a_private_dashboard_is_nobody_elses(client, alice, bob, team):
    mine = services.save_dashboard(user=alice, data={"name": "Mine", "sharing": "private"})
    client.force_login(bob)

    assert client.get(reverse("analytics:dashboard", args=[mine.pk])).status_code == 404


def test_a_rep_may_not_share_a_dashboard(alice, team):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="analytics setup"):
        services.save_dashboard(user=alice, data={"name": "Everyone's", "sharing": "company"})


def test_a_tile_downloads_as_xlsx(client, maria, shared_dashboard, deals):
    tile = add_chart(maria, shared_dashboard, chart_type="bar", top="5")
    client.force_login(maria)

    response = client.get(reverse("analytics:tile_export", args=[tile.pk]))

    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert response.content[:2] == b"PK"


def test_every_list_has_a_dashboards_view_following_its_filters(client, maria, deals):
    dashboard = services.save_dashboard(
        user=maria, data={"name": "Deals", "sharing": "company", "place": "section:opportunities"}
    )
    tile = add_tile(maria, dashboard, "metric", section="opportunities", function="count")
    client.force_login(maria)

    assert 'id="view-dashboards"' in client.get(reverse("opportunities:list"), {"q": ""}).content.decode()
    page = client.get(reverse("opportunities:list"), {"view": "dashboards", "owner": deals[3].owner_id})
    tile_url = f"{reverse('analytics:tile', args=[tile.pk])}?on=opportunities&amp;owner={deals[3].owner_id}"

    assert tile_url in page.content.decode()
    assert client.get(tile_url.replace("&amp;", "&")).context["value"] == "1"


def test_the_home_page_shows_the_dashboard_of_the_users_role(client, alice, maria, team):
    dashboard = services.save_dashboard(
        user=maria,
        data={"name": "Reps", "sharing": "roles", "roles": [team.team_a.pk], "home_roles": [team.team_a.pk]},
    )
    client.force_login(alice)

    assert client.get(reverse("home")).context["home"]["dashboard"] == dashboard
    assert Dashboard.objects.count() == 1


def test_a_record_page_carries_the_dashboards_placed_there(client, maria, deals):
    dashboard = services.save_dashboard(
        user=maria, data={"name": "Account", "sharing": "company", "place": "record:accounts"}
    )
    tile = add_tile(maria, dashboard, "metric", section="opportunities", function="count")
    account = deals[3].account
    client.force_login(maria)

    tab = client.get(reverse("accounts:tab", args=[account.pk, "dashboards"])).content.decode()

    assert f"record=accounts:{account.pk}" in tab
    url = reverse("analytics:tile", args=[tile.pk])
    assert client.get(url, {"record": f"accounts:{account.pk}"}).context["value"] == "1"


def test_a_manager_sets_a_goal_and_a_rep_may_not(client, maria, alice, team):
    data = {
        "name": "Won",
        "section": "opportunities",
        "function": "count",
        "field": "",
        "filters": "",
        "date_field": "created_at",
        "owner": alice.pk,
        "period_start": "2026-01-01",
        "period_end": "2026-04-01",
        "target": "10",
    }
    client.force_login(alice)
    assert client.post(reverse("analytics:goals"), data).status_code == 404

    client.force_login(maria)
    client.post(reverse("analytics:goals"), data)
    page = client.get(reverse("analytics:goals")).content.decode()

    assert "Won" in page and 'id="goal-form"' in page

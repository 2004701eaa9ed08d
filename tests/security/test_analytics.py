"""Dashboards over the registry: a tile of any section counts for its viewer only what they may read, its
drill-down list shows no more, its export holds no more, and a column hidden from the viewer is neither summed
nor listed."""

from __future__ import annotations

import pytest
from django.urls import reverse

from crm.access.models import ColumnRight
from crm.analytics import fields as tile_fields
from crm.analytics import services
from crm.analytics.models import Dashboard

from .test_reading import login


@pytest.fixture
def dashboard(ada):
    return services.save_dashboard(user=ada, data={"name": "Everyone", "sharing": Dashboard.Sharing.COMPANY})


def _chart(ada, dashboard, section):
    from crm.sections.registry import AUDIT_FIELDS

    groups = tile_fields.groupings(section, ada)
    group = next((g for g in groups if g.name not in AUDIT_FIELDS and g.name != "owner"), groups[0])
    return services.save_tile(
        user=ada,
        tab=dashboard.tabs.first(),
        kind_name="chart",
        data={
            "title": "Count",
            "section": section.name,
            "function": "count",
            "group_by": group.name,
            "step": "month",
            "chart_type": "bar",
            "top": "10",
        },
    )


def test_a_tile_counts_nothing_its_viewer_may_not_read(client, section, mode, scene, ada, dashboard):
    scene = scene()  # alice's record; charlie may not read it
    tile = _chart(ada, dashboard, section)
    url = reverse("analytics:tile", args=[tile.pk])

    refused = login(client, scene.refused).get(url)
    permitted = login(client, scene.permitted).get(url)

    refused_counts = (refused.context.get("result").chart or {"datasets": [{"data": []}]})["datasets"][0]["data"]
    assert sum(refused_counts) == 0
    assert sum(permitted.context["result"].chart["datasets"][0]["data"]) >= 1


def test_a_drill_down_list_and_an_export_hold_only_what_the_viewer_may_read(
    client, section, mode, scene, ada, dashboard
):
    scene = scene()
    tile = _chart(ada, dashboard, section)
    as_permitted = login(client, scene.permitted).get(reverse("analytics:tile", args=[tile.pk]))
    link = as_permitted.context["result"].chart["links"][0]

    as_refused = login(client, scene.refused)
    listed = as_refused.get(link)
    assert listed.status_code == 404 or scene.record.pk not in [r.pk for r in listed.context["rows"]]
    exported = as_refused.get(reverse("analytics:tile_export", args=[tile.pk]))
    if exported.status_code == 200:
        from io import BytesIO

        from openpyxl import load_workbook

        sheet = load_workbook(BytesIO(exported.content)).active
        counts = [row[1] for row in sheet.iter_rows(min_row=2, values_only=True) if len(row) > 1]
        assert sum(c or 0 for c in counts) == 0


def test_a_hidden_column_cannot_be_grouped_by_and_the_tile_says_so(
    client, section, team, alice, charlie, ada, dashboard
):
    from tests.factories.registry import make_record

    make_record(section, alice)
    tile = _chart(ada, dashboard, section)
    ColumnRight.objects.create(
        section=section.name,
        field_name=tile.settings["group_by"],
        role=team.all_employees,
        access=ColumnRight.Access.HIDDEN,
    )

    page = login(client, charlie).get(reverse("analytics:tile", args=[tile.pk]))

    assert page.context["result"].template == "analytics/tiles/_problem.html"
    assert page.context["result"].chart is None

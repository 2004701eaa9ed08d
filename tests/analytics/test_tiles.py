"""Tiles computed in the database as the person looking at them: a chart grouped by stage or month with its
drill-down, a metric against the previous period, a gauge, a list, goals, the pipelines; a rep sees only what
they may see on the dashboard their manager shared; a crafted or outdated setting is refused or explained."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from activities.models import Activity
from crm.access import grants
from crm.access.models import ColumnRight, Level, RecordGrant
from crm.analytics import render
from crm.analytics.kinds import TileRequest
from crm.analytics.models import Goal
from crm.designer.models import FieldDefinition
from tests.factories.activities import ActivityFactory
from tests.factories.custom_sections import SiteVisitFactory

from .conftest import add_chart, add_tile, deal


def figures(tile, viewer, **page):
    return render.compute(tile, TileRequest(settings=tile.settings, viewer=viewer, **page), use_cache=False)


def test_a_chart_sums_the_amount_per_stage_and_links_each_bar_to_its_records(maria, shared_dashboard, deals):
    tile = add_chart(maria, shared_dashboard, function="sum", field="amount")

    result = figures(tile, maria)

    by_label = dict(zip(result.chart["labels"], result.chart["datasets"][0]["data"], strict=True))
    assert by_label == {"Qualification": 5300.0, "Closed won": 1000.0}
    link = result.chart["links"][result.chart["labels"].index("Closed won")]
    assert link.startswith(reverse("opportunities:list")) and f"stage={deals[2].stage_id}" in link


def test_the_drill_down_list_holds_exactly_the_records_of_the_bar(client, maria, shared_dashboard, deals):
    tile = add_chart(maria, shared_dashboard, chart_type="bar")
    link = figures(tile, maria).chart["links"][0]  # the largest: qualification, 3 deals

    client.force_login(maria)
    rows = client.get(link).context["rows"]

    assert sorted(r.pk for r in rows) == sorted(d.pk for d in deals if d.stage.code == "qualification")


def test_a_rep_sees_only_their_own_numbers_on_the_dashboard_their_manager_shared(
    maria, alice, shared_dashboard, deals, only_owners_read_records
):
    tile = add_tile(maria, shared_dashboard, "metric", section="opportunities", function="sum", field="amount")

    assert figures(tile, maria).context["value"] == "6,300.00"
    assert figures(tile, alice).context["value"] == "1,300.00"


def test_a_chart_by_month_counts_per_month_in_date_order_and_links_to_that_month(maria, shared_dashboard, team, alice):
    deal(alice, "10.00", close_date=datetime.date(2026, 1, 5))
    deal(alice, "20.00", close_date=datetime.date(2026, 1, 25))
    deal(alice, "30.00", close_date=datetime.date(2026, 3, 1))
    tile = add_chart(
        maria, shared_dashboard, group_by="close_date", chart_type="line", function_2="sum", field_2="amount"
    )

    result = figures(tile, maria)

    assert result.chart["labels"] == ["Jan 2026", "Mar 2026"]
    assert result.chart["datasets"][0]["data"] == [2, 1] and result.chart["datasets"][1]["data"] == [30.0, 30.0]
    assert "close_date__gte=2026-01-01&close_date__lt=2026-02-01" in result.chart["links"][0]


def test_a_count_beside_an_amount_is_drawn_on_an_axis_of_its_own(maria, shared_dashboard, deals):
    tile = add_chart(maria, shared_dashboard, function="sum", field="amount", function_2="count")

    datasets = figures(tile, maria).chart["datasets"]

    assert [(d["label"], d["axis"]) for d in datasets] == [("Sum of amount", "first"), ("Number of records", "second")]


def test_a_runtime_sections_custom_date_groups_by_month_and_each_bar_lists_its_records(client, maria, shared_dashboard):
    january = [SiteVisitFactory(owner=maria, custom={"visited_on": day}) for day in ("2026-01-05", "2026-01-30")]
    SiteVisitFactory(owner=maria, custom={"visited_on": "2026-03-01"})
    SiteVisitFactory(owner=maria)  # not visited yet
    tile = add_chart(maria, shared_dashboard, section="site_visits", group_by="custom__visited_on", step="month")

    result = figures(tile, maria)
    client.force_login(maria)
    rows = client.get(result.chart["links"][0]).context["rows"]

    assert result.chart["labels"] == ["Jan 2026", "Mar 2026", "No visited on"]
    assert result.chart["datasets"][0]["data"] == [2.0, 1.0, 1.0]
    assert sorted(row.pk for row in rows) == sorted(visit.pk for visit in january)


def test_a_custom_date_time_groups_by_the_day_where_the_user_is(client, maria, shared_dashboard, team, alice):
    FieldDefinition.objects.create(section="opportunities", code="demoed_at", label="Demoed at", kind="datetime")
    # 23:30 in UTC on the 4th is the 5th in Berlin
    late = deal(alice, "10.00", custom={"demoed_at": "2026-05-04T23:30:00+00:00"})
    deal(alice, "20.00", custom={"demoed_at": "2026-05-04T08:00:00+00:00"})
    tile = add_chart(maria, shared_dashboard, group_by="custom__demoed_at", step="day")

    with timezone.override("Europe/Berlin"):
        result = figures(tile, maria)
        client.force_login(maria)
        rows = client.get(result.chart["links"][1]).context["rows"]

    assert result.chart["labels"] == ["04 May 2026", "05 May 2026"]
    assert [row.pk for row in rows] == [late.pk]


def test_a_grouping_with_many_values_shows_the_top_ones_and_the_others(maria, shared_dashboard, team, alice):
    for amount in ("1.00", "2.00", "3.00", "4.00"):
        deal(alice, amount)  # each has an account of its own
    tile = add_chart(
        maria, shared_dashboard, function="sum", field="amount", group_by="owner", chart_type="pie", top="1"
    )
    per_account = add_chart(maria, shared_dashboard, section="contacts", group_by="owner", chart_type="pie", top="1")

    assert figures(tile, maria).chart["datasets"][0]["data"] == [10.0]
    assert figures(per_account, maria).context["empty"]


def test_others_adds_up_what_the_top_leaves_out(maria, shared_dashboard, deals):
    tile = add_chart(
        maria, shared_dashboard, function="sum", field="amount", group_by="owner", chart_type="doughnut", top="1"
    )

    result = figures(tile, maria)

    assert result.chart["labels"] == ["Bob Baker", "Others (1)"]
    assert result.chart["datasets"][0]["data"] == [5000.0, 1300.0]
    assert result.chart["links"][1] == ""  # "Others" is no list


def test_others_gives_the_minimum_and_maximum_of_the_groups_the_top_leaves_out(maria, shared_dashboard, deals, charlie):
    deal(charlie, "50.00")
    deal(charlie, "7000.00")
    tile = add_chart(
        maria,
        shared_dashboard,
        function="max",
        field="amount",
        function_2="min",
        field_2="amount",
        group_by="owner",
        chart_type="bar",
        top="1",
    )

    result = figures(tile, maria)

    assert result.chart["labels"] == ["Charlie Cole", "Others (2)"]
    # the largest deal among bob's and alice's, and the smallest
    assert [dataset["data"] for dataset in result.chart["datasets"]] == [[7000.0, 5000.0], [50.0, 100.0]]


def test_a_metric_compares_with_the_previous_period(maria, shared_dashboard, team, alice):
    now = timezone.now()
    this_month = deal(alice, "300.00")
    last_month = deal(alice, "200.00")
    previous = now.replace(day=1) - datetime.timedelta(days=3)
    type(this_month).objects.filter(pk=last_month.pk).update(created_at=previous)
    tile = add_tile(
        maria,
        shared_dashboard,
        "metric",
        section="opportunities",
        function="sum",
        field="amount",
        date_field="created_at",
        period="this_month",
    )

    result = figures(tile, maria)

    assert result.context["value"] == "300.00" and result.context["previous"] == "200.00"
    assert result.context["change"] == Decimal("50.0")
    assert "created_at__gte=" in result.context["url"]


def test_the_overdue_filter_counts_the_open_activities_due_before_now_and_drills_down_to_them(
    client, maria, alice, shared_dashboard
):
    two_days_ago = timezone.now() - datetime.timedelta(days=2)
    late = ActivityFactory(owner=alice, start=two_days_ago, due=two_days_ago + datetime.timedelta(hours=1))
    ActivityFactory(owner=alice, start=two_days_ago, status=Activity.Status.CANCELED)  # late, but no longer open
    ActivityFactory(owner=alice)  # due later today or tomorrow
    tile = add_tile(
        maria, shared_dashboard, "metric", section="activities", function="count", filters="owner=me&overdue=true"
    )

    result = figures(tile, alice)
    client.force_login(alice)
    rows = client.get(result.context["url"]).context["rows"]

    assert result.context["value"] == "1"
    assert [row.pk for row in rows] == [late.pk]


def test_a_gauge_places_the_value_on_its_scale(maria, shared_dashboard, deals):
    tile = add_tile(
        maria,
        shared_dashboard,
        "gauge",
        section="opportunities",
        function="count",
        minimum="0",
        maximum="8",
        bands="2:danger,6:warning,8:success",
    )

    result = figures(tile, maria)

    assert result.context["value"] == "4" and result.context["position"] == 50.0
    assert [band["colour"] for band in result.context["bands"]] == ["danger", "warning", "success"]


def test_a_list_shows_the_top_records_by_the_chosen_sort(maria, shared_dashboard, deals):
    tile = add_tile(
        maria,
        shared_dashboard,
        "list",
        section="opportunities",
        columns=["name", "amount"],
        sort="amount",
        descending="on",
        limit="2",
    )

    result = figures(tile, maria)

    assert [obj.pk for obj in result.context["objects"]] == [deals[3].pk, deals[2].pk]
    assert result.headers == ["Name", "Amount"]


def test_a_list_tile_shows_a_moment_as_the_sections_list_does_in_local_time(client, maria, shared_dashboard, settings):
    settings.TIME_ZONE = "Asia/Tokyo"
    due = datetime.datetime(2026, 11, 30, 1, 30, tzinfo=datetime.UTC)
    ActivityFactory(owner=maria, title="Call Nova", type="task", start=due - datetime.timedelta(hours=1), due=due)
    tile = add_tile(
        maria, shared_dashboard, "list", section="activities", columns=["title", "due"], sort="due", limit="5"
    )
    client.force_login(maria)

    shown = client.get(reverse("analytics:tile", args=[tile.pk])).content.decode()
    listed = client.get(reverse("activities:list")).content.decode()

    # 01:30 UTC is 10:30 in Tokyo, in the one short pattern of crm.core.formats (the section's list cell)
    assert "<td>11/30/2026 10:30 a.m.</td>" in shown and "<td>11/30/2026 10:30 a.m.</td>" in listed


def test_a_goal_shows_the_progress_of_its_owner_in_its_period(maria, alice, shared_dashboard, deals):
    today = timezone.localdate()
    Goal.objects.create(
        name="Won this year",
        section="opportunities",
        function="sum",
        field="amount",
        date_field="created_at",
        filters=f"stage={deals[2].stage_id}",
        owner=alice,
        period_start=today.replace(month=1, day=1),
        period_end=today.replace(year=today.year + 1, month=1, day=1),
        target=Decimal("4000.00"),
    )
    tile = add_tile(maria, shared_dashboard, "goal", scope="all")

    entry = figures(tile, alice).context["entries"][0]

    assert entry["value"] == "1,000.00" and entry["percent"] == 25.0


def test_the_pipeline_tiles_count_the_opportunities_by_stage(maria, shared_dashboard, deals):
    pipeline = add_tile(maria, shared_dashboard, "sales_pipeline", section="opportunities", period="this_year")
    full = add_tile(maria, shared_dashboard, "full_pipeline", section="opportunities", period="this_year")
    funnel = add_tile(maria, shared_dashboard, "lead_funnel", section="leads", period="this_year")

    result = figures(pipeline, maria)
    assert result.chart["labels"][0] == "Qualification" and result.chart["datasets"][0]["data"][0] == 4.0
    assert "stage=" in result.chart["links"][0]
    assert any(label.startswith("Lead: ") for label in figures(full, maria).chart["labels"])
    assert figures(funnel, maria).chart["datasets"][0]["data"][0] == 0.0


def test_a_hidden_column_cannot_be_summed_and_the_tile_says_so(maria, alice, team, shared_dashboard, deals):
    tile = add_chart(maria, shared_dashboard, function="sum", field="amount")
    ColumnRight.objects.create(
        section="opportunities", field_name="amount", role=team.all_employees, access=ColumnRight.Access.HIDDEN
    )

    result = figures(tile, alice)

    assert result.template == "analytics/tiles/_problem.html" and "Amount" in result.context["message"]
    assert result.chart is None and not result.rows


def test_a_crafted_setting_naming_an_unknown_or_hidden_field_is_refused(alice, team, bob):
    from crm.analytics import services

    dashboard = services.save_dashboard(user=alice, data={"name": "Mine", "sharing": "private"})
    ColumnRight.objects.create(
        section="opportunities", field_name="amount", role=team.all_employees, access=ColumnRight.Access.HIDDEN
    )
    base = {"section": "opportunities", "group_by": "stage", "step": "month", "chart_type": "column", "top": "5"}

    for crafted in (
        {"function": "sum", "field": "no_such_field"},
        {"function": "sum", "field": "amount"},
        {"function": "count", "group_by": "password"},
    ):
        with pytest.raises(ValidationError) as refused:
            add_chart(alice, dashboard, **{**base, **crafted})
        assert "no field of this section you may read" in " ".join(refused.value.messages)


def test_a_tile_whose_field_was_removed_says_so_and_the_rest_still_renders(client, maria, shared_dashboard, deals):
    broken = add_chart(maria, shared_dashboard)
    fine = add_tile(maria, shared_dashboard, "metric", section="opportunities", function="count")
    type(broken).objects.filter(pk=broken.pk).update(settings={**broken.settings, "group_by": "custom__gone"})
    client.force_login(maria)

    page = client.get(reverse("analytics:tile", args=[broken.pk])).content.decode()

    assert "This tile refers to a field that no longer exists." in page
    assert client.get(reverse("analytics:tile", args=[fine.pk])).context["value"] == "4"


def test_a_cached_tile_follows_a_change_of_rights(maria, alice, team, shared_dashboard, deals, record_rights):
    tile = add_tile(maria, shared_dashboard, "metric", section="opportunities", function="count")
    request = TileRequest(settings=tile.settings, viewer=alice)
    assert render.compute(tile, request).context["value"] == "4"

    record_rights("opportunities")  # a change of rules: a new rights version
    alice.refresh_from_db()

    assert render.compute(tile, TileRequest(settings=tile.settings, viewer=alice)).context["value"] == "3"


def test_a_record_shared_or_unshared_by_hand_renews_the_figures_cached_in_every_process(
    maria, alice, team, shared_dashboard, deals, record_rights, monkeypatch
):
    record_rights("opportunities")
    tile = add_tile(maria, shared_dashboard, "metric", section="opportunities", function="count")
    # as in another process than the one sharing: its own count of grant changes never moves
    monkeypatch.setattr(render, "local_epoch", lambda: (0, 0))

    def count_for_alice():
        alice.refresh_from_db()  # a new request: nothing kept on the user
        return render.compute(tile, TileRequest(settings=tile.settings, viewer=alice)).context["value"]

    assert count_for_alice() == "3"
    grant = grants.share_record(user=maria, obj=deals[3], level=Level.READ, grantee_user=alice)
    assert count_for_alice() == "4"
    grants.revoke_grant(user=maria, grant=grant, obj=deals[3])
    assert count_for_alice() == "3"
    RecordGrant.objects.create(  # by hand, as the Django admin does
        content_type=ContentType.objects.get_for_model(deals[3]), object_id=deals[3].pk, user=alice, level=Level.READ
    )
    assert count_for_alice() == "4"


def test_the_list_dashboards_view_follows_the_lists_filters(maria, shared_dashboard, deals):
    tile = add_tile(maria, shared_dashboard, "metric", section="opportunities", function="count")
    from django.http import QueryDict

    result = figures(tile, maria, page_section="opportunities", page_params=QueryDict(f"owner={deals[3].owner_id}"))

    assert result.context["value"] == "1"


def test_a_tile_on_a_record_page_reads_the_rows_of_that_record(maria, shared_dashboard, deals):
    tile = add_tile(maria, shared_dashboard, "metric", section="opportunities", function="sum", field="amount")

    result = figures(tile, maria, record=deals[3].account)

    assert result.context["value"] == "5,000.00"


def test_a_large_change_is_written_with_the_languages_grouping():
    from django.template.loader import render_to_string

    html = render_to_string(
        "analytics/tiles/_metric.html",
        {
            "value": "519,476.40",
            "label": "Sum of amount",
            "previous": "5,542.56",
            "previous_name": "last quarter",
            "change": Decimal("9272.5"),
            "url": "/",
            "warnings": [],
        },
    )

    assert "+9,272.5% on last quarter (5,542.56)" in " ".join(html.split())

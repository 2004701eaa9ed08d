"""A manager builds a dashboard in the browser (a chart, a metric, a list and a goal), drags and resizes its
tiles, clicks a bar and lands on the list of exactly those deals; a rep opens the dashboard the manager shared
and sees only their own numbers; the home page shows the dashboard chosen for the rep's role."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from crm.access.models import Membership, OperationRight, Role, SectionAccess
from crm.access.services import ensure_all_employees
from crm.analytics.models import Dashboard, Goal, Tile
from opportunities.models import Opportunity
from tests.browser.helpers import log_in
from tests.factories import UserFactory
from tests.factories.opportunities import OpportunityFactory, stage
from tests.factories.seeds import ensure_seeded


@pytest.fixture
def people(transactional_db):
    """maria manages Sales (and has the analytics setup right); alice is a rep of team A, bob of team B.
    Opportunities use record rights: a rep sees their own deals, the manager those of her teams."""
    ensure_seeded()
    ensure_all_employees()
    company = Role.objects.create(name="Company", kind=Role.Kind.ORGANISATION)
    sales = Role.objects.create(name="Sales", kind=Role.Kind.DIVISION, parent=company)
    managers = Role.objects.create(name="Sales managers", kind=Role.Kind.MANAGEMENT, parent=sales)
    team_a = Role.objects.create(name="Sales team A", kind=Role.Kind.DEPARTMENT, parent=sales)
    team_b = Role.objects.create(name="Sales team B", kind=Role.Kind.DEPARTMENT, parent=sales)
    maria = UserFactory(username="maria", first_name="Maria", last_name="Manning")
    alice = UserFactory(username="alice", first_name="Alice", last_name="Archer")
    bob = UserFactory(username="bob", first_name="Bob", last_name="Baker")
    Membership.objects.create(user=maria, role=managers)
    Membership.objects.create(user=alice, role=team_a)
    Membership.objects.create(user=bob, role=team_b)
    OperationRight.objects.create(operation="analytics_setup", role=managers, allowed=True, priority=10)
    SectionAccess.objects.create(section="opportunities", use_record_rights=True)
    for owner, amount, code in (
        (alice, "100.00", "qualification"),
        (alice, "300.00", "won"),
        (bob, "5000.00", "qualification"),
    ):
        record = OpportunityFactory(owner=owner, stage=stage(code))
        Opportunity.objects.filter(pk=record.pk).update(amount=Decimal(amount), amount_base=Decimal(amount))
    today = timezone.localdate()
    Goal.objects.create(
        name="Deals this year",
        section="opportunities",
        function="count",
        date_field="created_at",
        owner=alice,
        period_start=today.replace(month=1, day=1),
        period_end=today.replace(year=today.year + 1, month=1, day=1),
        target=Decimal("4"),
    )
    return {"maria": maria, "alice": alice, "bob": bob, "team_a": team_a}


def add_tile(page, kind: str, title: str, choices: dict[str, str | list[str]]) -> None:
    page.locator("#add-tile").click()
    page.locator(f'[data-add-kind="{kind}"]').click()
    form = page.locator("#tile-form")
    expect(form).to_be_visible()
    if form.locator("select[name=section]").count():
        form.locator("select[name=section]").select_option("opportunities")
        expect(page.locator("#tile-form select[name=section]")).to_have_value("opportunities")
        page.wait_for_load_state("networkidle")
    form = page.locator("#tile-form")
    form.locator("input[name=title]").fill(title)
    for name, value in choices.items():
        if isinstance(value, list):
            for each in value:
                form.locator(f'input[name="{name}"][value="{each}"]').check()
        else:
            form.locator(f"select[name={name}]").select_option(value)
    with page.expect_navigation():
        form.locator("#save-tile").click()
    expect(title_of(page, title)).to_be_visible()


def title_of(page, title: str):
    return page.locator("[data-tile-title]", has_text=re.compile(f"^{re.escape(title)}$"))


def tile_item(page, title: str):
    return page.locator(".grid-stack-item", has=title_of(page, title))


def test_a_manager_builds_a_dashboard_and_a_rep_sees_only_their_numbers(page, people):
    log_in(page, "maria")
    page.goto("/dashboards/")
    page.locator("#new-dashboard").click()
    page.get_by_label("Name").fill("Team sales")
    page.get_by_label("Sharing").select_option("company")
    page.locator("#save-dashboard").click()
    expect(page.locator("#dashboard-picker")).to_have_text("Team sales")

    add_tile(page, "chart", "Deals by stage", {"group_by": "stage", "chart_type": "column"})
    add_tile(page, "metric", "Deals", {})
    add_tile(page, "list", "Largest deals", {"columns": ["name", "amount"], "sort": "amount"})
    add_tile(page, "goal", "Goals", {"scope": "all"})
    assert Tile.objects.count() == 4
    expect(tile_item(page, "Deals").locator("[data-metric-value]")).to_have_text("3")
    expect(tile_item(page, "Goals").locator("[data-goal-figures]")).to_contain_text("2 of 4")

    # drag the metric by its header to the right, then widen it by its corner
    metric = tile_item(page, "Deals")
    header = metric.locator(".card-header")
    box = header.bounding_box()
    page.mouse.move(box["x"] + 20, box["y"] + box["height"] / 2)
    page.mouse.down()
    page.mouse.move(box["x"] + 600, box["y"] + box["height"] / 2, steps=12)
    page.mouse.up()
    expect(page.locator("[data-dashboard-grid]")).to_have_attribute("data-layout-saved", "1")
    moved = Tile.objects.get(title="Deals")
    assert moved.x > 0
    metric.hover()
    handle = metric.locator(".ui-resizable-se")
    corner = handle.bounding_box()
    page.mouse.move(corner["x"] + corner["width"] / 2, corner["y"] + corner["height"] / 2)
    page.mouse.down()
    page.mouse.move(corner["x"] + 200, corner["y"] + 120, steps=12)
    page.mouse.up()
    page.wait_for_timeout(500)
    resized = Tile.objects.get(title="Deals")
    assert (resized.width, resized.height) != (moved.width, moved.height)

    # a bar opens the list of exactly its deals
    canvas = tile_item(page, "Deals by stage").locator("canvas[data-chart-ready]")
    expect(canvas).to_be_visible()
    point = canvas.evaluate(
        "c => { const bar = window.Chart.getChart(c).getDatasetMeta(0).data[0];"
        " return {x: bar.x, y: (bar.y + bar.base) / 2}; }"
    )
    area = canvas.bounding_box()
    with page.expect_navigation():
        page.mouse.click(area["x"] + point["x"], area["y"] + point["y"])
    assert re.search(r"/opportunities/\?.*stage=\d+", page.url)
    expect(page.locator("#list-results tbody tr")).to_have_count(2)  # the two deals at Qualification

    # the rep opens the shared dashboard: her own two deals, not bob's
    page.context.clear_cookies()
    log_in(page, "alice")
    page.goto(Dashboard.objects.get(name="Team sales").get_absolute_url())
    expect(tile_item(page, "Deals").locator("[data-metric-value]")).to_have_text("2")
    expect(tile_item(page, "Largest deals").locator("tbody tr")).to_have_count(2)
    expect(page.locator("#add-tile")).to_have_count(0)  # a shared dashboard is changed by analytics setup only

    # the home page shows the dashboard chosen for her role
    Dashboard.objects.filter(name="Team sales").get().home_roles.add(people["team_a"])
    page.goto("/")
    expect(page.locator("#home-dashboard")).to_contain_text("Team sales")
    expect(page.locator("#home-dashboard [data-metric-value]")).to_have_text("2")

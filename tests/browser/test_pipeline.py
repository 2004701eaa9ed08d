"""A rep works the opportunity pipeline in a real browser: drags a deal from Qualification to Presentation and sees
the columns' counts follow; drags a closed-lost deal back and is refused, the card back in its column; opens the
pipeline analytics with its charts; and scrolls a long column to load its next cards."""

import re
from importlib import import_module

import pytest
from django.db.migrations import RunPython
from playwright.sync_api import expect

from opportunities import services
from opportunities.models import NeedType, Opportunity, OpportunityStage
from tests.browser.helpers import log_in
from tests.factories import AccountFactory, UserFactory
from tests.factories.customers import ensure_customer_lookups
from tests.factories.opportunities import OpportunityFactory, stage

#: the data migrations that seed what an opportunity needs: currencies, units and taxes; stages and need types
SEEDS = ("products.migrations.0002_seed", "opportunities.migrations.0002_seed")


def ensure_sales_lookups() -> None:
    """Seed the lookups again when a transactional test (a browser test) before has flushed the database."""
    if OpportunityStage.objects.exists():
        return
    from django.apps import apps

    for name in SEEDS:
        for operation in import_module(name).Migration.operations:
            if isinstance(operation, RunPython):
                operation.code(apps, None)


@pytest.fixture
def alice(transactional_db):
    ensure_customer_lookups()
    ensure_sales_lookups()
    return UserFactory(username="alice", first_name="Alice", last_name="Archer")


@pytest.fixture
def viewport() -> dict:
    """Wide enough for the eight stage columns side by side: a drag never scrolls the board."""
    return {"width": 2400, "height": 1000}


def deal(user, name: str) -> Opportunity:
    return services.create_opportunity(
        user=user,
        data={"name": name, "account": AccountFactory(owner=user), "need_type": NeedType.objects.first()},
    )


def column(page, code: str):
    stage = OpportunityStage.objects.get(code=code)
    return page.locator(f'.kanban-column[data-stage="{stage.pk}"]')


def test_a_rep_drags_a_deal_along_the_pipeline_and_cannot_reopen_a_lost_one(page, alice, expect_http_error):
    laptops = deal(alice, "Laptops for Northwind")
    deal(alice, "Tablets for Contoso")
    lost = deal(alice, "Printers for Fabrikam")
    services.move_to(
        user=alice, opportunity=lost, stage=OpportunityStage.objects.get(code="lost"), expected_version=lost.version
    )
    expect_http_error(422, "/move/")
    log_in(page)

    page.get_by_role("link", name="Opportunities", exact=True).click()
    page.get_by_role("link", name="Pipeline").click()
    qualification, presentation, closed_lost = (
        column(page, "qualification"),
        column(page, "presentation"),
        column(page, "lost"),
    )
    expect(qualification.locator("[data-count]")).to_have_text("2")
    expect(presentation.locator("[data-count]")).to_have_text("0")

    with page.expect_response(re.compile(r"/opportunities/pipeline/\?|/opportunities/pipeline/$")):  # the totals
        page.locator(".kanban-card", has_text="Laptops for Northwind").drag_to(presentation.locator(".kanban-cards"))
    expect(presentation.locator(".kanban-card", has_text="Laptops for Northwind")).to_be_visible()
    expect(presentation.locator("[data-count]")).to_have_text("1")
    expect(qualification.locator("[data-count]")).to_have_text("1")
    laptops.refresh_from_db()
    assert laptops.stage.code == "presentation"

    with page.expect_response(re.compile(r"/move/$")) as refused:
        page.locator(".kanban-card", has_text="Printers for Fabrikam").drag_to(qualification.locator(".kanban-cards"))
    assert refused.value.status == 422
    expect(page.get_by_role("alert")).to_contain_text("only an administrator can reopen")
    expect(closed_lost.locator(".kanban-card", has_text="Printers for Fabrikam")).to_be_visible()
    expect(qualification.locator(".kanban-card", has_text="Printers for Fabrikam")).to_have_count(0)
    expect(qualification.locator("[data-count]")).to_have_text("1")
    lost.refresh_from_db()
    assert lost.stage.code == "lost"

    page.get_by_role("link", name="Analytics").click()
    expect(page.locator("#funnel-table")).to_contain_text("Qualification")
    expect(page.locator("#funnel-table tr", has_text="Presentation").locator('[data-figure="reached"]')).to_have_text(
        "1"
    )
    page.wait_for_function("() => window.Chart && Chart.getChart(document.getElementById('funnel-chart'))")


def test_a_long_column_loads_its_next_cards_when_scrolled_to_its_end(page, alice):
    OpportunityFactory.create_batch(30, owner=alice, stage=stage("qualification"))
    log_in(page)

    page.goto("/opportunities/pipeline/")
    qualification = column(page, "qualification")
    expect(qualification.locator(".kanban-card")).to_have_count(25)
    expect(qualification.locator("[data-count]")).to_have_text("30")

    qualification.locator(".kanban-more").scroll_into_view_if_needed()

    expect(qualification.locator(".kanban-card")).to_have_count(30)
    expect(qualification.locator(".kanban-more")).to_have_count(0)


def test_a_rep_who_may_not_see_amounts_works_the_pipeline_by_counts(page, alice):
    from crm.access.models import ColumnRight
    from crm.access.services import ensure_all_employees

    deal(alice, "Servers for Tailspin")
    ColumnRight.objects.create(
        section="opportunities", field_name="amount", role=ensure_all_employees(), access=ColumnRight.Access.HIDDEN
    )
    log_in(page)

    page.goto("/opportunities/pipeline/")
    qualification, presentation = column(page, "qualification"), column(page, "presentation")
    expect(qualification.locator("[data-count]")).to_have_text("1")
    expect(page.locator("[data-total]")).to_have_count(0)
    expect(qualification.locator(".kanban-card-amount")).to_have_text("—")

    with page.expect_response(re.compile(r"/opportunities/pipeline/\?|/opportunities/pipeline/$")):  # the counts
        page.locator(".kanban-card", has_text="Servers for Tailspin").drag_to(presentation.locator(".kanban-cards"))
    expect(presentation.locator("[data-count]")).to_have_text("1")
    expect(qualification.locator("[data-count]")).to_have_text("0")

    page.get_by_role("link", name="Analytics").click()
    page.wait_for_function("() => window.Chart && Chart.getChart(document.getElementById('funnel-chart'))")
    expect(page.locator("#forecast-chart")).to_have_count(0)
    expect(page.locator('[data-figure="won-amount"]')).to_have_count(0)

"""The whole sale in a browser: a lead from quick entry through qualification (linking a similar contact),
distribution, handoff and Awaiting sale; then the opportunity made from it dragged across the kanban to Closed
won, with each stage's process tasks appearing in the action panel and closing when the stage is left."""

import re

import pytest
from playwright.sync_api import expect

from activities.models import Activity
from leads.models import Lead
from opportunities.models import OpportunityStage
from tests.browser.helpers import log_in
from tests.factories import ContactFactory, UserFactory
from tests.factories.seeds import ensure_seeded


@pytest.fixture
def alice(transactional_db):
    ensure_seeded()
    return UserFactory(username="alice", first_name="Alice", last_name="Archer", is_superuser=False)


@pytest.fixture
def viewport() -> dict:
    return {"width": 2400, "height": 1100}  # the eight stage columns side by side


def current_stage(page):
    return page.locator('.stage-step[aria-current="step"]')


def open_tasks(opportunity) -> set[str]:
    return set(
        Activity.objects.filter(connected_id=opportunity.pk, process_task__startswith="opportunities.")
        .open()
        .values_list("process_task", flat=True)
    )


@pytest.mark.slow
def test_a_lead_becomes_a_won_opportunity(page, alice):
    nina = ContactFactory(
        owner=alice, full_name="Nina Novak", given_name="", surname="", email="nina@northwind.example"
    )
    log_in(page)

    # quick entry
    page.get_by_role("link", name="Leads", exact=True).click()
    page.get_by_role("button", name="Actions").click()
    page.get_by_role("link", name="Quick entry").click()
    page.get_by_label("Customer need").fill("Laptops for the sales team")
    page.get_by_label("Contact name").fill("Nina Novak")
    page.get_by_label("Account name").fill("Northwind")
    page.get_by_label("Email").fill("nina@northwind.example")
    page.locator("#save-lead").click()
    expect(current_stage(page)).to_have_attribute("data-stage", "Qualification")
    expect(page.locator('#action-panel [data-process-task="leads.qualify"]')).to_be_visible()

    # qualification links the similar contact and creates the account
    page.locator('#action-panel [data-outcome="qualify"]').click()
    page.get_by_label("Contact").select_option(str(nina.pk))
    page.locator("#outcome-submit").click()
    expect(current_stage(page)).to_have_attribute("data-stage", "Nurturing")
    expect(page.locator('#action-panel [data-process-task="leads.qualify"]')).to_have_count(0)

    # distribution: the owner, then on to handoff
    page.locator('#action-panel [data-process-task="leads.distribute"] [data-outcome="handoff"]').click()
    page.get_by_label("Owner").select_option(str(alice.pk))
    page.locator("#outcome-submit").click()
    expect(current_stage(page)).to_have_attribute("data-stage", "Handoff to sales")
    handoff = page.locator('#action-panel [data-process-task="leads.handoff"]')
    expect(handoff).to_be_visible()

    # handoff: "Proceed to handoff" with the budget and the decision date -> Awaiting sale, opportunity made
    handoff.locator('[data-outcome="handoff"]').click()
    page.get_by_label("Budget, base currency").fill("25000")
    page.get_by_label("Decision date").fill("2027-01-31")
    page.get_by_label("Notes").fill("Budget approved by the CFO.")
    page.locator("#outcome-submit").click()
    expect(current_stage(page)).to_have_attribute("data-stage", "Awaiting sale")
    lead = Lead.objects.get()
    opportunity = lead.opportunity
    assert opportunity is not None
    assert (opportunity.contact_id, opportunity.owner_id, str(opportunity.budget)) == (nina.pk, alice.pk, "25000.00")
    assert open_tasks(opportunity) == {
        "opportunities.qualification.set_owner",
        "opportunities.qualification.assess_needs",
        "opportunities.qualification.prepare_presentation",
    }

    # the opportunity's page shows its first stage's tasks
    page.goto(opportunity.get_absolute_url())
    expect(current_stage(page)).to_have_attribute("data-stage", "Qualification")
    expect(page.locator("#action-panel")).to_contain_text("Prepare the presentation")

    # the kanban: across every open stage, then Closed won
    page.goto("/opportunities/pipeline/")
    card = page.locator(".kanban-card", has_text=opportunity.name)
    for code in ("presentation", "proposal", "contracting", "won"):
        stage = OpportunityStage.objects.get(code=code)
        target = page.locator(f'.kanban-column[data-stage="{stage.pk}"]')
        totals = re.compile(r"/opportunities/pipeline/(\?.*)?$")
        with page.expect_response(totals), page.expect_response(re.compile(r"/move/$")) as moved:
            card.drag_to(target.locator(".kanban-cards"))
        assert moved.value.status == 200
        expect(target.locator(".kanban-card", has_text=opportunity.name)).to_be_visible()
        opportunity.refresh_from_db()
        assert opportunity.stage.code == code
        tasks = open_tasks(opportunity)
        assert tasks and all(task.startswith(f"opportunities.{code}.") for task in tasks), tasks
        previous = Activity.objects.filter(connected_id=opportunity.pk, process_task__startswith="opportunities.")
        assert not previous.exclude(process_task__startswith=f"opportunities.{code}.").open().exists()

    # won: the lead is satisfied, and the opportunity cannot be dragged back by a rep
    lead.refresh_from_db()
    assert lead.stage == Lead.Stage.SATISFIED
    page.goto(opportunity.get_absolute_url())
    expect(current_stage(page)).to_have_attribute("data-stage", "Closed won")
    expect(page.locator("#stage-bar")).to_contain_text("only an administrator can reopen")

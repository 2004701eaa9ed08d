"""A rep works a lead in a real browser: quick entry from the list, qualification from the action panel picking
the similar contact offered, the stage bar moving the lead on, then the lead analytics with their charts."""

import pytest
from playwright.sync_api import expect

from leads.models import Lead
from tests.browser.helpers import log_in
from tests.factories import ContactFactory, UserFactory
from tests.factories.seeds import ensure_seeded


@pytest.fixture
def alice(transactional_db):
    ensure_seeded()  # the lookups (lead sources, communication types) a browser test before may have flushed
    return UserFactory(username="alice", first_name="Alice", last_name="Archer")


def test_a_rep_enters_a_lead_and_qualifies_it_with_the_similar_contact(page, alice):
    nina = ContactFactory(
        owner=alice, full_name="Nina Novak", given_name="", surname="", email="nina@northwind.example"
    )
    log_in(page)

    page.get_by_role("link", name="Leads", exact=True).click()
    page.get_by_role("button", name="Actions").click()
    page.get_by_role("link", name="Quick entry").click()
    page.get_by_label("Customer need").fill("Laptops for the sales team")
    page.get_by_label("Contact name").fill("Nina Novak")
    page.get_by_label("Account name").fill("Northwind")
    page.get_by_label("Email").fill("nina@northwind.example")
    page.locator("#save-lead").click()

    expect(page.locator("#record-title")).to_have_text("Northwind: Laptops for the sales team")
    expect(page.locator('.stage-step[aria-current="step"]')).to_have_attribute("data-stage", "Qualification")

    # the action panel's "Qualify…" asks which similar contact to link; the account is created
    page.locator('#action-panel [data-outcome="qualify"]').click()
    page.get_by_label("Contact").select_option(str(nina.pk))
    page.locator("#outcome-submit").click()

    expect(page.locator('.stage-step[aria-current="step"]')).to_have_attribute("data-stage", "Nurturing")
    expect(page.locator("#profile-contact")).to_contain_text("Nina Novak")
    expect(page.locator("#profile-account")).to_contain_text("Northwind")
    expect(page.locator('#action-panel [data-process-task="leads.distribute"]')).to_be_visible()
    # the header offers what the process does next (distribution), no second qualification
    expect(page.get_by_role("link", name="Qualify", exact=True)).to_have_count(0)
    expect(page.get_by_role("link", name="Distribute", exact=True)).to_be_visible()

    lead = Lead.objects.get()
    assert (lead.stage, lead.contact_id) == (Lead.Stage.NURTURING, nina.pk)

    # the analytics count it, and draw their charts without a console error
    page.goto("/leads/analytics/")
    expect(page.locator("#lead-totals")).to_contain_text("1 lead")
    expect(page.locator("#funnel")).to_contain_text("Nurturing")
    expect(page.locator('canvas[data-chart="funnel"]')).to_be_visible()


def test_the_stage_bar_hands_the_lead_off_with_the_five_results(page, alice):
    from leads import services

    lead = services.create_lead(user=alice, data={"need": "Servers", "account_name": "Contoso"})
    log_in(page)
    page.goto(lead.get_absolute_url())

    page.locator('.stage-step[data-stage="Handoff to sales"] button').click()

    expect(page.locator('.stage-step[aria-current="step"]')).to_have_attribute("data-stage", "Handoff to sales")
    task = page.locator('#action-panel [data-process-task="leads.handoff"]')
    for label in ("Proceed to order", "Proceed to handoff", "Back to distribution", "Rescheduled", "Not interested"):
        expect(task.get_by_text(label, exact=False).first).to_be_visible()
    assert Lead.objects.get().stage == Lead.Stage.HANDOFF

"""An administrator adds a business rule to opportunities (the amount at stake is required when the threat is
"Strong"): the form requires it live, the server refuses a save without it and an import row without it; the page
designer then hides a field and moves a group to a tab of its own."""

import re

import pytest
from playwright.sync_api import expect

from crm.designer.models import BusinessRule, FieldDefinition
from crm.imports.models import ImportJob
from opportunities.models import NeedType, Opportunity
from products.models import Currency
from tests.browser.helpers import log_in, workbook
from tests.factories import AccountFactory, OpportunityFactory, UserFactory
from tests.factories.seeds import ensure_seeded

pytestmark = pytest.mark.browser


@pytest.fixture
def ada(transactional_db):
    ensure_seeded()
    return UserFactory(username="ada", first_name="Ada", last_name="Admin", is_staff=True, is_superuser=True)


@pytest.fixture
def threat_fields(ada):
    FieldDefinition.objects.create(
        section="opportunities", code="threat", label="Threat", kind="choice", options=["Weak", "Strong"], position=1
    )
    FieldDefinition.objects.create(
        section="opportunities", code="at_stake", label="At stake", kind="decimal", position=2
    )


def test_a_rule_acts_in_the_form_on_the_server_and_in_imports(page, ada, threat_fields, expect_http_error):
    account = AccountFactory(owner=ada, name="Acme")
    deal = OpportunityFactory(owner=ada, account=account, name="Acme renewal")
    log_in(page, "ada")

    page.goto("/designer/sections/opportunities/")
    page.locator("#business-rules").click()
    page.locator("#new-rule").click()
    page.get_by_label("Name").fill("Stake of a strong threat")
    page.locator("#id_cond-0-field").select_option("custom__threat")
    page.locator("#id_cond-0-operator").select_option("equals")
    page.locator("#id_cond-0-value").fill("Strong")
    page.get_by_label("Action").select_option("required")
    page.locator("#id_target").select_option("custom__at_stake")
    page.locator("#save-rule").click()
    expect(page.locator("#rules")).to_contain_text("Stake of a strong threat")
    expect(page.locator("#rules")).to_contain_text("Threat equals Strong")
    assert BusinessRule.objects.get().target == "custom__at_stake"

    # live in the form: required once the threat is strong, and the browser says so before sending
    page.goto(f"/opportunities/{deal.pk}/edit/")
    stake = page.locator("#div_id_custom__at_stake")
    expect(stake).not_to_have_class(re.compile("rule-required"))
    page.get_by_label("Threat").select_option("Strong")
    expect(stake).to_have_class(re.compile("rule-required"))
    page.locator("#save-record").click()
    expect(stake.locator(".rule-feedback")).to_have_text("Required by the rule “Stake of a strong threat”.")
    assert page.url.endswith(f"/opportunities/{deal.pk}/edit/")

    # the server refuses it too (a form sent without the script's check)
    expect_http_error(422, f"/opportunities/{deal.pk}/edit/")
    page.evaluate("document.getElementById('record-form').submit()")
    expect(page.locator("#record-form")).to_contain_text("required by the rule “Stake of a strong threat”")
    assert Opportunity.objects.get(pk=deal.pk).custom == {}

    page.get_by_label("Threat").select_option("Strong")
    page.get_by_label("At stake").fill("2500")
    page.locator("#save-record").click()
    expect(page.locator('[data-field="custom__at_stake"]')).to_contain_text("2,500")
    assert Opportunity.objects.get(pk=deal.pk).custom == {"threat": "Strong", "at_stake": "2500.00"}

    # an import row without the amount is refused with the rule's name
    need, currency = NeedType.objects.order_by("position").first().name, Currency.objects.base().code
    header = ["Name", "Account", "Stage", "Need type", "Currency", "Threat", "At stake"]
    content = workbook(
        [
            header,
            ["Imported strong", "Acme", "Qualification", need, currency, "Strong", ""],
            ["Imported weak", "Acme", "Qualification", need, currency, "Weak", ""],
        ]
    )
    page.goto("/opportunities/")
    page.get_by_role("button", name="Actions").click()
    page.get_by_role("link", name="Import from Excel or CSV").click()
    page.locator('input[type="file"]').set_input_files(
        files=[{"name": "deals.xlsx", "mimeType": "application/octet-stream", "buffer": content}]
    )
    page.locator("#upload-submit").click()
    expect(page.get_by_role("heading", name=re.compile("Map the columns"))).to_be_visible()
    page.locator("#start-import").click()
    expect(page.locator("#import-status")).to_have_text("Completed")
    expect(page.locator("#count-created")).to_have_text("1")
    expect(page.locator("#count-refused")).to_have_text("1")
    expect(page.locator("body")).to_contain_text("required by the rule “Stake of a strong threat”")
    assert "Stake of a strong threat" in ImportJob.objects.get().refused_rows.get().reason


def test_the_page_designer_hides_a_field_and_moves_a_group_to_a_tab(page, ada):
    deal = OpportunityFactory(owner=ada, name="Acme renewal", description="Renewal of the 2025 contract")
    log_in(page, "ada")

    page.goto("/designer/sections/opportunities/")
    page.locator("#page-designer").click()
    page.get_by_label("Tab of BANT").fill("Qualification")
    page.get_by_label("Hide Manager's mood").check()
    expect(page.get_by_label("Hide Name", exact=True)).to_be_disabled()
    page.locator("#save-layout").click()
    expect(page.locator(".alert-success")).to_contain_text("is saved")
    page.screenshot(path="/tmp/rules-layout.png", full_page=True)

    page.goto(f"/opportunities/{deal.pk}/")
    page.locator('[data-tab="fields-qualification"]').click()
    expect(page.locator("#tab-content")).to_contain_text("Budget confirmed")
    expect(page.locator(".col-lg-4")).not_to_contain_text("Budget confirmed")
    page.screenshot(path="/tmp/rules-record.png", full_page=True)

    page.goto(f"/opportunities/{deal.pk}/edit/")
    expect(page.locator("#record-form")).to_contain_text("Qualification: BANT")
    expect(page.locator("#id_mood")).to_have_count(0)
    page.screenshot(path="/tmp/rules-form.png", full_page=True)


def test_a_rule_limits_what_a_lookup_offers_and_a_hidden_field_keeps_its_default(page, ada):
    from crm.designer import rules
    from crm.sections import registry

    AccountFactory(owner=ada, name="Acme Fabrics")
    AccountFactory(owner=ada, name="Globex Fabrics")
    opportunities = registry.get("opportunities")
    rules.save_rule(
        user=ada,
        section=opportunities,
        name="Proposals for Acme only",
        match="all",
        conditions=[{"field": "stage", "operator": "equals", "value": "Proposal"}],
        action="filter",
        target="account",
        values=["Acme Fabrics"],
    )
    rules.save_rule(
        user=ada,
        section=opportunities,
        name="No budget while qualifying",
        match="all",
        conditions=[{"field": "stage", "operator": "equals", "value": "Qualification"}],
        action="hide",
        target="budget",
    )
    log_in(page, "ada")

    page.goto("/opportunities/new/")
    page.locator("#id_name").fill("Fabric deal")
    page.locator("#id_need_type").select_option(index=1)
    page.locator("#id_currency").select_option(index=1)
    page.locator("#id_stage").select_option(label="Proposal")
    search, offered = page.locator("#id_account-search"), page.locator("#id_account").locator("xpath=..")
    search.fill("Fabrics")
    expect(offered.locator(".lookup-results")).to_contain_text("Acme Fabrics")
    expect(offered.locator(".lookup-results")).not_to_contain_text("Globex Fabrics")
    page.locator("#id_budget").fill("900")

    # back to qualifying: every account is offered again, and the budget is hidden with nothing in it
    page.locator("#id_stage").select_option(label="Qualification")
    search.fill("")
    search.fill("Fabrics")
    expect(offered.locator(".lookup-results")).to_contain_text("Globex Fabrics")
    offered.locator(".lookup-results button", has_text="Globex Fabrics").click()
    expect(page.locator("#div_id_budget")).to_be_hidden()
    expect(page.locator("#id_budget")).to_have_value("")
    page.screenshot(path="/tmp/rules-lookup-filter.png", full_page=True)
    page.locator("#save-record").click()

    expect(page.locator("h1")).to_contain_text("Fabric deal")
    deal = Opportunity.objects.get(name="Fabric deal")
    assert (deal.account.name, deal.budget) == ("Globex Fabrics", None)

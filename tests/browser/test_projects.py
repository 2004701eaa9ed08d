"""A rep turns a won opportunity into a project in a real browser: adds tasks and a subtask, gives a task its
resource, links two tasks by a dependency, drags the first one's summary bar in the Gantt chart and sees its
subtask and its successor move, moves the successor from the keyboard and hears its new dates, logs time on the
weekly timesheet, and finds the project's planned against actual hours and its margin."""

import datetime
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from crm.core.formats import short_date
from opportunities.models import Opportunity, OpportunityProduct
from projects.models import EmployeeRate, Project, ProjectTask, TimeEntry
from tests.browser.helpers import log_in
from tests.factories import ContactFactory, OpportunityFactory, ProductFactory, UserFactory
from tests.factories.opportunities import stage
from tests.factories.seeds import ensure_seeded

pytestmark = pytest.mark.browser

SCREENSHOTS = "/tmp/var-projects/screenshots"


@pytest.fixture
def alice(transactional_db):
    ensure_seeded()  # a transactional test before may have flushed what the data migrations seed
    return UserFactory(username="alice", first_name="Alice", last_name="Archer")


@pytest.fixture
def won(alice):
    opportunity = OpportunityFactory(owner=alice, name="Website relaunch", stage=stage("won"))
    Opportunity.objects.filter(pk=opportunity.pk).update(amount_base=Decimal("5000"))
    product = ProductFactory(owner=alice, name="Web design package")
    OpportunityProduct.objects.create(opportunity=opportunity, product=product, unit=product.unit, quantity=1, price=1)
    employee = ContactFactory(owner=alice, user=alice, given_name="Alice", surname="Archer")
    EmployeeRate.objects.create(
        contact=employee, kind=EmployeeRate.Kind.WAGE, amount=Decimal("50"), valid_from=datetime.date(2020, 1, 1)
    )
    return opportunity


def structure(page):
    return page.locator("#project-structure")


def add_task(page, name: str, under: str = "") -> None:
    if under:
        row = structure(page).locator("tbody tr", has=page.get_by_role("link", name=under, exact=True))
        row.locator("[data-add-under]").click()
    page.locator("#task-name").fill(name)
    page.locator("#task-add").click()
    expect(structure(page).get_by_text(f"“{name}” added.")).to_be_visible()


def test_a_won_opportunity_becomes_a_project_that_is_planned_scheduled_and_worked(page, alice, won, expect_http_error):
    log_in(page)
    page.goto(won.get_absolute_url())
    page.get_by_role("link", name="Create project").click()
    page.locator("#create-project").click()
    expect(page.locator("#record-title")).to_have_text("Website relaunch")
    project = Project.objects.get(opportunity=won)

    # the structure: the opportunity's product is the first task; two more, and a subtask
    expect(structure(page).get_by_role("link", name="Web design package")).to_be_visible()
    add_task(page, "Design")
    add_task(page, "Build")
    add_task(page, "Wireframes", under="Design")
    rows = structure(page).locator("tbody tr")
    expect(rows).to_have_count(4)
    expect(rows.nth(2)).to_contain_text("Wireframes")  # under Design, before Build
    page.screenshot(path=f"{SCREENSHOTS}/project-structure-1366.png", full_page=True)

    # Design's resource: the rep, 16 hours as analyst
    design = ProjectTask.objects.get(project=project, name="Design")
    page.goto(design.get_absolute_url())
    card = page.locator("#detail-resources")
    card.locator("[data-detail-add=resources]").click()
    card.get_by_label("Role").fill("Analyst")
    card.locator("input.lookup-input").fill("Archer")
    card.locator(".lookup-results button", has_text="Archer").first.click()
    card.get_by_label("Expected hours").fill("16")
    card.locator("[data-detail-save=resources]").click()
    expect(page.locator("#detail-resources tr[data-row]")).to_contain_text("Analyst")

    # Build follows Design
    build = ProjectTask.objects.get(project=project, name="Build")
    page.goto(build.get_absolute_url())
    card = page.locator("#detail-predecessors")
    card.locator("[data-detail-add=predecessors]").click()
    card.get_by_label("Predecessor").select_option(label="Design")
    card.locator("[data-detail-save=predecessors]").click()
    expect(page.locator("#detail-predecessors tr[data-row]")).to_contain_text("Design")
    design.refresh_from_db()
    build.refresh_from_db()
    assert build.start_date == design.due_date + datetime.timedelta(days=1)

    # the Gantt chart: Design's summary bar dragged two days later moves Wireframes with it and pushes Build
    page.goto(project.get_absolute_url())
    page.get_by_role("link", name="Gantt chart").click()
    page.get_by_role("button", name="Day", exact=True).click()
    bar = page.locator(f'g[data-task="{design.pk}"] rect.gantt-bar')
    expect(bar).to_be_visible()
    box = bar.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] / 2 + 26, box["y"] + box["height"] / 2, steps=4)
    page.mouse.move(box["x"] + box["width"] / 2 + 52, box["y"] + box["height"] / 2, steps=4)
    page.mouse.up()
    expect(page.locator("#gantt-message")).to_contain_text("“Design” moved with its subtasks: 3 tasks in all.")
    wireframes = ProjectTask.objects.get(project=project, name="Wireframes")
    assert ProjectTask.objects.get(pk=design.pk).start_date == design.start_date + datetime.timedelta(days=2)
    assert wireframes.start_date == design.start_date + datetime.timedelta(days=2)
    assert ProjectTask.objects.get(pk=build.pk).start_date == build.start_date + datetime.timedelta(days=2)
    page.screenshot(path=f"{SCREENSHOTS}/project-gantt-1366.png", full_page=True)

    # from the keyboard: Build's bar takes the focus; → moves it a day later, Shift+→ makes it end a day later
    build.refresh_from_db()
    day = datetime.timedelta(days=1)
    build_bar = page.locator(f'rect[data-bar="{build.pk}"]')
    build_bar.focus()
    page.keyboard.press("ArrowRight")
    live = page.locator("#gantt-live")
    expect(live).to_have_text(f"“Build” now runs from {build.start_date + day} to {build.due_date + day}.")
    expect(build_bar).to_be_focused()  # the chart was drawn again: the bar has the focus back
    page.keyboard.press("Shift+ArrowRight")
    expect(live).to_have_text(f"“Build” now runs from {build.start_date + day} to {build.due_date + 2 * day}.")
    moved = ProjectTask.objects.get(pk=build.pk)
    assert (moved.start_date, moved.due_date) == (build.start_date + day, build.due_date + 2 * day)
    assert moved.version == build.version + 2  # two saves, each through the version check
    # ← brings it back to the day after Design ends; one day more is refused, naming Design, and nothing moves
    page.keyboard.press("ArrowLeft")
    expect(live).to_have_text(f"“Build” now runs from {build.start_date} to {build.due_date + day}.")
    expect(build_bar).to_be_focused()
    expect_http_error(400, f"/projects/tasks/{build.pk}/reschedule/")
    page.keyboard.press("ArrowLeft")
    message = page.locator("#gantt-message")
    expect(message).to_contain_text(f"“Build” cannot start on {short_date(build.start_date - day)}")
    expect(message).to_contain_text("its predecessor “Design” ends on")
    assert ProjectTask.objects.get(pk=build.pk).start_date == build.start_date

    # the timesheet: three hours on Design on its first day
    design.refresh_from_db()
    monday = design.start_date - datetime.timedelta(days=design.start_date.weekday())
    page.goto(f"/projects/timesheet/?week={monday.isoformat()}")
    page.locator(f'input[name="h-{design.pk}-{design.start_date.weekday()}"]').fill("3")
    page.locator("#timesheet-save").click()
    expect(page.get_by_text("Timesheet saved (1 change).")).to_be_visible()
    assert TimeEntry.objects.get(task=design).hours == Decimal("3.00")

    # planned against actual, and the margin
    page.goto(project.get_absolute_url())
    footer = structure(page).locator("tfoot")
    expect(footer).to_contain_text("16")
    expect(footer).to_contain_text("3")
    page.get_by_role("tab", name="Financial indicators").click()
    margin = page.locator('#financial-indicators tr[data-indicator="5"]')
    expect(margin).to_contain_text("Margin")
    expect(margin).to_contain_text("4,200.00")  # 5,000 budgeted less 16 h at 50
    expect(margin).to_contain_text("-150.00")  # nothing received yet, 3 h at 50 spent

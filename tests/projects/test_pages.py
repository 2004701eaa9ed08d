"""The projects' pages answer, show what the services wrote, and read a project in a number of queries that does
not grow with its tasks."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from crm.core.formats import short_date
from projects.models import CashFlow, Project, TimeEntry
from projects.services import schedule, tree, work
from tests.factories import ContactFactory, EmployeeRateFactory, ProjectFactory, ResourceFactory
from tests.forms import form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def project(alice):
    project = ProjectFactory(owner=alice, name="Intranet relaunch")
    design = tree.add_task(user=alice, project=project, name="Design")
    build = tree.add_task(user=alice, project=project, name="Build")
    tree.add_task(user=alice, project=project, name="Wireframes", parent=design)
    schedule.add_dependency(user=alice, predecessor=design, successor=build)
    contact = ContactFactory(owner=alice, user=alice, given_name="Alice", surname="Archer")
    EmployeeRateFactory(contact=contact, amount=Decimal("40"))
    ResourceFactory(task=design, contact=contact, role="Analyst", planned_hours=Decimal("10"))
    work.recount_task(design)
    work.log_time(user=alice, task=design, day=design.start_date, hours="4")
    CashFlow.objects.create(project=project, amount=Decimal("2000"), status=CashFlow.Status.COMPLETED)
    return project


def tab(client, project, name):
    return client.get(reverse("projects:tab", args=[project.pk, name]))


def test_the_structure_tab_shows_the_tree_with_planned_and_actual_hours(alice_client, project):
    response = tab(alice_client, project, "project_tasks")
    text = response.content.decode()
    assert response.status_code == 200
    assert text.index("Design") < text.index("Wireframes") < text.index("Build")
    assert 'data-indent="1"' in text


def test_the_financial_tab_shows_revenue_labour_cost_and_margin(alice_client, project):
    text = tab(alice_client, project, "project_financials").content.decode()
    assert "2,000.00" in text  # revenue
    assert "160.00" in text  # 4 h at 40
    assert "1,840.00" in text  # margin


def test_the_resources_tab_lists_the_employee_with_their_wage(alice_client, project):
    text = tab(alice_client, project, "project_resources").content.decode()
    assert "Alice Archer" in text and "Analyst" in text and "40.00" in text


def test_adding_a_task_from_the_structure_tab_answers_the_tab_again(alice_client, project):
    response = alice_client.post(
        reverse("projects:task_add", args=[project.pk]), {"name": "Go live"}, HTTP_HX_REQUEST="true"
    )
    assert "Go live" in response.content.decode()
    assert project.tasks.filter(name="Go live").exists()


def test_a_refused_time_entry_says_why_and_saves_nothing(alice_client, project):
    task = project.tasks.get(name="Build")
    response = alice_client.post(
        reverse("projects:project_time", args=[project.pk]),
        {"task": task.pk, "day": task.start_date.isoformat(), "hours": "30"},
    )
    assert "more than a day has" in response.content.decode()
    assert not TimeEntry.objects.filter(task=task).exists()


def test_the_gantt_data_has_the_tasks_links_and_critical_path(alice_client, project):
    data = alice_client.get(reverse("projects:gantt_data", args=[project.pk])).json()
    names = [task["name"] for task in data["tasks"]]
    assert names == ["Design", "Wireframes", "Build"]
    assert len(data["links"]) == 1
    assert {task["name"] for task in data["tasks"] if task["critical"]} >= {"Build"}


def drag(client, task, *, start, due):
    """What the Gantt posts when a bar is dragged: the new dates and the version it was drawn with."""
    return client.post(
        reverse("projects:task_reschedule", args=[task.pk]),
        {"start": start.isoformat(), "due": due.isoformat(), "version": task.version},
    )


def test_dragging_a_bar_moves_its_successor(alice_client, project):
    # the subtask's end passes its summary's, so the summary's successor follows
    design, wireframes = project.tasks.get(name="Design"), project.tasks.get(name="Wireframes")
    response = drag(
        alice_client, wireframes, start=wireframes.start_date, due=design.due_date + datetime.timedelta(days=2)
    )
    assert response.status_code == 200
    moved = {task["id"] for task in response.json()["tasks"]}
    assert {project.tasks.get(name="Build").pk, design.pk} <= moved


def test_a_summary_bar_s_own_dates_are_refused_they_are_its_subtasks(alice_client, project):
    design = project.tasks.get(name="Design")
    response = drag(alice_client, design, start=design.start_date, due=design.due_date + datetime.timedelta(days=2))
    assert response.status_code == 400
    assert "“Design” has subtasks: its dates are theirs" in response.json()["message"]
    assert project.tasks.get(name="Design").due_date == design.due_date


def test_the_form_of_a_summary_task_shows_its_dates_without_taking_them(alice_client, project):
    design = project.tasks.get(name="Design")
    url = reverse("project_tasks:update", args=[design.pk])
    form = alice_client.get(url).context["form"]
    assert form.fields["start_date"].disabled and form.fields["due_date"].disabled
    assert "From its subtasks" in alice_client.get(url).content.decode()
    later = (design.start_date + datetime.timedelta(days=30)).isoformat()
    response = alice_client.post(url, form_data(alice_client, url, start_date=later, due_date=later, name="Design 2"))
    assert response.status_code == 302
    design.refresh_from_db()
    assert (design.name, design.start_date) == ("Design 2", project.tasks.get(name="Wireframes").start_date)


def test_dragging_a_bar_before_its_predecessor_ends_is_refused_and_says_which(alice_client, project):
    design, build = project.tasks.get(name="Design"), project.tasks.get(name="Build")
    response = drag(alice_client, build, start=design.start_date, due=build.due_date)
    assert response.status_code == 400
    assert f"its predecessor “Design” ends on {short_date(design.due_date)}" in response.json()["message"]
    assert project.tasks.get(name="Build").start_date == build.start_date


def test_a_stale_drag_is_answered_409_and_nothing_moves(alice_client, project):
    design = project.tasks.get(name="Design")
    response = alice_client.post(
        reverse("projects:task_reschedule", args=[design.pk]),
        {"start": design.start_date.isoformat(), "due": design.due_date.isoformat(), "version": design.version - 1},
    )
    assert response.status_code == 409
    assert "changed this task meanwhile" in response.json()["message"]


@pytest.mark.parametrize(
    "name", ["projects:gantt_list", "projects:timesheet", "projects:analytics", "projects:list", "project_tasks:list"]
)
def test_the_pages_answer(alice_client, project, name):
    assert alice_client.get(reverse(name)).status_code == 200


def test_the_record_pages_answer(alice_client, project):
    task = project.tasks.get(name="Design")
    assert alice_client.get(project.get_absolute_url()).status_code == 200
    assert alice_client.get(reverse("projects:gantt", args=[project.pk])).status_code == 200
    assert alice_client.get(task.get_absolute_url()).status_code == 200
    assert alice_client.get(reverse("project_tasks:tab", args=[task.pk, "task_time"])).status_code == 200
    assert alice_client.get(reverse("projects:task_shift", args=[task.pk])).status_code == 200
    assert alice_client.get(reverse("projects:copy", args=[project.pk])).status_code == 200


def test_the_timesheet_saves_a_week_of_cells(alice_client, project):
    design = project.tasks.get(name="Design")
    monday = design.start_date - datetime.timedelta(days=design.start_date.weekday())
    offset = (design.start_date - monday).days
    response = alice_client.post(
        reverse("projects:timesheet"), {"week": monday.isoformat(), f"h-{design.pk}-{offset}": "6"}
    )
    assert response.status_code == 302
    assert Project.objects.get(pk=project.pk).actual_hours == Decimal("6.00")


def test_a_predecessor_added_on_the_task_page_pushes_the_task(alice_client, alice):
    project = ProjectFactory(owner=alice)
    first = tree.add_task(user=alice, project=project, name="First")
    second = tree.add_task(user=alice, project=project, name="Second")
    url = reverse("project_tasks:detail_row_create", args=[second.pk, "predecessors"])
    data = {"detail-predecessors-predecessor": first.pk, "detail-predecessors-lag_days": "0"}
    response = alice_client.post(url, data, HTTP_HX_REQUEST="true")
    assert response.status_code == 200, response.content.decode()[:500]
    second.refresh_from_db()
    assert second.start_date == first.due_date + datetime.timedelta(days=1), response.content.decode()[:2000]


def test_a_summary_bar_moved_shifts_its_subtree_and_answers_the_new_versions(alice_client, project):
    design, wireframes = project.tasks.get(name="Design"), project.tasks.get(name="Wireframes")
    response = alice_client.post(
        reverse("projects:task_reschedule", args=[design.pk]), {"shift": "2", "version": design.version}
    )
    assert response.status_code == 200
    answered = {task["id"]: task for task in response.json()["tasks"]}
    assert response.json()["tasks"][0]["id"] == design.pk
    moved = project.tasks.get(pk=wireframes.pk)
    assert moved.start_date == wireframes.start_date + datetime.timedelta(days=2)
    assert answered[wireframes.pk]["version"] == moved.version == wireframes.version + 1
    assert project.tasks.get(name="Build").pk in answered  # pushed by its dependency on Design


def test_a_stale_summary_move_is_answered_409_and_nothing_moves(alice_client, project):
    design, wireframes = project.tasks.get(name="Design"), project.tasks.get(name="Wireframes")
    response = alice_client.post(
        reverse("projects:task_reschedule", args=[design.pk]), {"shift": "2", "version": design.version - 1}
    )
    assert response.status_code == 409
    assert project.tasks.get(pk=wireframes.pk).start_date == wireframes.start_date

"""The projects app's own endpoints (the Gantt and its data, a bar's drag, the tree's actions, time entries, cash
flows, copies, creation from other records) answer 404 for a project or task the user may not see, write nothing,
and never show another's project among several."""

import pytest
from django.urls import reverse

from projects.models import CashFlow, Project, ProjectTask, TimeEntry
from tests.factories import ProjectTaskFactory

pytestmark = pytest.mark.django_db

PROJECT_URLS = ["gantt", "gantt_data", "task_add", "project_time", "cash_flow_add", "copy"]
TASK_URLS = ["task_move", "task_parent", "task_time", "task_reschedule", "task_shift"]


@pytest.fixture
def alices_task(alice, record_rights):
    return ProjectTaskFactory(owner=alice)


def snapshot():
    return (
        list(
            ProjectTask.objects.values_list("pk", "name", "parent_id", "position", "start_date", "due_date", "version")
        ),
        list(Project.objects.values_list("pk", "version", "actual_hours")),
        TimeEntry.objects.count(),
        CashFlow.objects.count(),
    )


@pytest.mark.parametrize("name", PROJECT_URLS)
@pytest.mark.parametrize("method", ["get", "post"])
def test_another_users_project_answers_404(client, charlie, alices_task, name, method):
    client.force_login(charlie)
    before = snapshot()
    data = {
        "name": "x",
        "task": alices_task.pk,
        "day": "2026-01-05",
        "hours": "2",
        "amount": "5",
        "start": "2026-01-05",
    }
    response = getattr(client, method)(reverse(f"projects:{name}", args=[alices_task.project_id]), data)
    assert response.status_code in (404, 405)
    assert snapshot() == before


@pytest.mark.parametrize("name", TASK_URLS)
@pytest.mark.parametrize("method", ["get", "post"])
def test_another_users_task_answers_404(client, charlie, alices_task, name, method):
    client.force_login(charlie)
    before = snapshot()
    data = {"direction": "down", "parent": "", "version": alices_task.version, "day": "2026-01-05", "hours": "2"}
    data.update(start=alices_task.start_date.isoformat(), due=alices_task.due_date.isoformat(), days="3")
    response = getattr(client, method)(reverse(f"projects:{name}", args=[alices_task.pk]), data)
    assert response.status_code in (404, 405)
    assert snapshot() == before


def test_the_gantt_over_several_projects_shows_only_ones_own(client, alice, charlie, alices_task):
    own = ProjectTaskFactory(owner=charlie)
    client.force_login(charlie)
    data = client.get(reverse("projects:gantt_list_data")).json()
    assert [project["id"] for project in data["projects"]] == [own.project_id]
    assert [task["id"] for task in data["tasks"]] == [own.pk]


def test_the_owner_reaches_the_same_endpoints(client, alice, alices_task):
    client.force_login(alice)
    assert client.get(reverse("projects:gantt_data", args=[alices_task.project_id])).status_code == 200
    response = client.post(
        reverse("projects:task_time", args=[alices_task.pk]), {"day": alices_task.start_date.isoformat(), "hours": "2"}
    )
    assert response.status_code == 200
    assert TimeEntry.objects.filter(task=alices_task).count() == 1


def test_a_timesheet_cell_of_another_users_task_is_ignored(client, charlie, alices_task):
    client.force_login(charlie)
    client.post(reverse("projects:timesheet"), {"week": "2026-01-05", f"h-{alices_task.pk}-0": "3"})
    assert not TimeEntry.objects.exists()


def test_a_summary_bar_with_anothers_subtask_is_not_moved(client, alice, charlie, alices_task):
    others = ProjectTaskFactory(owner=charlie, project=alices_task.project, parent=alices_task)
    client.force_login(alice)
    before = snapshot()
    response = client.post(
        reverse("projects:task_reschedule", args=[alices_task.pk]), {"shift": "2", "version": alices_task.version}
    )
    assert response.status_code == 400 and "not yours" in response.json()["message"]
    assert snapshot() == before
    assert ProjectTask.objects.get(pk=others.pk).start_date == others.start_date

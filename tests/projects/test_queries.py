"""The Structure tab, the Gantt's data and the timesheet read a project in a number of queries that does not grow
with its tasks, their resources, dependencies or logged time."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from contacts.models import Contact
from projects.models import ProjectTask, TaskDependency, TimeEntry
from tests.factories import ContactFactory, ProjectFactory, ProjectTaskFactory, ResourceFactory

pytestmark = pytest.mark.django_db


def project_of(alice, size: int):
    project = ProjectFactory(owner=alice)
    contact = Contact.objects.filter(user=alice).first() or ContactFactory(owner=alice, user=alice)
    parent = None
    for index in range(size):
        task = ProjectTaskFactory(owner=alice, project=project, parent=parent if index % 3 else None)
        ResourceFactory(task=task, contact=contact)
        TimeEntry.objects.create(user=alice, task=task, day=task.start_date, hours=Decimal("1"))
        parent = task if index % 3 == 0 else parent
    tasks = list(ProjectTask.objects.filter(project=project, parent__isnull=True))
    links = [TaskDependency(predecessor=a, successor=b) for a, b in zip(tasks, tasks[1:], strict=False)]
    TaskDependency.objects.bulk_create(links)
    return project


def count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    "url_of",
    [
        lambda project: reverse("projects:tab", args=[project.pk, "project_tasks"]),
        lambda project: reverse("projects:gantt_data", args=[project.pk]),
        lambda project: reverse("projects:tab", args=[project.pk, "project_resources"]),
        lambda project: reverse("projects:tab", args=[project.pk, "project_financials"]),
        lambda project: reverse("projects:timesheet") + f"?week={datetime.date.today().isoformat()}",
    ],
    ids=["structure", "gantt", "resources", "financials", "timesheet"],
)
def test_the_query_count_does_not_grow_with_the_tasks(alice_client, alice, url_of):
    small, big = project_of(alice, 3), project_of(alice, 30)
    count(alice_client, url_of(small))  # warm the caches (rights, content types)
    # session and user, the access state, the project, its tasks, links or rows, and what each page adds: the same
    # whatever the size
    assert count(alice_client, url_of(big)) == count(alice_client, url_of(small))

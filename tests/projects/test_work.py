"""Logged work: time entries and completed activities add up to the task's, the resource's and the project's
actual hours in the same transaction; bad hours, completed projects and tasks one may not edit are refused."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from activities.models import Activity
from activities.services import create_activity, move_to
from projects.models import Project, ProjectTask, Resource, TimeEntry
from projects.services import work
from tests.factories import ContactFactory, ProjectTaskFactory, ResourceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def task(alice):
    task = ProjectTaskFactory(owner=alice)
    contact = ContactFactory(owner=alice, user=alice)
    ResourceFactory(task=task, contact=contact, planned_hours=Decimal("16"))
    work.recount_task(task)
    return task


def hours(task):
    task = ProjectTask.objects.get(pk=task.pk)
    project = Project.objects.get(pk=task.project_id)
    resource = Resource.objects.get(task=task)
    return task.actual_hours, resource.actual_hours, project.actual_hours


def test_logged_hours_add_up_to_the_task_the_resource_and_the_project(alice, task):
    work.log_time(user=alice, task=task, day=task.start_date, hours="1.5")
    work.log_time(user=alice, task=task, day=task.start_date, hours=Decimal("2"))
    assert hours(task) == (Decimal("3.50"), Decimal("3.50"), Decimal("3.50"))


def test_the_planned_hours_are_the_resources(alice, task):
    assert ProjectTask.objects.get(pk=task.pk).planned_hours == Decimal("16")
    assert Project.objects.get(pk=task.project_id).planned_hours == Decimal("16")


def test_automatic_completion_follows_the_hours(alice, task):
    Project.objects.filter(pk=task.project_id).update(completion_automatic=True)
    work.log_time(user=alice, task=task, day=task.start_date, hours="4")
    assert Project.objects.get(pk=task.project_id).completion == 25


def test_the_timesheet_cell_replaces_the_days_hours(alice, task):
    work.log_time(user=alice, task=task, day=task.start_date, hours="3")
    work.set_day_hours(user=alice, task=task, day=task.start_date, hours="5")
    assert hours(task)[0] == Decimal("5.00")
    work.set_day_hours(user=alice, task=task, day=task.start_date, hours="")
    assert hours(task) == (Decimal("0.00"), Decimal("0.00"), Decimal("0.00"))
    assert not TimeEntry.objects.exists()


def test_removing_an_entry_takes_its_hours_away(alice, task):
    entry = work.log_time(user=alice, task=task, day=task.start_date, hours="2")
    work.delete_entry(user=alice, entry=entry)
    assert hours(task)[0] == Decimal("0.00")


@pytest.mark.parametrize("bad", ["-1", "0", "25", "abc", "NaN"])
def test_negative_or_absurd_hours_are_refused(alice, task, bad):
    with pytest.raises(ValidationError):
        work.log_time(user=alice, task=task, day=task.start_date, hours=bad)
    assert not TimeEntry.objects.exists()


def test_more_than_24_hours_in_a_day_over_all_tasks_is_refused(alice, task):
    other = ProjectTaskFactory(owner=alice, project=task.project)
    work.log_time(user=alice, task=task, day=task.start_date, hours="20")
    with pytest.raises(ValidationError, match="24 hours in a day"):
        work.log_time(user=alice, task=other, day=task.start_date, hours="5")
    assert hours(task)[2] == Decimal("20.00")


def test_no_time_is_logged_on_a_completed_project(alice, task):
    Project.objects.filter(pk=task.project_id).update(status=Project.Status.COMPLETED)
    with pytest.raises(ValidationError, match="completed"):
        work.log_time(user=alice, task=task, day=task.start_date, hours="1")


def test_no_time_is_logged_on_a_task_one_may_not_edit(alice, charlie, task, record_rights):
    with pytest.raises(PermissionDenied):
        work.log_time(user=charlie, task=task, day=task.start_date, hours="1")
    assert not TimeEntry.objects.exists()


def test_a_completed_activity_connected_to_the_task_counts_with_its_duration(alice, task):
    start = datetime.datetime.combine(task.start_date, datetime.time(9), tzinfo=datetime.UTC)
    activity = create_activity(
        user=alice,
        data={
            "title": "Workshop",
            "type": Activity.Type.TASK,
            "start": start,
            "due": start + datetime.timedelta(minutes=90),
            "owner": alice,
        },
        connected_to=task,
    )
    assert hours(task)[0] == Decimal("0.00")  # not completed yet
    completed = Activity.Status.COMPLETED
    activity = move_to(user=alice, activity=activity, status=completed, expected_version=activity.version)
    assert hours(task) == (Decimal("1.50"), Decimal("1.50"), Decimal("1.50"))
    move_to(user=alice, activity=activity, status=Activity.Status.IN_PROGRESS, expected_version=activity.version)
    assert hours(task) == (Decimal("0.00"), Decimal("0.00"), Decimal("0.00"))

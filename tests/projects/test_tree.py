"""The task tree: adding root tasks and subtasks, reordering siblings, moving under another parent, no cycles."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from projects.models import ProjectTask
from projects.selectors import task_tree
from projects.services import tree
from tests.factories import ProjectFactory, ProjectTaskFactory

pytestmark = pytest.mark.django_db


def names(user, project):
    return [("  " * row.depth) + row.task.name for row in task_tree(user, project)]


def test_tasks_are_added_at_the_end_of_their_siblings_under_their_parent(alice):
    project = ProjectFactory(owner=alice)
    design = tree.add_task(user=alice, project=project, name="Design")
    tree.add_task(user=alice, project=project, name="Build")
    tree.add_task(user=alice, project=project, name="Wireframes", parent=design)
    tree.add_task(user=alice, project=project, name="Review", parent=design)
    assert names(alice, project) == ["Design", "  Wireframes", "  Review", "Build"]


def test_a_subtask_starts_when_its_parent_starts_and_the_duration_is_in_working_hours(alice):
    project = ProjectFactory(owner=alice)
    parent = tree.add_task(user=alice, project=project, name="Design")
    child = tree.add_task(user=alice, project=project, name="Wireframes", parent=parent)
    child.refresh_from_db()
    assert child.start_date == parent.start_date
    assert child.duration_hours > 0


def test_moving_up_and_down_swaps_a_task_with_its_neighbour(alice):
    project = ProjectFactory(owner=alice)
    first = tree.add_task(user=alice, project=project, name="First")
    tree.add_task(user=alice, project=project, name="Second")
    tree.move(user=alice, task=first, direction="down")
    assert names(alice, project) == ["Second", "First"]
    tree.move(user=alice, task=first, direction="up")
    assert names(alice, project) == ["First", "Second"]


def test_a_task_moves_under_another_parent_with_its_subtasks(alice):
    project = ProjectFactory(owner=alice)
    design = tree.add_task(user=alice, project=project, name="Design")
    build = tree.add_task(user=alice, project=project, name="Build")
    tree.add_task(user=alice, project=project, name="Code", parent=build)
    build.refresh_from_db()
    tree.move_to_parent(user=alice, task=build, parent=design, expected_version=build.version)
    assert names(alice, project) == ["Design", "  Build", "    Code"]


def test_a_task_cannot_go_under_its_own_subtask(alice):
    project = ProjectFactory(owner=alice)
    design = tree.add_task(user=alice, project=project, name="Design")
    child = tree.add_task(user=alice, project=project, name="Wireframes", parent=design)
    grandchild = tree.add_task(user=alice, project=project, name="Sketches", parent=child)
    design.refresh_from_db()
    with pytest.raises(ValidationError, match="one of its own subtasks"):
        tree.move_to_parent(user=alice, task=design, parent=grandchild, expected_version=design.version)
    assert ProjectTask.objects.get(pk=design.pk).parent_id is None


def test_a_parent_of_another_project_is_refused(alice):
    task = ProjectTaskFactory(owner=alice)
    other = ProjectTaskFactory(owner=alice)
    with pytest.raises(ValidationError, match="same project"):
        tree.move_to_parent(user=alice, task=task, parent=other, expected_version=task.version)


def test_a_task_dated_outside_its_project_is_refused(alice):
    project = ProjectFactory(owner=alice)
    with pytest.raises(ValidationError, match="after its project"):
        tree.add_task(
            user=alice,
            project=project,
            name="Too late",
            data={"due_date": project.due_date + datetime.timedelta(days=3)},
        )
    assert not ProjectTask.objects.filter(project=project).exists()


def test_only_who_may_edit_the_project_adds_to_its_structure(alice, charlie, record_rights):
    project = ProjectFactory(owner=alice)
    with pytest.raises(PermissionDenied):
        tree.add_task(user=charlie, project=project, name="Sneaky")

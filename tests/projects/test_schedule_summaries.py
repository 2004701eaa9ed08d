"""A summary task in the schedule, as the Gantt draws it: a dependency into it holds back every subtask, one from
it waits for its whole subtree; a subtask moved by hand obeys its summaries' predecessors; cycles through the tree
are refused; a push reads the project in a number of queries that does not grow with its tasks."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from crm.core.formats import short_date
from projects.models import ProjectTask, TaskDependency
from projects.services import schedule, tree
from tests.factories import ProjectFactory, ProjectTaskFactory

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def fresh(task):
    return ProjectTask.objects.get(pk=task.pk)


@pytest.fixture
def plan(alice):
    """Design (days 0-4) → Phase {Build 5-7 → Docs 8-9 (outside), Paint 9-10} → Test 11-12, in a 60-day project."""
    project = ProjectFactory(owner=alice, start_date=datetime.date(2026, 3, 2))

    def task(name, first, last, parent=None):
        dates = {"start_date": project.start_date + first * DAY, "due_date": project.start_date + last * DAY}
        return tree.add_task(user=alice, project=project, name=name, parent=parent, data=dates)

    design, phase = task("Design", 0, 4), task("Phase", 5, 10)
    build, paint = task("Build", 5, 7, parent=phase), task("Paint", 9, 10, parent=phase)
    docs, test = task("Docs", 8, 9), task("Test", 11, 12)
    schedule.add_dependency(user=alice, predecessor=design, successor=fresh(phase))
    schedule.add_dependency(user=alice, predecessor=fresh(build), successor=docs)
    schedule.add_dependency(user=alice, predecessor=fresh(phase), successor=test)
    return project, {name: fresh(row) for name, row in locals().items() if isinstance(row, ProjectTask)}


def day(project, number):
    return project.start_date + number * DAY


def dates(task):
    task = fresh(task)
    return task.start_date, task.due_date


def move(alice, task, start, due):
    task = fresh(task)
    return schedule.reschedule(user=alice, task=task, start=start, due=due, expected_version=task.version)


def test_pushing_a_predecessor_pushes_the_subtasks_of_its_summary_successor_and_theirs(alice, plan):
    project, tasks = plan
    _, result = move(alice, tasks["design"], day(project, 0), day(project, 8))
    # the subtasks may start on day 9: Build moves there keeping its 3 days, Paint already starts there
    assert dates(tasks["build"]) == (day(project, 9), day(project, 11))
    assert dates(tasks["paint"]) == (day(project, 9), day(project, 10))
    # then what follows them: Build's own successor, and the summary's, after its subtree's end
    assert dates(tasks["docs"]) == (day(project, 12), day(project, 13))
    assert dates(tasks["test"]) == (day(project, 12), day(project, 13))
    # the summary's own dates are its subtree's span again
    assert dates(tasks["phase"]) == (day(project, 9), day(project, 11))
    assert {task.name for task in result.moved} == {"Build", "Docs", "Test", "Phase"}


def test_a_subtask_moved_past_its_summarys_end_pushes_the_summarys_successor(alice, plan):
    project, tasks = plan
    move(alice, tasks["paint"], day(project, 9), day(project, 12))
    assert dates(tasks["test"]) == (day(project, 13), day(project, 14))
    assert dates(tasks["phase"]) == (day(project, 5), day(project, 12))


def test_a_subtask_moved_before_its_summarys_predecessor_ends_is_refused_naming_both(alice, plan):
    project, tasks = plan
    refusal = (
        f"“Build” cannot start on {short_date(day(project, 4))}: “Design”, the predecessor of its summary task "
        f"“Phase”, ends on {short_date(day(project, 4))}, so it can start on {short_date(day(project, 5))} at the "
        "earliest."
    )
    with pytest.raises(ValidationError) as error:
        move(alice, tasks["build"], day(project, 4), day(project, 7))
    assert error.value.message_dict == {"start_date": [refusal]}
    assert dates(tasks["build"]) == (day(project, 5), day(project, 7))
    assert dates(tasks["phase"]) == (day(project, 5), day(project, 10))


def test_shifting_a_summary_moves_its_subtree_together_compared_at_the_new_dates(alice, plan):
    """Stage holds Design: shifted later, it pushes the subtasks of Design's summary successor. Then Stage holds
    Phase too: shifted back, Build is compared with Design's new end, not its old one."""
    project, tasks = plan
    stage = tree.add_task(
        user=alice, project=project, name="Stage", data={"start_date": day(project, 0), "due_date": day(project, 4)}
    )
    design = fresh(tasks["design"])
    tree.move_to_parent(user=alice, task=design, parent=stage, expected_version=design.version)
    schedule.shift(user=alice, task=fresh(stage), days=3)
    assert dates(tasks["design"]) == (day(project, 3), day(project, 7))
    assert dates(tasks["build"]) == (day(project, 8), day(project, 10))
    assert dates(tasks["paint"]) == (day(project, 9), day(project, 10))

    phase = fresh(tasks["phase"])
    tree.move_to_parent(user=alice, task=phase, parent=stage, expected_version=phase.version)
    assert dates(stage) == (day(project, 3), day(project, 10))
    schedule.shift(user=alice, task=fresh(stage), days=-3)
    assert dates(tasks["design"]) == (day(project, 0), day(project, 4))
    assert dates(tasks["build"]) == (day(project, 5), day(project, 7))
    assert dates(tasks["paint"]) == (day(project, 6), day(project, 7))
    with pytest.raises(ValidationError, match="“Phase” cannot start on .*: its predecessor “Design” ends on"):
        schedule.shift(user=alice, task=fresh(tasks["phase"]), days=-1)
    assert dates(tasks["build"]) == (day(project, 5), day(project, 7))


def test_a_task_put_under_a_summary_obeys_the_summarys_predecessor(alice, plan):
    project, tasks = plan
    early = tree.add_task(
        user=alice, project=project, name="Sketch", data={"start_date": day(project, 2), "due_date": day(project, 3)}
    )
    with pytest.raises(ValidationError, match="“Design”, the predecessor of its summary task “Phase”, ends on"):
        tree.move_to_parent(user=alice, task=early, parent=fresh(tasks["phase"]), expected_version=early.version)
    assert fresh(early).parent_id is None


def test_a_link_into_a_grandparent_holds_its_grandchildren(alice, plan):
    """Design → Stage {Phase {Build, Paint}} → Review: both ends of the links reach two levels down."""
    project, tasks = plan
    TaskDependency.objects.filter(successor=tasks["phase"]).delete()
    stage = tree.add_task(
        user=alice, project=project, name="Stage", data={"start_date": day(project, 5), "due_date": day(project, 10)}
    )
    phase = fresh(tasks["phase"])
    tree.move_to_parent(user=alice, task=phase, parent=stage, expected_version=phase.version)
    review = tree.add_task(
        user=alice, project=project, name="Review", data={"start_date": day(project, 11), "due_date": day(project, 11)}
    )
    schedule.add_dependency(user=alice, predecessor=fresh(tasks["design"]), successor=fresh(stage))
    schedule.add_dependency(user=alice, predecessor=fresh(stage), successor=review)

    with pytest.raises(ValidationError, match="“Design”, the predecessor of its summary task “Stage”, ends on"):
        move(alice, tasks["build"], day(project, 3), day(project, 7))
    move(alice, tasks["design"], day(project, 0), day(project, 5))
    assert dates(tasks["build"]) == (day(project, 6), day(project, 8))
    assert dates(stage) == (day(project, 6), day(project, 10))
    move(alice, tasks["paint"], day(project, 9), day(project, 11))
    assert dates(review) == (day(project, 12), day(project, 12))
    assert dates(stage) == (day(project, 6), day(project, 11))


def test_a_cycle_through_the_tree_is_refused_and_inserted_directly_does_not_hang(alice, plan):
    """Build is in Phase, Phase → Test: Test → Build would make Build wait for itself."""
    project, tasks = plan
    with pytest.raises(ValidationError, match="cycle"):
        schedule.add_dependency(user=alice, predecessor=fresh(tasks["test"]), successor=fresh(tasks["build"]))
    assert not TaskDependency.objects.filter(predecessor=tasks["test"], successor=tasks["build"]).exists()

    TaskDependency.objects.create(predecessor=tasks["test"], successor=tasks["build"])
    with pytest.raises(ValidationError, match="form a cycle"):
        move(alice, tasks["test"], day(project, 12), day(project, 13))
    assert dates(tasks["test"]) == (day(project, 11), day(project, 12))
    move(alice, tasks["design"], day(project, 0), day(project, 3))  # outside the cycle: nothing to push


def chain_of_summaries(alice, count: int):
    """`count` summaries of two subtasks each (days 3k-3k+1 → 3k+2), every summary followed by the next."""
    project = ProjectFactory(owner=alice, start_date=datetime.date(2026, 3, 2))
    start = project.start_date
    summaries, last = [], None
    for number in range(count):
        first = start + 3 * number * DAY
        summary = ProjectTaskFactory(owner=alice, project=project, start_date=first, due_date=first + 2 * DAY)
        head = ProjectTaskFactory(owner=alice, project=project, parent=summary, start_date=first, due_date=first + DAY)
        last = ProjectTaskFactory(
            owner=alice, project=project, parent=summary, start_date=first + 2 * DAY, due_date=first + 2 * DAY
        )
        TaskDependency.objects.create(predecessor=head, successor=last)
        summaries.append((summary, head))
    for (before, _), (after, _) in zip(summaries, summaries[1:], strict=False):
        TaskDependency.objects.create(predecessor=before, successor=after)
    return project, summaries[0][1], last


@pytest.mark.parametrize("count", [2, 12])
def test_the_query_count_of_a_push_does_not_grow_with_the_tasks(alice, django_assert_num_queries, count):
    project, head, last = chain_of_summaries(alice, count)
    head.due_date += DAY
    head.save(update_fields=["due_date"])
    # the project's links, its tasks, one update of every task pushed (all of them: the chain is tight)
    with django_assert_num_queries(3):
        result = schedule.propagate(project=project, changed={head.pk: head})
    assert len(result.moved) == 3 * count - 1
    assert fresh(last).start_date == project.start_date + (3 * count) * DAY


def test_the_migration_gives_summaries_saved_with_dates_of_their_own_their_subtrees_span(alice, plan):
    from importlib import import_module

    from django.apps import apps

    project, tasks = plan
    # as a plan saved before summaries followed their subtasks: Phase (days 5-10 from Build 5-7, Paint 9-10) kept
    # dates of its own, and a deeper level under Paint
    nested = ProjectTaskFactory(project=project, parent=tasks["paint"], owner=alice, start_date=day(project, 9))
    ProjectTask.objects.filter(pk=nested.pk).update(due_date=day(project, 14))
    ProjectTask.objects.filter(pk__in=[tasks["phase"].pk, tasks["paint"].pk]).update(
        start_date=day(project, 1), due_date=day(project, 2)
    )
    design = dates(tasks["design"])

    import_module("projects.migrations.0004_summary_dates_from_subtasks").span_summaries(apps, None)

    assert dates(tasks["paint"]) == (day(project, 9), day(project, 14))
    assert dates(tasks["phase"]) == (day(project, 5), day(project, 14))
    assert dates(tasks["design"]) == design  # a task without subtasks keeps its own

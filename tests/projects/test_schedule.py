"""Dates and dependencies: a moved task pushes its successors, a push past the project's due date is refused, one
past a deadline is said; cycles are refused; "Shift timeframe" moves a task with its subtasks."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from crm.core.formats import short_date
from crm.sections import registry
from crm.sections.services import StaleRecordError, update_record
from projects.gantt import critical_path, gantt_data
from projects.models import ProjectTask, TaskDependency
from projects.services import schedule, tree
from tests.factories import ProjectFactory

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


@pytest.fixture
def plan(alice):
    """Design (days 0-4) → Build (days 5-9) → Test (days 10-11), in a 60-day project."""
    project = ProjectFactory(owner=alice, start_date=datetime.date(2026, 3, 2))
    start = project.start_date
    design = tree.add_task(
        user=alice, project=project, name="Design", data={"start_date": start, "due_date": start + 4 * DAY}
    )
    build = tree.add_task(
        user=alice, project=project, name="Build", data={"start_date": start + 5 * DAY, "due_date": start + 9 * DAY}
    )
    test = tree.add_task(
        user=alice, project=project, name="Test", data={"start_date": start + 10 * DAY, "due_date": start + 11 * DAY}
    )
    schedule.add_dependency(user=alice, predecessor=design, successor=build)
    schedule.add_dependency(user=alice, predecessor=build, successor=test)
    return project, design, build, test


def fresh(task):
    return ProjectTask.objects.get(pk=task.pk)


def test_moving_a_task_pushes_what_depends_on_it_keeping_their_length(alice, plan):
    project, design, build, test = plan
    design = fresh(design)
    saved, result = schedule.reschedule(
        user=alice, task=design, start=design.start_date, due=design.due_date + 3 * DAY, expected_version=design.version
    )
    assert fresh(build).start_date == saved.due_date + DAY
    assert fresh(build).due_date - fresh(build).start_date == 4 * DAY
    assert fresh(test).start_date == fresh(build).due_date + DAY
    assert {task.pk for task in result.moved} == {build.pk, test.pk}


def test_a_lag_leaves_days_between_the_tasks(alice, plan):
    project, design, build, test = plan
    link = TaskDependency.objects.get(predecessor=design, successor=build)
    schedule.add_dependency(user=alice, predecessor=design, successor=fresh(build), lag_days=2, dependency=link)
    assert fresh(build).start_date == fresh(design).due_date + 3 * DAY


def test_moving_a_task_earlier_leaves_its_successors_where_they_are(alice, plan):
    project, design, build, test = plan
    design = fresh(design)
    before = fresh(build).start_date
    schedule.reschedule(
        user=alice, task=design, start=design.start_date, due=design.due_date - DAY, expected_version=design.version
    )
    assert fresh(build).start_date == before


def test_a_task_moved_to_start_before_its_predecessor_ends_is_refused_naming_it(alice, plan):
    project, design, build, test = plan
    build = fresh(build)
    refusal = (
        f"“Build” cannot start on {short_date(design.due_date)}: its predecessor “Design” ends on "
        f"{short_date(design.due_date)}, so it can start on {short_date(design.due_date + DAY)} at the earliest."
    )
    with pytest.raises(ValidationError) as error:
        schedule.reschedule(
            user=alice, task=build, start=design.due_date, due=build.due_date, expected_version=build.version
        )
    assert error.value.message_dict == {"start_date": [refusal]}
    assert fresh(build).start_date == build.start_date


def test_the_form_and_shift_timeframe_obey_the_predecessor_too_lag_included(alice, plan):
    project, design, build, test = plan
    link = TaskDependency.objects.get(predecessor=design, successor=build)
    schedule.add_dependency(user=alice, predecessor=design, successor=fresh(build), lag_days=2, dependency=link)
    build = fresh(build)
    with pytest.raises(ValidationError, match=r"“Design” ends on .* \(and a lag of 2 day\(s\) follows\)"):
        update_record(
            section=registry.get("project_tasks"),
            user=alice,
            obj=build,
            data={"start_date": build.start_date - DAY},
            expected_version=build.version,
        )
    test = fresh(test)  # pushed by the lag
    with pytest.raises(ValidationError, match="its predecessor “Build” ends on"):
        schedule.shift(user=alice, task=test, days=-1)
    assert fresh(test).start_date == test.start_date
    schedule.shift(user=alice, task=fresh(test), days=1)  # later is always allowed


def test_moving_a_task_later_within_its_predecessors_end_is_allowed(alice, plan):
    project, design, build, test = plan
    build = fresh(build)
    saved, _ = schedule.reschedule(
        user=alice, task=build, start=build.start_date + DAY, due=build.due_date, expected_version=build.version
    )
    assert saved.start_date == build.start_date + DAY


def test_a_push_past_the_projects_due_date_is_refused_and_nothing_moves(alice, plan):
    project, design, build, test = plan
    design = fresh(design)
    late = project.due_date - 2 * DAY
    refusal = r"“Build” would be pushed by its dependencies to end on .*3 day\(s\) after the project.s due date"
    with pytest.raises(ValidationError, match=refusal):
        schedule.reschedule(user=alice, task=design, start=design.start_date, due=late, expected_version=design.version)
    assert fresh(design).due_date == design.due_date
    assert fresh(test).start_date == test.start_date


def test_a_push_past_a_deadline_says_which_task_and_by_how_much(alice, plan):
    project, design, build, test = plan
    ProjectTask.objects.filter(pk=test.pk).update(deadline=test.due_date)
    design = fresh(design)
    _, result = schedule.reschedule(
        user=alice, task=design, start=design.start_date, due=design.due_date + 2 * DAY, expected_version=design.version
    )
    assert any("“Test” now ends on" in text and "2 day(s) after its deadline" in text for text in result.messages)


def test_a_stale_move_is_refused(alice, plan):
    project, design, build, test = plan
    with pytest.raises(StaleRecordError):
        schedule.reschedule(user=alice, task=design, start=design.start_date, due=design.due_date, expected_version=0)


def test_a_dependency_cycle_is_refused(alice, plan):
    project, design, build, test = plan
    with pytest.raises(ValidationError, match="cycle"):
        schedule.add_dependency(user=alice, predecessor=test, successor=design)
    assert not TaskDependency.objects.filter(predecessor=test, successor=design).exists()


def test_a_task_cannot_depend_on_itself_or_its_parent(alice, plan):
    project, design, build, test = plan
    child = tree.add_task(user=alice, project=project, name="Wireframes", parent=design)
    with pytest.raises(ValidationError, match="itself"):
        schedule.add_dependency(user=alice, predecessor=design, successor=design)
    with pytest.raises(ValidationError, match="parent or subtask"):
        schedule.add_dependency(user=alice, predecessor=design, successor=child)


def test_an_absurd_lag_is_refused(alice, plan):
    project, design, build, test = plan
    with pytest.raises(ValidationError, match="lag"):
        schedule.add_dependency(user=alice, predecessor=design, successor=test, lag_days=5000)


def test_shifting_a_task_moves_its_subtasks_and_successors(alice, plan):
    project, design, build, test = plan
    child = tree.add_task(user=alice, project=project, name="Wireframes", parent=design)
    child_start = fresh(child).start_date
    schedule.shift(user=alice, task=fresh(design), days=3)
    assert fresh(design).start_date == design.start_date + 3 * DAY
    assert fresh(child).start_date == child_start + 3 * DAY
    assert fresh(build).start_date == fresh(design).due_date + DAY


def test_shifting_before_the_project_starts_is_refused(alice, plan):
    project, design, build, test = plan
    with pytest.raises(ValidationError, match="before the project starts"):
        schedule.shift(user=alice, task=fresh(design), days=-1)


def by_name(data) -> dict:
    return {task["name"]: task for task in data["tasks"]}


def test_the_critical_path_is_the_whole_chain_that_decides_the_end_lags_included(alice, plan):
    """Design 0-4 → Build 5-9 → Test 10-11 → (lag 2) Review 14-15 ends last: all four have no float. Docs 3-5
    → (lag 2) Test could finish 2 days later (5 + 1 + 2 = 8 < 10) and Side 0-1 leads nowhere: not critical."""
    project, design, build, test = plan
    start = project.start_date

    def task(name, first, last):
        dates = {"start_date": start + first * DAY, "due_date": start + last * DAY}
        return tree.add_task(user=alice, project=project, name=name, data=dates)

    review, docs = task("Review", 14, 15), task("Docs", 3, 5)
    task("Side", 0, 1)
    schedule.add_dependency(user=alice, predecessor=fresh(test), successor=review, lag_days=2)
    schedule.add_dependency(user=alice, predecessor=docs, successor=fresh(test), lag_days=2)
    critical = {name for name, row in by_name(gantt_data(alice, [project])).items() if row["critical"]}
    assert critical == {"Design", "Build", "Test", "Review"}
    assert fresh(review).start_date == start + 14 * DAY  # nothing was pushed: the chain was already tight


def test_a_weekend_between_two_tasks_is_no_float(alice):
    """Analysis Monday-Friday → Development the next Monday-Friday: nobody works the weekend between them, so
    both are critical; Notes (Monday-Wednesday of the second week) may slip two working days."""
    monday = datetime.date(2026, 3, 2)
    project = ProjectFactory(owner=alice, start_date=monday)

    def task(name, first, last):
        dates = {"start_date": monday + first * DAY, "due_date": monday + last * DAY}
        return tree.add_task(user=alice, project=project, name=name, data=dates)

    analysis, development = task("Analysis", 0, 4), task("Development", 7, 11)
    task("Notes", 7, 9)
    schedule.add_dependency(user=alice, predecessor=analysis, successor=development)
    critical = {name for name, row in by_name(gantt_data(alice, [project])).items() if row["critical"]}
    assert critical == {"Analysis", "Development"}


def test_a_gap_in_a_chain_gives_the_tasks_before_it_float():
    # days: A 0-2 → B 5-6 (B could start on day 3: A has 2 days of float); C 0-6 ends with B
    spans = {1: (0, 2), 2: (5, 6), 3: (0, 6)}
    assert critical_path(spans, [(1, 2, 0)]) == {2, 3}
    # with a lag of 2, A's finish (2) + 1 + 2 = 5 is B's start: the whole chain is critical
    assert critical_path(spans, [(1, 2, 2)]) == {1, 2, 3}


def test_a_summary_bar_spans_its_subtree_and_is_critical_with_it(alice, plan):
    project, design, build, test = plan
    phase = tree.add_task(
        user=alice,
        project=project,
        name="Phase",
        data={"start_date": project.start_date + 20 * DAY, "due_date": project.start_date + 21 * DAY},
    )
    for name in ("Design", "Build"):
        task = ProjectTask.objects.get(project=project, name=name)
        tree.move_to_parent(user=alice, task=task, parent=phase, expected_version=task.version)
    rows = by_name(gantt_data(alice, [project]))
    assert rows["Phase"]["summary"] and not rows["Design"]["summary"]
    # its own dates (days 20-21) give way to its subtree's: Design's start .. Build's due
    assert (rows["Phase"]["start"], rows["Phase"]["due"]) == (rows["Design"]["start"], rows["Build"]["due"])
    assert rows["Phase"]["critical"] and rows["Test"]["critical"]


def test_a_dependency_on_a_summary_task_holds_all_its_subtasks():
    # Phase (1) holds A 0-2 and B 0-4; Phase → C 5-6. B's finish (4) + 1 is C's start: B is critical, and so is
    # Phase through it; A could finish 2 days later (float 2)
    spans = {1: (0, 4), 2: (0, 2), 3: (0, 4), 4: (5, 6)}
    parents = {2: 1, 3: 1}
    assert critical_path(spans, [(1, 4, 0)], parents) == {1, 3, 4}
    # C → Phase: the subtasks wait for C; with C on days 0-1 and A, B from day 2, the chain is C, B, Phase
    spans = {1: (2, 6), 2: (2, 4), 3: (2, 6), 4: (0, 1)}
    assert critical_path(spans, [(4, 1, 0)], parents) == {1, 3, 4}

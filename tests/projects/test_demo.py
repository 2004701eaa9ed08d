"""The demo projects: three in different states, with tasks, resources, logged time and cash flows."""

import random

import pytest

from crm.access import demo as access_demo
from crm.core import demo
from projects import demo as projects_demo
from projects.models import Project, TimeEntry
from projects.selectors import financials


@pytest.fixture
def context(db):
    from accounts import demo as accounts_demo
    from activities import demo as activities_demo
    from contacts import demo as contacts_demo
    from opportunities import demo as opportunities_demo
    from products import demo as products_demo

    context = demo.DemoContext(users=demo.ensure_users(), rng=random.Random(2026))
    for module in (access_demo, accounts_demo, products_demo, contacts_demo, activities_demo, opportunities_demo):
        module.seed(context)
    return context


@pytest.mark.slow
def test_the_demo_has_three_projects_in_different_states_with_work_logged(context):
    projects_demo.seed(context)
    projects = list(Project.objects.filter(custom__demo="projects"))
    assert sorted(p.status for p in projects) == ["completed", "in_progress", "planned"]
    running = next(p for p in projects if p.status == "in_progress")
    assert running.tasks.filter(parent__isnull=False).exists()
    assert running.actual_hours > 0 and running.planned_hours > running.actual_hours
    assert TimeEntry.objects.filter(task__project=running).exists()
    assert financials([running])[running.pk].margin.planned > 0
    assert projects_demo.already_seeded(context)

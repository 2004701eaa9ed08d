"""Benchmark: a project of 5,000 tasks in 6 levels with 50,000 time entries.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/crm_projects_bench python bench/projects.py [--tasks 5000]
                                                                             [--entries 50000] [--runs 7] [--reuse]

It uses the database of DATABASE_URL (SQLite under var/ when unset; a PostgreSQL database that does not exist is
created) and refuses one that already holds project tasks unless --reuse is given. It migrates, seeds the demo
users and roles, and bulk-inserts the big project (each task with a resource, siblings chained by dependencies,
alice a resource of 200 of its tasks), a small one of 50 tasks with the same shape, and the time entries.

Then, timed alternately with a baseline that does the least the same answer needs (the bare rows, a bare
insert), once to warm up and --runs times:
- the Structure tab of the big and the small project (the query count must not grow with the tasks);
- the Gantt's data of both;
- logging an hour (the entry and the task's, resource's and project's totals, in one transaction);
- alice's timesheet (200 tasks) as a page.
It prints medians and SQL query counts. It is a benchmark: it asserts nothing.
"""

from __future__ import annotations

import argparse
import datetime
import random
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from pipeline import ensure_database  # noqa: E402 - bench/pipeline.py, next to this file
from run import manage, setup_django  # noqa: E402

LEVELS = 6
BIG, SMALL = "Bench project (big)", "Bench project (small)"


def task_count() -> int:
    from django.db import connection

    if "projects_projecttask" not in connection.introspection.table_names():
        return 0
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM projects_projecttask")
        return cursor.fetchone()[0]


def build_project(name: str, tasks: int, users: dict, contacts: dict, mine: int):
    """A project of `tasks` tasks in LEVELS levels (each level about twice the one above), bulk-inserted."""
    from accounts.models import Account
    from projects.models import Project, ProjectTask, ProjectType, Resource, TaskDependency

    admin = users["admin"]
    start = datetime.date.today() - datetime.timedelta(days=120)
    account = Account.objects.order_by("pk").first() or Account.objects.create(name="Bench customer", owner=admin)
    project = Project.objects.create(
        name=name,
        type=ProjectType.objects.get(name="Complex project"),
        account=account,
        owner=admin,
        start_date=start,
        due_date=start + datetime.timedelta(days=720),
        status=Project.Status.IN_PROGRESS,
    )
    weights = [2**level for level in range(LEVELS)]
    sizes = [max(1, tasks * weight // sum(weights)) for weight in weights]
    sizes[-1] += tasks - sum(sizes)
    previous_level: list = []
    made = []
    rng = random.Random(name)
    for level, size in enumerate(sizes):
        rows = []
        for index in range(size):
            parent = previous_level[index % len(previous_level)] if previous_level else None
            offset = rng.randrange(0, 600)
            rows.append(
                ProjectTask(
                    project=project,
                    parent=parent,
                    position=index + 1,
                    name=f"L{level + 1} task {index + 1}",
                    owner=admin,
                    created_by=admin,
                    start_date=start + datetime.timedelta(days=offset),
                    due_date=start + datetime.timedelta(days=offset + rng.randrange(1, 20)),
                    planned_hours=Decimal("8"),
                )
            )
        previous_level = ProjectTask.objects.bulk_create(rows, batch_size=2000)
        made.extend(previous_level)
    people = [(name, contact) for name, contact in contacts.items() if name != "alice"]
    resources = []
    for index, task in enumerate(made):
        username, contact = ("alice", contacts["alice"]) if index < mine else people[index % len(people)]
        resources.append(Resource(task=task, role="Consultant", contact=contact, planned_hours=Decimal("8")))
    Resource.objects.bulk_create(resources, batch_size=5000)
    # consecutive leaves depend on each other in short chains: arrows, pushes and a critical path to compute
    leaves = previous_level
    links = [
        TaskDependency(predecessor=leaves[i], successor=leaves[i + 1])
        for i in range(0, len(leaves) - 1)
        if i % 5 != 4 and leaves[i].due_date < leaves[i + 1].start_date
    ]
    TaskDependency.objects.bulk_create(links, batch_size=5000)
    Project.objects.filter(pk=project.pk).update(planned_hours=Decimal("8") * len(made))
    return project, made


def seed(tasks: int, entries: int) -> None:
    from django.contrib.auth import get_user_model
    from django.db.models import Sum

    from contacts.models import Contact
    from crm.access import demo as access_demo
    from crm.core import demo
    from projects.models import Project, ProjectTask, Resource, TimeEntry

    context = demo.DemoContext(users=demo.ensure_users(), rng=random.Random(2026))
    if not access_demo.already_seeded(context):
        access_demo.seed(context)
    users = {u.username: u for u in get_user_model().objects.filter(username__in=["admin", "manager", "alice", "bob"])}
    contacts = {}
    for username, user in users.items():
        contacts[username] = Contact.objects.filter(user=user).first() or Contact.objects.create(
            given_name=user.first_name, surname=user.last_name, full_name=user.get_full_name(), user=user, owner=user
        )
    if Project.objects.filter(name=BIG).exists():
        return
    started = time.perf_counter()
    big, big_tasks = build_project(BIG, tasks, users, contacts, mine=200)
    build_project(SMALL, 50, users, contacts, mine=0)
    rng = random.Random(7)
    rows = []
    people = [u for name, u in users.items() if name not in ("admin", "alice")]
    for index in range(entries):
        # alice logs only on her 200 tasks (the timesheet of a person with 200 tasks); the others anywhere
        if index % 4 == 0:
            task, user = big_tasks[rng.randrange(200)], users["alice"]
        else:
            task, user = big_tasks[rng.randrange(len(big_tasks))], people[index % len(people)]
        day = task.start_date + datetime.timedelta(days=rng.randrange(0, 20))
        rows.append(TimeEntry(user=user, task=task, day=day, hours=Decimal("0.25")))
    TimeEntry.objects.bulk_create(rows, batch_size=5000)
    totals = dict(
        TimeEntry.objects.filter(task__project=big)
        .values("task_id")
        .annotate(total=Sum("hours"))
        .values_list("task_id", "total")
    )
    changed = []
    for task in big_tasks:
        task.actual_hours = totals.get(task.pk, Decimal("0"))
        changed.append(task)
    ProjectTask.objects.bulk_update(changed, ["actual_hours"], batch_size=5000)
    Project.objects.filter(pk=big.pk).update(actual_hours=sum(totals.values(), Decimal("0")))
    print(
        f"seeded {ProjectTask.objects.count():,} tasks, {Resource.objects.count():,} resources, "
        f"{TimeEntry.objects.count():,} time entries in {time.perf_counter() - started:.1f} s"
    )


def alternate(ours, baseline, runs: int) -> tuple[float, float, int]:
    """Medians of `ours()` and `baseline()` timed alternately after a warm-up of each, and ours' query count."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    ours()
    baseline()
    with CaptureQueriesContext(connection) as queries:
        ours()
    mine, theirs = [], []
    for _ in range(runs):
        started = time.perf_counter()
        ours()
        mine.append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        baseline()
        theirs.append((time.perf_counter() - started) * 1000)
    return statistics.median(mine), statistics.median(theirs), len(queries)


def run(runs: int) -> list[tuple[str, float, float, int]]:
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.db import connection, transaction
    from django.db.models import F
    from django.test import Client
    from django.test.utils import override_settings
    from django.urls import reverse

    from projects.gantt import gantt_data
    from projects.models import Project, ProjectTask, TaskDependency, TimeEntry
    from projects.services import work

    admin = get_user_model().objects.get(username="admin")
    alice = get_user_model().objects.get(username="alice")
    projects = {name: Project.objects.get(name=name) for name in (BIG, SMALL)}
    plain_static = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    storages = {**settings.STORAGES, "staticfiles": plain_static}
    rows = []
    with override_settings(ALLOWED_HOSTS=["testserver"], SECURE_SSL_REDIRECT=False, STORAGES=storages):
        clients = {}
        for user in (admin, alice):
            clients[user.username] = Client(raise_request_exception=False)
            clients[user.username].force_login(user)
        for project in projects.values():
            count = project.tasks.count()

            def bare_tasks(project=project):
                list(ProjectTask.objects.filter(project=project).order_by("position", "pk").values_list())

            structure = reverse("projects:tab", args=[project.pk, "project_tasks"])
            median, baseline, queries = alternate(lambda url=structure: clients["admin"].get(url), bare_tasks, runs)
            rows.append((f"structure tab, {count:,} tasks (page)", median, baseline, queries))

            def bare_gantt(project=project):
                bare_tasks(project)
                list(TaskDependency.objects.filter(successor__project=project).values_list())

            median, baseline, queries = alternate(lambda p=project: gantt_data(admin, [p]), bare_gantt, runs)
            rows.append((f"gantt data, {count:,} tasks (function)", median, baseline, queries))
            data_url = reverse("projects:gantt_data", args=[project.pk])
            median, baseline, queries = alternate(lambda url=data_url: clients["admin"].get(url), bare_gantt, runs)
            rows.append((f"gantt data, {count:,} tasks (JSON, page)", median, baseline, queries))

        big = projects[BIG]
        task = ProjectTask.objects.filter(project=big, resources__contact__user=alice).order_by("pk").first()
        days = iter(range(100_000))

        def log_an_hour():
            day = datetime.date(2000, 1, 1) + datetime.timedelta(days=next(days))
            work.log_time(user=alice, task=task, day=day, hours=Decimal("1"))

        def bare_insert():
            with transaction.atomic():
                TimeEntry.objects.create(user=alice, task=task, day=datetime.date(1999, 1, 1), hours=Decimal("1"))
                ProjectTask.objects.filter(pk=task.pk).update(actual_hours=F("actual_hours") + 1)

        median, baseline, queries = alternate(log_an_hour, bare_insert, runs)
        rows.append(("log an hour (service; baseline: insert + one update)", median, baseline, queries))
        TimeEntry.objects.filter(task=task, day__lt=datetime.date(2001, 1, 1)).delete()

        monday = big.start_date - datetime.timedelta(days=big.start_date.weekday())
        timesheet = reverse("projects:timesheet") + f"?week={monday + datetime.timedelta(weeks=10)}"

        def bare_timesheet():
            list(ProjectTask.objects.filter(resources__contact__user=alice).values_list()[:500])
            list(TimeEntry.objects.filter(user=alice, day__gte=monday).values_list()[:500])

        median, baseline, queries = alternate(lambda: clients["alice"].get(timesheet), bare_timesheet, runs)
        rows.append(("alice's timesheet, 200 tasks (page)", median, baseline, queries))
    print(f"Database: {connection.vendor} {connection.settings_dict['NAME']}")
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tasks", type=int, default=5000, help="tasks of the big project (default 5000)")
    parser.add_argument("--entries", type=int, default=50_000, help="time entries on it (default 50000)")
    parser.add_argument("--runs", type=int, default=7, help="timed runs per figure (default 7)")
    parser.add_argument("--reuse", action="store_true", help="run on a database that already holds project tasks")
    options = parser.parse_args()

    ensure_database()
    setup_django()
    from django.db import connection

    if task_count() and not options.reuse:
        print(f"The database {connection.settings_dict['NAME']} already holds project tasks.", file=sys.stderr)
        print("Point DATABASE_URL at an empty database, or pass --reuse.", file=sys.stderr)
        return 2
    print(f"migrate: {manage('migrate', '--noinput', '-v', '0'):.1f} s")
    seed(options.tasks, options.entries)
    rows = run(options.runs)
    width = max(len(row[0]) for row in rows)
    print()
    print(f"{'what':<{width}}  {'ours ms':>8}  {'baseline ms':>11}  {'queries':>7}   ({options.runs} runs each)")
    print(f"{'-' * width}  {'-' * 8}  {'-' * 11}  {'-' * 7}")
    for label, median, baseline, queries in rows:
        # a page's queries are not seen from here (the request runs them on its own log): tests/projects/
        # test_queries.py counts them at two sizes
        shown = str(queries) if "(page)" not in label else "see tests"
        print(f"{label:<{width}}  {median:>8.1f}  {baseline:>11.1f}  {shown:>9}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

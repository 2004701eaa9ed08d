"""Demo projects: three believable ones in different states, made by the services as their owners would make
them: an intranet relaunch in progress (tasks, subtasks, dependencies, resources, three weeks of logged time,
cash flows), a rollout just won and still planned (made from a won opportunity when there is one), and a
completed support desk migration. The demo users get employee contacts with wages and external fees."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils import timezone

from .models import CashFlow, CashFlowCategory, EmployeeRate, Project, ProjectTask, ProjectType

ORDER = 60  # after the accounts (10), contacts (20), activities (30), opportunities (40) and orders (50)

MARKER = {"demo": "projects"}
DAY = datetime.timedelta(days=1)

#: demo user -> (role on projects, wage, external fee)
STAFF = {
    "alice": ("Project manager", Decimal("48.00"), Decimal("110.00")),
    "bob": ("Developer", Decimal("42.00"), Decimal("95.00")),
    "manager": ("Analyst", Decimal("55.00"), Decimal("120.00")),
}

#: (task, subtasks, start offset from the project's start in days, length in days, hours per resource by user)
INTRANET = [
    ("Discovery", ["Stakeholder interviews", "Requirements document"], 0, 8, {"manager": 24, "alice": 8}),
    ("Design", ["Wireframes", "Visual design"], 8, 10, {"alice": 16, "bob": 8}),
    ("Build", ["Content migration", "Search and directory", "Single sign-on"], 18, 20, {"bob": 80}),
    ("Launch", ["User training", "Go live"], 38, 6, {"alice": 12, "manager": 6}),
]


def already_seeded(context) -> bool:
    return Project.objects.filter(custom__demo=MARKER["demo"]).exists()


def _employees(context) -> dict:
    """The demo users' own contacts (employees of our company) with their rates."""
    from accounts.models import Account
    from contacts.models import Contact

    our_company = Account.objects.filter(type__name="Our company").order_by("pk").first()
    employees = {}
    for username, (_, wage, fee) in STAFF.items():
        user = context.users[username]
        contact = Contact.objects.filter(user=user).first()
        if contact is None:
            contact = Contact.objects.create(
                given_name=user.first_name,
                surname=user.last_name,
                full_name=user.get_full_name(),
                email=user.email,
                user=user,
                account=our_company,
                owner=context.users["admin"],
                created_by=context.users["admin"],
            )
        for kind, amount in ((EmployeeRate.Kind.WAGE, wage), (EmployeeRate.Kind.FEE, fee)):
            EmployeeRate.objects.get_or_create(
                contact=contact, kind=kind, defaults={"amount": amount, "valid_from": datetime.date(2024, 1, 1)}
            )
        employees[username] = contact
    return employees


def _customer(owner, index: int):
    from accounts.models import Account
    from crm import access

    customers = access.visible(owner, Account.objects.exclude(type__name="Our company").order_by("pk"))
    return customers[index % max(customers.count(), 1)] if customers.exists() else None


def _build(context, project: Project, plan, employees) -> dict:
    """Tasks and subtasks of `plan` with resources, each task after the one before, its subtasks one after the
    other filling it (so the chart has a critical chain through them)."""
    from crm.sections.details import add_row
    from crm.sections.registry import get

    from .services import schedule, tree

    owner = project.owner
    detail = get("project_tasks").get_detail("resources")
    tasks, previous = {}, None
    for name, subtasks, offset, length, hours in plan:
        start = project.start_date + offset * DAY
        task = tree.add_task(
            user=owner,
            project=project,
            name=name,
            data={"start_date": start, "due_date": start + (length - 1) * DAY},
        )
        tasks[name] = task
        share = max(1, length // len(subtasks))
        before = None
        for index, subtask in enumerate(subtasks):
            sub_start = start + index * share * DAY
            sub_due = min(start + (length - 1) * DAY, sub_start + (share - 1) * DAY)
            if index == len(subtasks) - 1:
                sub_due = start + (length - 1) * DAY
            tasks[subtask] = tree.add_task(
                user=owner,
                project=project,
                name=subtask,
                parent=task,
                data={"start_date": sub_start, "due_date": sub_due},
            )
            if before is not None:
                schedule.add_dependency(user=owner, predecessor=before, successor=tasks[subtask])
            before = tasks[subtask]
        for username, planned in hours.items():
            add_row(
                detail=detail,
                user=owner,
                record=task,
                data={"role": STAFF[username][0], "contact": employees[username], "planned_hours": Decimal(planned)},
            )
        if previous is not None:
            schedule.add_dependency(user=owner, predecessor=previous, successor=task)
        previous = task
    return tasks


def _log(context, tasks: dict, plan, until: datetime.date, share: Decimal = Decimal("0.9")) -> None:
    """Each resource logs hours on the working days of their task, up to `until`, about `share` of the plan."""
    from .calendar import calendar
    from .services import work

    days_off = calendar()
    for name, _, _, _, hours in plan:
        task = tasks[name]
        task.refresh_from_db()
        working = [
            task.start_date + offset * DAY
            for offset in range((task.due_date - task.start_date).days + 1)
            if days_off.is_working_day(task.start_date + offset * DAY)
        ]
        for username, planned in hours.items():
            per_day = (Decimal(planned) * share / max(len(working), 1)).quantize(Decimal("0.5")) or Decimal("0.5")
            for day in working:
                if day > until:
                    break
                work.log_time(user=context.users[username], task=task, day=day, hours=per_day, note="")


def _flows(project: Project, flows) -> None:
    categories = {category.name: category for category in CashFlowCategory.objects.all()}
    for number, (direction, offset, purpose, amount, status, category) in enumerate(flows, start=1):
        CashFlow.objects.create(
            project=project,
            number=str(number),
            direction=direction,
            date=project.start_date + offset * DAY,
            purpose=purpose,
            amount=Decimal(amount),
            status=status,
            category=categories.get(category),
        )


def seed(context) -> None:
    from crm.sections.details import update_record_fields
    from crm.sections.services import create_record

    from .services import creation, projects

    today = timezone.localdate()
    employees = _employees(context)
    section = projects.section()
    alice, manager = context.users["alice"], context.users["manager"]
    complex_type = ProjectType.objects.get(name="Complex project")
    internal_type = ProjectType.objects.get(name="Internal project")
    made = []
    inflow, outflow = CashFlow.Direction.INFLOW, CashFlow.Direction.OUTFLOW
    budget, completed = CashFlow.Status.BUDGET, CashFlow.Status.COMPLETED

    # 1. in progress: started three weeks ago (on a Monday), logged time up to yesterday
    start = today - datetime.timedelta(days=today.weekday()) - 21 * DAY
    customer = _customer(alice, 0)
    if customer is not None:
        intranet = create_record(
            section=section,
            user=alice,
            data={
                "name": f"Intranet relaunch for {customer}",
                "type": complex_type,
                "account": customer,
                "owner": alice,
                "start_date": start,
                "due_date": start + 55 * DAY,
                "deadline": start + 52 * DAY,
                "completion_automatic": True,
                "description": "New intranet on the customer's single sign-on, with the old content migrated.",
            },
        )
        tasks = _build(context, intranet, INTRANET, employees)
        intranet = projects.move_to(
            user=alice, project=intranet, status=Project.Status.IN_PROGRESS, expected_version=intranet.version
        )
        _log(context, tasks, INTRANET, until=today - DAY)
        done = [name for name, *_ in INTRANET[:1]] + INTRANET[0][1]
        ProjectTask.objects.filter(project=intranet, name__in=done).update(
            status=ProjectTask.Status.COMPLETED, completion=100
        )
        ProjectTask.objects.filter(project=intranet, name__in=["Design", "Wireframes"]).update(
            status=ProjectTask.Status.IN_PROGRESS, completion=60
        )
        _flows(
            intranet,
            [
                (inflow, 0, "Advance payment (30%)", "9000.00", completed, "Services"),
                (inflow, 30, "Second instalment (40%)", "12000.00", budget, "Services"),
                (inflow, 56, "Final payment on acceptance", "9000.00", budget, "Services"),
                (outflow, 10, "Search engine licence", "2400.00", completed, "Licences"),
                (outflow, 25, "Travel to the customer's workshops", "650.00", budget, "Travel"),
            ],
        )
        made.append(intranet)

    # 2. planned: the rollout of a won deal, starting in two weeks
    from opportunities.models import Opportunity

    won = Opportunity.objects.won().select_related("stage").order_by("-closed_on", "-pk").first()
    rollout_start = today + 14 * DAY
    if won is not None:
        rollout = creation.create_from_opportunity(user=won.owner, opportunity=won, start=rollout_start)
    elif customer is not None:
        rollout = create_record(
            section=section,
            user=manager,
            data={
                "name": "CRM rollout",
                "type": complex_type,
                "account": customer,
                "owner": manager,
                "start_date": rollout_start,
            },
        )
    else:
        rollout = None
    if rollout is not None:
        rollout = projects.section().model.objects.get(pk=rollout.pk)
        rollout = _set(rollout, due_date=rollout_start + 60 * DAY)
        _build(
            context,
            rollout,
            [
                ("Kick-off and plan", ["Kick-off meeting", "Project plan"], 0, 5, {"manager": 10}),
                ("Configuration", ["Data model", "Processes"], 7, 20, {"bob": 60, "manager": 12}),
                ("Training and go live", ["Key user training"], 30, 8, {"alice": 16}),
            ],
            employees,
        )
        made.append(rollout)

    # 3. completed: an internal migration that ran three months ago
    migration_start = today - datetime.timedelta(days=today.weekday()) - 98 * DAY
    plan = [
        ("Inventory", ["Ticket categories", "Mail rules"], 0, 5, {"bob": 12}),
        ("Migration", ["Export", "Import and check"], 7, 10, {"bob": 30, "alice": 6}),
        ("Switch-over", ["Announce to customers"], 21, 3, {"alice": 6}),
    ]
    our_company = employees["alice"].account
    migration = create_record(
        section=section,
        user=alice,
        data={
            "name": "Support desk migration",
            "type": internal_type,
            "account": our_company,
            "contact": employees["alice"],
            "owner": alice,
            "start_date": migration_start,
            "due_date": migration_start + 27 * DAY,
            "completion_automatic": False,
        },
    )
    tasks = _build(context, migration, plan, employees)
    migration = projects.move_to(
        user=alice, project=migration, status=Project.Status.IN_PROGRESS, expected_version=migration.version
    )
    _log(context, tasks, plan, until=today, share=Decimal("1.1"))
    _flows(migration, [(outflow, 7, "Migration tool subscription", "480.00", completed, "Licences")])
    ProjectTask.objects.filter(project=migration).update(status=ProjectTask.Status.COMPLETED, completion=100)
    migration.refresh_from_db()
    migration = projects.move_to(
        user=alice, project=migration, status=Project.Status.COMPLETED, expected_version=migration.version
    )
    made.append(migration)

    for project in made:
        update_record_fields(project, {"custom": MARKER}, bump_version=False)
    context.created["projects"] = len(made)


def _set(project: Project, **values) -> Project:
    Project.objects.filter(pk=project.pk).update(**values)
    project.refresh_from_db()
    return project

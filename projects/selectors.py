"""Reads of projects: the task tree of the Structure tab, the project's resources, its financial indicators, and
the weekly timesheet. Each reads a project (or many) in a number of queries that does not grow with its tasks;
every task shown passed `crm.access.visible`."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, Sum
from django.urls import reverse

from crm import access
from crm.core.money import quantize

from .models import CashFlow, EmployeeRate, Project, ProjectTask, Resource, TimeEntry

ZERO = Decimal("0")


# --- the tree -----------------------------------------------------------------------------------------------------


@dataclass
class TreeRow:
    task: ProjectTask
    depth: int
    children: list = field(default_factory=list)
    planned: Decimal = ZERO
    actual: Decimal = ZERO
    first: bool = False
    last: bool = False

    @property
    def has_children(self) -> bool:
        return bool(self.children)

    @property
    def choice_label(self) -> str:
        """The task in a list of choices, indented by its depth."""
        return "· " * self.depth + self.task.name[:60]


def visible_tasks(user, project_ids, action: str = "read"):
    queryset = ProjectTask.objects.filter(project_id__in=project_ids)
    return access.visible(user, queryset, action)


#: what the tree and the Gantt show of a task
TREE_FIELDS = (
    "pk", "project_id", "parent_id", "position", "name", "status", "start_date", "due_date", "deadline",
    "completion", "planned_hours", "actual_hours", "version",
)  # fmt: skip


def task_tree(user, project: Project | list[Project]) -> list[TreeRow]:
    """The project's tasks the user may see, depth first in sibling order, each with the hours of its subtree.
    A task whose parent the user may not see is shown as a root."""
    projects = project if isinstance(project, list) else [project]
    tasks = list(visible_tasks(user, [p.pk for p in projects]).only(*TREE_FIELDS).order_by("position", "pk"))
    rows = {
        task.pk: TreeRow(task=task, depth=0, planned=task.planned_hours, actual=task.actual_hours) for task in tasks
    }
    roots: dict[int, list[TreeRow]] = defaultdict(list)
    for task in tasks:
        parent = rows.get(task.parent_id)
        (parent.children if parent else roots[task.project_id]).append(rows[task.pk])
    ordered: list[TreeRow] = []

    def walk(siblings: list[TreeRow], depth: int) -> None:
        for index, row in enumerate(siblings):
            row.depth, row.first, row.last = depth, index == 0, index == len(siblings) - 1
            ordered.append(row)
            walk(row.children, depth + 1)

    for item in projects:
        walk(roots[item.pk], 0)
    for row in reversed(ordered):  # children come after their parent: summing backwards sees them first
        for child in row.children:
            row.planned += child.planned
            row.actual += child.actual
    return ordered


# --- resources and rates ----------------------------------------------------------------------------------------


def rates_for(contact_ids) -> dict[tuple[int, str], list[EmployeeRate]]:
    rates = defaultdict(list)
    for rate in EmployeeRate.objects.filter(contact_id__in=sorted({c for c in contact_ids if c})):
        rates[(rate.contact_id, rate.kind)].append(rate)
    return rates


def rate_on(rates, contact_id: int | None, kind: str, day: datetime.date) -> Decimal:
    """The employee's rate of `kind` valid on `day` (the latest start wins); 0 without one."""
    valid = [rate for rate in rates.get((contact_id, kind), ()) if rate.applies_on(day)]
    return max(valid, key=lambda rate: rate.valid_from).amount if valid else ZERO


@dataclass
class ResourceRow:
    contact: object
    roles: list[str]
    planned: Decimal
    actual: Decimal
    wage: Decimal
    fee: Decimal


def project_resources(project: Project, today: datetime.date | None = None) -> list[ResourceRow]:
    """The project's resources by employee: roles, expected and actual hours, today's wage and external fee."""
    from contacts.models import Contact

    today = today or datetime.date.today()
    grouped = (
        Resource.objects.filter(task__project=project)
        .values("contact_id", "role")
        .annotate(planned=Sum("planned_hours"), actual=Sum("actual_hours"))
        .order_by("contact_id", "role")
    )
    by_contact: dict[int | None, dict] = {}
    for row in grouped:
        entry = by_contact.setdefault(row["contact_id"], {"roles": [], "planned": ZERO, "actual": ZERO})
        entry["roles"].append(row["role"])
        entry["planned"] += row["planned"] or ZERO
        entry["actual"] += row["actual"] or ZERO
    contacts = Contact.objects.in_bulk([pk for pk in by_contact if pk])
    rates = rates_for(by_contact)
    return [
        ResourceRow(
            contact=contacts.get(contact_id),
            roles=entry["roles"],
            planned=entry["planned"],
            actual=entry["actual"],
            wage=rate_on(rates, contact_id, EmployeeRate.Kind.WAGE, today),
            fee=rate_on(rates, contact_id, EmployeeRate.Kind.FEE, today),
        )
        for contact_id, entry in by_contact.items()
    ]


# --- financial indicators ---------------------------------------------------------------------------------------


@dataclass
class Indicator:
    label: str
    planned: Decimal
    actual: Decimal
    is_percent: bool = False

    @property
    def deviation(self) -> Decimal:
        return self.actual - self.planned

    @property
    def deviation_percent(self) -> Decimal | None:
        if not self.planned or self.is_percent:
            return None
        return quantize(self.deviation * 100 / abs(self.planned))


@dataclass
class Financials:
    revenue: Indicator
    outflow: Indicator
    labour: Indicator
    fees: Indicator
    total_cost: Indicator
    margin: Indicator
    margin_percent: Indicator

    @property
    def rows(self) -> list[Indicator]:
        return [self.revenue, self.outflow, self.labour, self.total_cost, self.margin, self.margin_percent]


def _percent(part: Decimal, whole: Decimal) -> Decimal:
    return quantize(part * 100 / whole) if whole else ZERO


def financials(projects: list[Project], today: datetime.date | None = None) -> dict[int, Financials]:
    """Per project: revenue and outflow (planned: budgeted and completed cash flows; actual: completed), labour
    cost (planned: expected hours at today's wage; actual: each day's logged hours at that day's wage, and
    completed activities at today's), the value of the hours at the external fee, total cost, margin and
    margin %. In a fixed number of queries for any number of projects."""
    from activities.models import Activity

    today = today or datetime.date.today()
    ids = [project.pk for project in projects]
    money = defaultdict(lambda: ZERO)
    flows = (
        CashFlow.objects.filter(project_id__in=ids)
        .exclude(status=CashFlow.Status.CANCELLED)
        .values("project_id", "direction", "status")
        .annotate(total=Sum("amount"))
    )
    for row in flows:
        money[(row["project_id"], row["direction"], "planned")] += row["total"]
        if row["status"] == CashFlow.Status.COMPLETED:
            money[(row["project_id"], row["direction"], "actual")] += row["total"]
    resources = list(
        Resource.objects.filter(task__project_id__in=ids)
        .values("task__project_id", "contact_id")
        .annotate(planned=Sum("planned_hours"))
    )
    worked = list(
        TimeEntry.objects.filter(task__project_id__in=ids)
        .values("task__project_id", "user__employee_contact", "day")
        .annotate(hours=Sum("hours"))
    )
    task_projects = dict(
        ProjectTask.objects.filter(project_id__in=ids, activity_hours__gt=0).values_list("pk", "project_id")
    )
    done = []
    if task_projects:
        done = list(
            Activity.objects.filter(
                connected_type=ContentType.objects.get_for_model(ProjectTask),
                connected_id__in=list(task_projects),
                status=Activity.Status.COMPLETED,
            )
            .values("connected_id", "owner__employee_contact")
            .annotate(minutes=Sum("duration"))
        )
    contacts = {r["contact_id"] for r in resources} | {w["user__employee_contact"] for w in worked}
    contacts |= {d["owner__employee_contact"] for d in done}
    rates = rates_for(contacts)
    wage, fee = EmployeeRate.Kind.WAGE, EmployeeRate.Kind.FEE
    for row in resources:
        key = row["task__project_id"]
        money[(key, "labour", "planned")] += (row["planned"] or ZERO) * rate_on(rates, row["contact_id"], wage, today)
        money[(key, "fees", "planned")] += (row["planned"] or ZERO) * rate_on(rates, row["contact_id"], fee, today)
    for row in worked:
        key, contact, day = row["task__project_id"], row["user__employee_contact"], row["day"]
        money[(key, "labour", "actual")] += row["hours"] * rate_on(rates, contact, wage, day)
        money[(key, "fees", "actual")] += row["hours"] * rate_on(rates, contact, fee, day)
    for row in done:
        key, contact, hours = task_projects[row["connected_id"]], row["owner__employee_contact"], row["minutes"] / 60
        money[(key, "labour", "actual")] += Decimal(hours) * rate_on(rates, contact, wage, today)
        money[(key, "fees", "actual")] += Decimal(hours) * rate_on(rates, contact, fee, today)

    def indicator(key, label, part):
        return Indicator(label, quantize(money[(key, part, "planned")]), quantize(money[(key, part, "actual")]))

    result = {}
    for key in ids:
        revenue = indicator(key, "Revenue", CashFlow.Direction.INFLOW)
        outflow = indicator(key, "Total outflow", CashFlow.Direction.OUTFLOW)
        labour = indicator(key, "Labour cost (hours × wage)", "labour")
        total = Indicator("Total cost", outflow.planned + labour.planned, outflow.actual + labour.actual)
        margin = Indicator("Margin", revenue.planned - total.planned, revenue.actual - total.actual)
        percent = Indicator(
            "Margin, %",
            _percent(margin.planned, revenue.planned),
            _percent(margin.actual, revenue.actual),
            is_percent=True,
        )
        result[key] = Financials(
            revenue=revenue,
            outflow=outflow,
            labour=labour,
            fees=indicator(key, "Hours at the external fee", "fees"),
            total_cost=total,
            margin=margin,
            margin_percent=percent,
        )
    return result


# --- the timesheet ----------------------------------------------------------------------------------------------


def week_of(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


@dataclass
class TimesheetCell:
    """One input of the grid, its name, value and label already text: a long grid renders no number twice."""

    name: str
    value: str
    label: str


@dataclass
class TimesheetRow:
    task: ProjectTask
    cells: list[Decimal]
    url: str = ""

    @property
    def total(self) -> Decimal:
        return sum(self.cells, ZERO)

    @property
    def inputs(self) -> list[TimesheetCell]:
        from crm.core.formats import number

        prefix, label = f"h-{self.task.pk}-", f"{self.task.name}, day "
        return [
            TimesheetCell(f"{prefix}{index}", number(hours) if hours else "", f"{label}{index + 1}")
            for index, hours in enumerate(self.cells)
        ]


def timesheet(user, monday: datetime.date, limit: int = 500) -> list[TimesheetRow]:
    """The week's grid of the user: the open tasks they are a resource of, own, or logged time on that week (of
    projects not completed), with the hours they logged each day."""
    days = [monday + datetime.timedelta(days=offset) for offset in range(7)]
    logged = TimeEntry.objects.filter(user=user, day__gte=days[0], day__lte=days[-1])
    resourced = Resource.objects.filter(contact__user=user).values("task_id")
    mine = Q(pk__in=resourced) | Q(owner=user) | Q(pk__in=logged.values("task_id"))
    tasks = (
        visible_tasks(user, Project.objects.open().values("pk"), "edit")
        .filter(mine)
        .exclude(status=ProjectTask.Status.CANCELLED)
        .select_related("project")
        .only("pk", "name", "project_id", "position", "project__name", "project__status")
        .order_by("project__name", "project_id", "position", "pk")[:limit]
    )
    # one reverse for all rows, not one per row
    url = reverse("project_tasks:detail", args=[0]).replace("/0/", "/{}/")
    rows = {task.pk: TimesheetRow(task=task, cells=[ZERO] * 7, url=url.format(task.pk)) for task in tasks}
    cells = logged.filter(task_id__in=list(rows)).values("task_id", "day").annotate(hours=Sum("hours"))
    for cell in cells:
        rows[cell["task_id"]].cells[(cell["day"] - monday).days] = cell["hours"]
    return list(rows.values())

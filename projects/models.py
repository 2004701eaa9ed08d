"""Projects: the project with its status process, its tree of tasks, their dependencies and resources, the
employees' rates, the time they log and the project's cash flows.

Actual hours are never typed: `projects.services.work` adds time entries and completed activities to the task,
its resource and the project as they are saved. Planned hours are the sums of the resources'.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from crm.core.models import Lookup, Record

#: the most a person can work in one day, over all their entries
MAX_HOURS_PER_DAY = Decimal("24")
#: how deep a chain of parents may go before we call it a cycle
MAX_TREE_DEPTH = 50
#: a lag longer than this is a typing mistake
MAX_LAG_DAYS = 365


def _hours(verbose_name: str, **kwargs) -> models.DecimalField:
    return models.DecimalField(verbose_name, max_digits=10, decimal_places=2, default=Decimal("0"), **kwargs)


def _percent(verbose_name: str) -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(verbose_name, default=0, validators=[MaxValueValidator(100)])


class ProjectType(Lookup):
    class Meta(Lookup.Meta):
        verbose_name = "project type"


class CashFlowCategory(Lookup):
    class Meta(Lookup.Meta):
        verbose_name = "cash flow category"
        verbose_name_plural = "cash flow categories"


class ProjectQuerySet(models.QuerySet):
    def open(self):
        return self.exclude(status=Project.Status.COMPLETED)


class Project(Record):
    class Status(models.TextChoices):
        PLANNED = "planned", "Planned"
        IN_PROGRESS = "in_progress", "In progress"
        COMPLETED = "completed", "Completed"

    #: status -> the statuses it may move to (projects.services.projects.project_saved enforces it)
    TRANSITIONS: dict[str, frozenset[str]] = {
        Status.PLANNED: frozenset({Status.IN_PROGRESS}),
        Status.IN_PROGRESS: frozenset({Status.PLANNED, Status.COMPLETED}),
        Status.COMPLETED: frozenset({Status.IN_PROGRESS}),
    }

    name = models.CharField(max_length=250)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PLANNED)
    type = models.ForeignKey(ProjectType, on_delete=models.PROTECT, related_name="+")
    account = models.ForeignKey(
        "accounts.Account", on_delete=models.PROTECT, null=True, blank=True, related_name="projects"
    )
    contact = models.ForeignKey(
        "contacts.Contact", on_delete=models.PROTECT, null=True, blank=True, related_name="projects"
    )
    start_date = models.DateField("start", default=timezone.localdate)
    due_date = models.DateField("due date", null=True, blank=True)
    deadline = models.DateField(null=True, blank=True, help_text="The date the customer was promised.")
    duration_hours = _hours("duration, working hours", editable=False)
    completion = _percent("completion, %")
    completion_automatic = models.BooleanField(
        "calculate completion automatically", default=False, help_text="Actual hours over planned hours."
    )
    planned_hours = _hours("planned hours", editable=False)
    actual_hours = _hours("actual hours", editable=False)
    opportunity = models.ForeignKey(
        "opportunities.Opportunity", on_delete=models.SET_NULL, null=True, blank=True, related_name="projects"
    )
    order = models.ForeignKey("orders.Order", on_delete=models.SET_NULL, null=True, blank=True, related_name="projects")
    supplier = models.ForeignKey(
        "accounts.Account", on_delete=models.PROTECT, null=True, blank=True, related_name="supplied_projects"
    )
    description = models.TextField(blank=True)

    objects = ProjectQuerySet.as_manager()

    class Meta:
        verbose_name = "project"
        verbose_name_plural = "projects"
        ordering = ("-created_at", "-id")
        indexes = [models.Index(fields=["-created_at", "-id"], name="project_created_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(account__isnull=False) | Q(contact__isnull=False), name="project_has_a_customer"
            ),
            models.CheckConstraint(
                condition=Q(due_date__isnull=True) | Q(due_date__gte=F("start_date")), name="project_due_after_start"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("projects:detail", args=[self.pk])

    def clean(self) -> None:
        errors = {}
        if not self.account_id and not self.contact_id:
            errors["account"] = "Choose the customer: an account, a contact, or both."
        if self.due_date and self.start_date and self.due_date < self.start_date:
            errors["due_date"] = "The project cannot end before it starts."
        if errors:
            raise ValidationError(errors)

    def may_move_to(self, status: str) -> bool:
        return status in self.TRANSITIONS.get(self.status, ())

    @property
    def customer(self):
        return self.account or self.contact

    @property
    def is_completed(self) -> bool:
        return self.status == self.Status.COMPLETED


class ProjectTaskQuerySet(models.QuerySet):
    def of_project(self, project):
        return self.filter(project=project)

    def roots(self):
        return self.filter(parent__isnull=True)


class ProjectTask(Record):
    class Status(models.TextChoices):
        NOT_STARTED = "not_started", "Not started"
        IN_PROGRESS = "in_progress", "In progress"
        COMPLETED = "completed", "Completed"
        CANCELLED = "cancelled", "Cancelled"

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="tasks")
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="children", verbose_name="parent item"
    )
    position = models.PositiveIntegerField(default=0, editable=False, help_text="Order among its siblings.")
    name = models.CharField(max_length=250)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.NOT_STARTED)
    account = models.ForeignKey(
        "accounts.Account", on_delete=models.PROTECT, null=True, blank=True, related_name="project_tasks"
    )
    contact = models.ForeignKey(
        "contacts.Contact", on_delete=models.PROTECT, null=True, blank=True, related_name="project_tasks"
    )
    supplier = models.ForeignKey(
        "accounts.Account", on_delete=models.PROTECT, null=True, blank=True, related_name="supplied_project_tasks"
    )
    start_date = models.DateField("start", default=timezone.localdate)
    due_date = models.DateField("due date", default=timezone.localdate)
    deadline = models.DateField(null=True, blank=True)
    duration_hours = _hours("duration, working hours", editable=False)
    completion = _percent("completion, %")
    planned_hours = _hours("planned hours", editable=False)
    actual_hours = _hours("actual hours", editable=False)
    #: the part of the actual hours that comes from completed activities connected to the task
    activity_hours = _hours("hours of completed activities", editable=False)

    objects = ProjectTaskQuerySet.as_manager()

    class Meta:
        verbose_name = "project task"
        verbose_name_plural = "project tasks"
        ordering = ("position", "id")
        indexes = [
            models.Index(fields=["-created_at", "-id"], name="project_task_created_idx"),
            models.Index(fields=["project", "parent", "position"], name="project_task_tree_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(due_date__gte=F("start_date")), name="project_task_due_after_start"),
            models.CheckConstraint(condition=~Q(parent=F("id")), name="project_task_not_its_own_parent"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("project_tasks:detail", args=[self.pk])

    def clean(self) -> None:
        errors = {}
        if self.start_date and self.due_date and self.due_date < self.start_date:
            errors["due_date"] = "The task cannot end before it starts."
        project = Project.objects.filter(pk=self.project_id).only("start_date", "due_date").first()
        if project is not None and self.start_date and self.due_date:
            if self.start_date < project.start_date:
                days = (project.start_date - self.start_date).days
                errors["start_date"] = (
                    f"The task starts {days} day(s) before its project (which starts on {project.start_date})."
                )
            if project.due_date and self.due_date > project.due_date:
                days = (self.due_date - project.due_date).days
                errors["due_date"] = f"The task ends {days} day(s) after its project (due on {project.due_date})."
        if self.parent_id:
            errors.update(self._parent_errors())
        if errors:
            raise ValidationError(errors)

    def _parent_errors(self) -> dict:
        if self.pk and self.parent_id == self.pk:
            return {"parent": "A task cannot be its own parent."}
        chain = ProjectTask.objects.filter(pk=self.parent_id).values("project_id", "parent_id").first()
        if chain is None:
            return {"parent": "Choose a task of the same project."}
        if chain["project_id"] != self.project_id:
            return {"parent": "The parent must be a task of the same project."}
        parent_id, depth = chain["parent_id"], 0
        while parent_id is not None and depth < MAX_TREE_DEPTH:
            if self.pk and parent_id == self.pk:
                return {"parent": "A task cannot be put under one of its own subtasks."}
            parent_id = ProjectTask.objects.filter(pk=parent_id).values_list("parent_id", flat=True).first()
            depth += 1
        if parent_id is not None:
            return {"parent": f"The tree cannot be deeper than {MAX_TREE_DEPTH} levels."}
        return {}

    @property
    def is_late(self) -> bool:
        return bool(self.deadline and self.due_date > self.deadline)


class TaskDependency(models.Model):
    """Finish-to-start: the successor starts `lag_days` days after the predecessor's due date (the day after it
    with no lag)."""

    predecessor = models.ForeignKey(ProjectTask, on_delete=models.CASCADE, related_name="successor_links")
    successor = models.ForeignKey(ProjectTask, on_delete=models.CASCADE, related_name="predecessor_links")
    lag_days = models.IntegerField(
        "lag, days", default=0, validators=[MinValueValidator(-MAX_LAG_DAYS), MaxValueValidator(MAX_LAG_DAYS)]
    )

    class Meta:
        verbose_name = "task dependency"
        verbose_name_plural = "task dependencies"
        constraints = [
            models.UniqueConstraint(fields=["predecessor", "successor"], name="task_dependency_unique"),
            models.CheckConstraint(condition=~Q(predecessor=F("successor")), name="task_dependency_not_itself"),
        ]

    def __str__(self) -> str:
        return f"{self.predecessor} → {self.successor}"

    def earliest_start(self, predecessor_due: datetime.date) -> datetime.date:
        return predecessor_due + datetime.timedelta(days=1 + self.lag_days)


class Resource(models.Model):
    """Who works on a task in which role, for how many hours; the actual hours follow their logged work."""

    task = models.ForeignKey(ProjectTask, on_delete=models.CASCADE, related_name="resources")
    role = models.CharField(max_length=100, help_text="e.g. Analyst, Developer, Consultant")
    contact = models.ForeignKey(
        "contacts.Contact",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="project_resources",
        verbose_name="employee",
    )
    planned_hours = models.DecimalField(
        "expected hours",
        max_digits=10,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100000"))],
    )
    actual_hours = _hours("actual hours", editable=False)

    class Meta:
        verbose_name = "resource"
        ordering = ("role", "id")
        constraints = [
            models.UniqueConstraint(
                fields=["task", "contact"], condition=Q(contact__isnull=False), name="resource_one_per_employee"
            )
        ]

    def __str__(self) -> str:
        return f"{self.role}: {self.contact}" if self.contact_id else self.role


class EmployeeRate(models.Model):
    """What an hour of an employee costs us (wage) and what we charge for it (external fee), from a date."""

    class Kind(models.TextChoices):
        WAGE = "wage", "Wage (cost per hour)"
        FEE = "fee", "External fee (price per hour)"

    contact = models.ForeignKey("contacts.Contact", on_delete=models.CASCADE, related_name="rates")
    kind = models.CharField(max_length=4, choices=Kind.choices)
    amount = models.DecimalField(
        "per hour", max_digits=18, decimal_places=2, validators=[MinValueValidator(Decimal("0"))]
    )
    valid_from = models.DateField("valid from")
    valid_to = models.DateField("valid to", null=True, blank=True)

    class Meta:
        verbose_name = "employee rate"
        ordering = ("contact", "kind", "-valid_from")
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from")), name="rate_valid_period"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.amount} from {self.valid_from}"

    def applies_on(self, day: datetime.date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


class TimeEntry(models.Model):
    """Hours a person worked on a task on a day."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="time_entries")
    task = models.ForeignKey(ProjectTask, on_delete=models.CASCADE, related_name="time_entries")
    day = models.DateField()
    hours = models.DecimalField(
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(MAX_HOURS_PER_DAY)],
    )
    note = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "time entry"
        verbose_name_plural = "time entries"
        ordering = ("-day", "-id")
        indexes = [
            models.Index(fields=["user", "day"], name="time_entry_user_day_idx"),
            models.Index(fields=["task", "user"], name="time_entry_task_user_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(hours__gt=0) & Q(hours__lte=24), name="time_entry_hours_in_a_day"),
        ]

    def __str__(self) -> str:
        return f"{self.hours} h on {self.task} ({self.day})"


class CashFlow(models.Model):
    class Direction(models.TextChoices):
        INFLOW = "inflow", "Inflow"
        OUTFLOW = "outflow", "Outflow"

    class Status(models.TextChoices):
        BUDGET = "budget", "Budget"
        COMPLETED = "completed", "Completed"
        CANCELLED = "cancelled", "Cancelled"

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="cash_flows")
    number = models.CharField(max_length=40, blank=True)
    direction = models.CharField("type", max_length=8, choices=Direction.choices, default=Direction.INFLOW)
    date = models.DateField(default=timezone.localdate)
    purpose = models.CharField(max_length=250, blank=True)
    amount = models.DecimalField(
        "amount, base currency", max_digits=18, decimal_places=2, validators=[MinValueValidator(Decimal("0"))]
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.BUDGET)
    category = models.ForeignKey(CashFlowCategory, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = "cash flow"
        ordering = ("date", "id")
        constraints = [models.CheckConstraint(condition=Q(amount__gte=0), name="cash_flow_amount_not_negative")]

    def __str__(self) -> str:
        return f"{self.number or self.get_direction_display()} {self.amount}"

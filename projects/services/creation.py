"""New projects from other records: a won opportunity, an order (customer, owner, products as the first tasks,
the amount as the budgeted inflow), or a copy of a project (tasks, dependencies and resources, dates shifted to a
new start)."""

from __future__ import annotations

import datetime
from collections import defaultdict
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from crm import access
from crm.sections import services as section_services

from ..calendar import calendar
from ..models import CashFlow, Project, ProjectTask, ProjectType, Resource, TaskDependency
from . import projects as project_services
from .tree import DEFAULT_DAYS
from .work import recount_project

COMPLEX = "Complex project"


def _complex_type() -> ProjectType:
    found = ProjectType.objects.filter(name=COMPLEX).first() or ProjectType.objects.active().first()
    if found is None:
        raise ValidationError("Add a project type first (Lookups: project types).")
    return found


def _from_record(*, user, source, lines, amount, start: datetime.date | None, **fields) -> Project:
    if not access.can(user, "read", source):
        raise PermissionDenied("You may not see this record.")
    start = start or timezone.localdate()
    data = {
        "name": str(source)[:250],
        "type": _complex_type(),
        "account": source.account,
        "contact": source.contact,
        "owner": source.owner,
        "start_date": start,
        **fields,
    }
    with transaction.atomic():
        project = section_services.create_record(section=project_services.section(), user=user, data=data)
        for position, line in enumerate(lines, start=1):
            ProjectTask.objects.create(
                project=project,
                name=str(line.product)[:250],
                owner=project.owner,
                created_by=user,
                modified_by=user,
                position=position,
                start_date=start,
                due_date=start + datetime.timedelta(days=DEFAULT_DAYS - 1),
                duration_hours=calendar().working_hours_between(
                    start, start + datetime.timedelta(days=DEFAULT_DAYS - 1)
                ),
                account=project.account,
                contact=project.contact,
            )
        if amount:
            CashFlow.objects.create(
                project=project,
                number="1",
                direction=CashFlow.Direction.INFLOW,
                date=start,
                purpose=f"Payment for {source}",
                amount=amount,
                status=CashFlow.Status.BUDGET,
            )
    return project


def create_from_opportunity(*, user, opportunity, start: datetime.date | None = None) -> Project:
    """A project for a won opportunity: its customer and owner, its products as the first tasks, its amount in
    the base currency as the budgeted inflow."""
    if not (opportunity.stage.is_final and opportunity.stage.is_successful):
        raise ValidationError("Only a won opportunity becomes a project.")
    lines = opportunity.lines.select_related("product").order_by("position", "pk")
    return _from_record(
        user=user, source=opportunity, lines=lines, amount=opportunity.amount_base, start=start, opportunity=opportunity
    )


def create_from_order(*, user, order, start: datetime.date | None = None) -> Project:
    """A project delivering an order: its customer, owner and opportunity, its products as the first tasks."""
    lines = order.lines.select_related("product").order_by("position", "pk")
    return _from_record(
        user=user,
        source=order,
        lines=lines,
        amount=order.amount_base,
        start=start,
        order=order,
        opportunity=order.opportunity,
    )


def copy_project(*, user, project: Project, start: datetime.date, name: str = "") -> Project:
    """A new planned project like `project`: its tasks (tree and order), dependencies and resources, all dates
    moved by the distance between the two starts. Logged work and cash flows stay with the original."""
    if not access.can(user, "read", project):
        raise PermissionDenied("You may not see this project.")
    shift = start - project.start_date
    data = {
        name: getattr(project, name)
        for name in ("type", "account", "contact", "supplier", "opportunity", "order", "description")
    }
    data.update(
        name=(name.strip() or f"{project.name} (copy)")[:250],
        owner=user,
        start_date=start,
        due_date=project.due_date + shift if project.due_date else None,
        deadline=project.deadline + shift if project.deadline else None,
        completion_automatic=project.completion_automatic,
    )
    with transaction.atomic():
        copy = section_services.create_record(section=project_services.section(), user=user, data=data)
        tasks = list(ProjectTask.objects.filter(project=project).order_by("pk"))
        resources = list(Resource.objects.filter(task__project=project))
        planned = defaultdict(Decimal)
        for resource in resources:
            planned[resource.task_id] += resource.planned_hours
        fresh = {}
        for task in tasks:
            fresh[task.pk] = ProjectTask(
                project=copy,
                name=task.name,
                status=ProjectTask.Status.NOT_STARTED,
                owner=task.owner,
                created_by=user,
                modified_by=user,
                position=task.position,
                account=task.account,
                contact=task.contact,
                supplier=task.supplier,
                start_date=task.start_date + shift,
                due_date=task.due_date + shift,
                deadline=task.deadline + shift if task.deadline else None,
                duration_hours=task.duration_hours,
                planned_hours=planned[task.pk],
                custom=task.custom,
            )
        ProjectTask.objects.bulk_create(list(fresh.values()), batch_size=1000)
        parents = [fresh[task.pk] for task in tasks if task.parent_id]
        for task in tasks:
            if task.parent_id:
                fresh[task.pk].parent = fresh[task.parent_id]
        ProjectTask.objects.bulk_update(parents, ["parent"], batch_size=1000)
        TaskDependency.objects.bulk_create(
            [
                TaskDependency(
                    predecessor=fresh[link.predecessor_id], successor=fresh[link.successor_id], lag_days=link.lag_days
                )
                for link in TaskDependency.objects.filter(successor__project=project)
            ],
            batch_size=1000,
        )
        Resource.objects.bulk_create(
            [
                Resource(
                    task=fresh[resource.task_id],
                    role=resource.role,
                    contact_id=resource.contact_id,
                    planned_hours=resource.planned_hours,
                )
                for resource in resources
            ],
            batch_size=1000,
        )
        recount_project(copy.pk)
        copy.refresh_from_db()
    return copy

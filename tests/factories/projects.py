"""Factories of the Projects sections: a planned project of an account starting today for two months, and a task
of it lasting a week. Factory-made rows skip the after_save hooks: tests of the rules go through the services."""

import datetime
from decimal import Decimal

import factory
from django.utils import timezone

from projects.models import EmployeeRate, Project, ProjectTask, ProjectType, Resource

from .customers import AccountFactory, ContactFactory, RecordFactory


class ProjectFactory(RecordFactory):
    class Meta:
        model = Project

    name = factory.Sequence(lambda n: f"Project {n}")
    type = factory.LazyFunction(lambda: ProjectType.objects.get(name="Complex project"))
    account = factory.SubFactory(AccountFactory, owner=factory.SelfAttribute("..owner"))
    start_date = factory.LazyFunction(timezone.localdate)
    due_date = factory.LazyAttribute(lambda o: o.start_date + datetime.timedelta(days=60))


class ProjectTaskFactory(RecordFactory):
    class Meta:
        model = ProjectTask

    project = factory.SubFactory(ProjectFactory, owner=factory.SelfAttribute("..owner"))
    name = factory.Sequence(lambda n: f"Task {n}")
    start_date = factory.LazyAttribute(lambda o: o.project.start_date)
    due_date = factory.LazyAttribute(lambda o: o.start_date + datetime.timedelta(days=6))
    position = factory.Sequence(lambda n: n + 1)


class ResourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Resource

    task = factory.SubFactory(ProjectTaskFactory)
    role = "Consultant"
    contact = factory.SubFactory(ContactFactory, owner=factory.SelfAttribute("..task.owner"))
    planned_hours = Decimal("10")


class EmployeeRateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EmployeeRate

    contact = factory.SubFactory(ContactFactory)
    kind = EmployeeRate.Kind.WAGE
    amount = Decimal("50")
    valid_from = datetime.date(2020, 1, 1)

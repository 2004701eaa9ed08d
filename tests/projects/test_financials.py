"""Financial indicators: revenue, outflow, labour cost at the wage of the day, margin and the deviation of the
actual from the plan, in Decimal."""

import datetime
from decimal import Decimal

import pytest

from projects.models import CashFlow, EmployeeRate
from projects.selectors import financials
from projects.services import work
from tests.factories import ContactFactory, EmployeeRateFactory, ProjectTaskFactory, ResourceFactory

pytestmark = pytest.mark.django_db


def test_margin_is_revenue_less_outflow_and_labour_at_the_wage_of_the_day(alice):
    task = ProjectTaskFactory(
        owner=alice, start_date=datetime.date(2026, 3, 2), project__start_date=datetime.date(2026, 3, 1)
    )
    contact = ContactFactory(owner=alice, user=alice)
    EmployeeRateFactory(
        contact=contact, amount=Decimal("40"), valid_from=datetime.date(2026, 1, 1), valid_to=datetime.date(2026, 3, 2)
    )
    EmployeeRateFactory(contact=contact, amount=Decimal("50"), valid_from=datetime.date(2026, 3, 3))
    EmployeeRateFactory(
        contact=contact, kind=EmployeeRate.Kind.FEE, amount=Decimal("90"), valid_from=datetime.date(2026, 1, 1)
    )
    ResourceFactory(task=task, contact=contact, planned_hours=Decimal("10"))
    work.recount_task(task)
    work.log_time(user=alice, task=task, day=datetime.date(2026, 3, 2), hours="2")  # at 40
    work.log_time(user=alice, task=task, day=datetime.date(2026, 3, 3), hours="3")  # at 50
    project = task.project
    CashFlow.objects.create(project=project, amount=Decimal("1000"), status=CashFlow.Status.BUDGET)
    CashFlow.objects.create(project=project, amount=Decimal("600"), status=CashFlow.Status.COMPLETED)
    CashFlow.objects.create(
        project=project, amount=Decimal("100"), direction=CashFlow.Direction.OUTFLOW, status=CashFlow.Status.COMPLETED
    )
    CashFlow.objects.create(project=project, amount=Decimal("999"), status=CashFlow.Status.CANCELLED)
    figures = financials([project], today=datetime.date(2026, 3, 10))[project.pk]
    assert (figures.revenue.planned, figures.revenue.actual) == (Decimal("1600.00"), Decimal("600.00"))
    assert (figures.labour.planned, figures.labour.actual) == (Decimal("500.00"), Decimal("230.00"))
    assert figures.total_cost.actual == Decimal("330.00")
    assert (figures.margin.planned, figures.margin.actual) == (Decimal("1000.00"), Decimal("270.00"))
    assert figures.margin.deviation == Decimal("-730.00")
    assert figures.margin.deviation_percent == Decimal("-73.00")
    assert figures.margin_percent.actual == Decimal("45.00")
    assert figures.fees.actual == Decimal("450.00")

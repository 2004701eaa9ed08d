"""Projects from a won opportunity and from an order (customer, owner, products as the first tasks, the amount as
the budgeted inflow), the "Create project" record action on those sections, and copying a project."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from crm.sections import registry
from opportunities.models import Opportunity, OpportunityProduct
from projects.models import CashFlow, Project, ProjectTask, Resource, TaskDependency
from projects.services import creation, schedule, tree
from tests.factories import OpportunityFactory, ProductFactory, ProjectFactory, ResourceFactory
from tests.factories.opportunities import stage
from tests.factories.orders import OrderProductFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def won(alice):
    opportunity = OpportunityFactory(owner=alice, name="ERP rollout", stage=stage("won"))
    Opportunity.objects.filter(pk=opportunity.pk).update(amount_base=Decimal("12000"))
    opportunity.refresh_from_db()
    for position, name in enumerate(["Licences", "Implementation"], start=1):
        product = ProductFactory(owner=alice, name=name)
        OpportunityProduct.objects.create(
            opportunity=opportunity, product=product, unit=product.unit, quantity=1, price=100, position=position
        )
    return opportunity


def test_a_won_opportunity_becomes_a_project_with_its_products_as_tasks(alice, won):
    project = creation.create_from_opportunity(user=alice, opportunity=won)
    assert (project.name, project.account_id, project.owner_id, project.opportunity_id) == (
        "ERP rollout",
        won.account_id,
        alice.pk,
        won.pk,
    )
    assert list(project.tasks.values_list("name", flat=True)) == ["Licences", "Implementation"]
    assert CashFlow.objects.get(project=project).amount == Decimal("12000.00")


def test_an_open_opportunity_does_not_become_a_project(alice):
    with pytest.raises(ValidationError, match="won"):
        creation.create_from_opportunity(user=alice, opportunity=OpportunityFactory(owner=alice))
    assert not Project.objects.exists()


def test_the_won_opportunitys_page_offers_create_project_and_an_open_ones_does_not(alice, won):
    section = registry.get("opportunities")
    assert ("projects:from_opportunity", "Create project") in section.available_record_actions(alice, won)
    assert "projects:from_opportunity" not in dict(
        section.available_record_actions(alice, OpportunityFactory(owner=alice))
    )


def test_create_project_posted_from_the_opportunity_opens_the_project(alice_client, won):
    response = alice_client.post(reverse("projects:from_opportunity", args=[won.pk]))
    project = Project.objects.get(opportunity=won)
    assert response.status_code == 302 and response["Location"] == project.get_absolute_url()


def test_an_order_becomes_a_project(alice):
    line = OrderProductFactory(order__owner=alice)
    project = creation.create_from_order(user=alice, order=line.order)
    assert project.order_id == line.order_id
    assert list(project.tasks.values_list("name", flat=True)) == [line.product.name]
    assert ("projects:from_order", "Create project") in registry.get("orders").available_record_actions(
        alice, line.order
    )


def test_a_copy_has_the_tasks_dependencies_and_resources_with_dates_shifted(alice):
    project = ProjectFactory(owner=alice, start_date=datetime.date(2026, 3, 2))
    design = tree.add_task(user=alice, project=project, name="Design")
    build = tree.add_task(user=alice, project=project, name="Build", parent=design)
    test = tree.add_task(user=alice, project=project, name="Test")
    schedule.add_dependency(user=alice, predecessor=build, successor=test)
    ResourceFactory(task=design, planned_hours=Decimal("8"))
    copy = creation.copy_project(user=alice, project=project, start=datetime.date(2026, 6, 1))
    shift = datetime.date(2026, 6, 1) - project.start_date
    copied = {task.name: task for task in ProjectTask.objects.filter(project=copy)}
    assert copied["Build"].parent_id == copied["Design"].pk
    assert copied["Design"].start_date == ProjectTask.objects.get(pk=design.pk).start_date + shift
    assert TaskDependency.objects.filter(predecessor=copied["Build"], successor=copied["Test"]).exists()
    assert Resource.objects.get(task=copied["Design"]).planned_hours == Decimal("8")
    assert copy.planned_hours == Decimal("8.00")

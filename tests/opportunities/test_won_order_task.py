"""A won opportunity's "create the order" task: not started when the deal has its order already, and done when
the order is created (by "Create order" or by linking an order to the deal)."""

from activities.models import Activity
from activities.processes import open_tasks
from crm.sections import services as section_services
from opportunities import services
from opportunities.process import ORDER_TASK
from orders import services as order_services
from orders.models import Order, OrderStatus


def open_task_keys(opportunity):
    return sorted(task.process_task for task in open_tasks(opportunity))


def win(user, opportunity, stages):
    return services.move_to(
        user=user, opportunity=opportunity, stage=stages["won"], expected_version=opportunity.version
    )


def test_a_deal_won_after_its_order_was_created_gets_no_order_task(alice, make_opportunity, stages):
    opportunity = make_opportunity(alice)
    order_services.create_from_opportunity(user=alice, opportunity=opportunity)

    opportunity = win(alice, opportunity, stages)

    assert ORDER_TASK not in open_task_keys(opportunity)
    assert not Activity.objects.filter(process_task=ORDER_TASK).exists()


def test_a_cancelled_order_does_not_count(alice, make_opportunity, stages):
    opportunity = make_opportunity(alice)
    order = order_services.create_from_opportunity(user=alice, opportunity=opportunity)
    order_services.move_to(user=alice, order=order, status=OrderStatus.CANCELLED, expected_version=order.version)

    opportunity = win(alice, opportunity, stages)

    assert open_task_keys(opportunity) == [ORDER_TASK]


def test_creating_the_order_of_a_won_deal_completes_its_order_task(alice_client, alice, make_opportunity, stages):
    opportunity = win(alice, make_opportunity(alice), stages)
    assert open_task_keys(opportunity) == [ORDER_TASK]

    alice_client.post(f"/orders/from-opportunity/{opportunity.pk}/", {"products": "all"})

    order = Order.objects.get(opportunity=opportunity)
    task = Activity.objects.get(process_task=ORDER_TASK)
    assert (task.status, task.result_details) == (Activity.Status.COMPLETED, f"Order {order} created")
    assert open_task_keys(opportunity) == []
    # the record page's action panel has nothing left to do
    page = alice_client.get(opportunity.get_absolute_url()).content.decode()
    assert "Create the order and schedule the next activities" not in page


def test_linking_an_order_to_a_won_deal_completes_its_order_task(alice, make_opportunity, stages):
    opportunity = win(alice, make_opportunity(alice), stages)
    order = order_services.create_order(user=alice, data={"account": opportunity.account})

    # the generic save, as the order form does
    section_services.update_record(
        section=order_services.section(),
        user=alice,
        obj=order,
        data={"opportunity": opportunity},
        expected_version=order.version,
    )

    assert Activity.objects.get(process_task=ORDER_TASK).status == Activity.Status.COMPLETED

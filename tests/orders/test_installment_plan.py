"""The installment plan: templates give the steps, due dates chain from the order date by the deferments, payment
steps expect their share of the total to the cent, and moving a step recalculates the dates."""

import datetime
from decimal import Decimal

from orders import services
from orders.models import PlanStep

from .conftest import ORDER_DATE


def plan_of(order):
    return list(PlanStep.objects.filter(order=order).order_by("position"))


def days(n: int) -> datetime.date:
    return ORDER_DATE + datetime.timedelta(days=n)


def test_applying_50_50_gives_two_halves_and_a_delivery_with_chained_due_dates(alice, make_order, template):
    order = make_order(alice, "1000.00")

    services.apply_template(user=alice, order=order, template=template("50/50"))

    steps = plan_of(order)
    assert [(s.kind, s.name, s.due_date, s.expected_amount) for s in steps] == [
        ("payment", "Prepayment", days(0), Decimal("500.00")),
        ("delivery", "Delivery", days(14), Decimal("0.00")),
        ("payment", "Final payment", days(24), Decimal("500.00")),
    ]


def test_three_payments_of_100_00_add_up_to_the_total_exactly(alice, make_order, thirds):
    order = make_order(alice, "100.00")

    services.apply_template(user=alice, order=order, template=thirds)

    amounts = [s.expected_amount for s in plan_of(order)]
    assert amounts == [Decimal("33.33"), Decimal("33.33"), Decimal("33.34")]
    assert sum(amounts) == order.amount


def test_the_last_payment_takes_the_rounding_rest(alice, make_order, template):
    order = make_order(alice, "100.01")

    services.apply_template(user=alice, order=order, template=template("50/50"))

    # 50 % of 100.01 is 50.005: the first half rounds up to 50.01, the last takes what is left
    assert [s.expected_amount for s in plan_of(order) if s.kind == "payment"] == [Decimal("50.01"), Decimal("50.00")]


def test_a_new_template_replaces_the_plan(alice, make_order, template):
    order = make_order(alice, "100.00")
    services.apply_template(user=alice, order=order, template=template("50/50"))

    services.apply_template(user=alice, order=order, template=template("100% prepayment"))

    assert [(s.name, s.expected_amount) for s in plan_of(order)] == [
        ("Prepayment", Decimal("100.00")),
        ("Delivery", Decimal("0.00")),
    ]


def test_moving_the_final_payment_first_recalculates_every_due_date(alice, make_order, template):
    order = make_order(alice, "100.00")
    services.apply_template(user=alice, order=order, template=template("50/50"))
    final = plan_of(order)[2]

    services.move_step(user=alice, step=final, position=1)

    assert [(s.name, s.due_date) for s in plan_of(order)] == [
        ("Final payment", days(10)),
        ("Prepayment", days(10)),
        ("Delivery", days(24)),
    ]


def test_changing_a_deferment_on_the_page_moves_the_later_due_dates(alice_client, alice, make_order, template):
    order = make_order(alice, "100.00")
    services.apply_template(user=alice, order=order, template=template("50/50"))
    delivery = plan_of(order)[1]
    data = {
        "detail-plan-kind": "delivery",
        "detail-plan-position": "2",
        "detail-plan-name": "Delivery",
        "detail-plan-deferment_days": "30",
        "detail-plan-percent": "0",
        "detail-plan-due_date": "2030-01-01",
        "detail-plan-expected_amount": "999",
    }

    response = alice_client.post(f"/orders/{order.pk}/details/plan/{delivery.pk}/", data)

    assert response.status_code == 302
    assert [(s.due_date, s.expected_amount) for s in plan_of(order)] == [
        (days(0), Decimal("50.00")),
        (days(30), Decimal("0.00")),
        (days(40), Decimal("50.00")),
    ]


def test_the_plan_follows_a_change_of_the_order_total(alice, make_order, template):
    from tests.factories.orders import OrderProductFactory

    order = make_order(alice, "100.00")
    services.apply_template(user=alice, order=order, template=template("30/70"))

    OrderProductFactory(order=order, quantity=1, price=Decimal("100.00"))
    services.lines_changed(user=alice, record=order)

    assert [s.expected_amount for s in plan_of(order) if s.kind == "payment"] == [Decimal("60.00"), Decimal("140.00")]

"""An order's amount looks the same on every part of its page: its fields, the installment plan, the invoice
form; dates in the plan are the language's, not ISO."""

from django.urls import reverse

from orders import services


def test_the_order_page_shows_the_amount_the_same_way_in_the_fields_and_the_plan(
    alice_client, alice, make_order, template
):
    order = make_order(alice, "1349.00")
    services.apply_template(user=alice, order=order, template=template("100% prepayment"))
    step = order.plan_steps.get(kind="payment")

    page = alice_client.get(reverse("orders:detail", args=[order.pk])).content.decode()

    assert "1349.00" not in page
    assert page.count("1,349.00") >= 2, "the amount field and the plan's expected amount"
    assert step.due_date.isoformat() not in page
    assert step.due_date.strftime("%m/%d/%Y") in page


def test_invoicing_an_order_shows_its_amount_and_steps_like_the_order_page(alice_client, alice, make_order, template):
    order = make_order(alice, "1349.00")
    services.apply_template(user=alice, order=order, template=template("50/50"))

    page = alice_client.get(reverse("invoices:from_order", args=[order.pk])).content.decode()

    assert "1,349.00" in page and "674.50" in page
    assert "1349.00" not in page

"""Route thresholds: a route may apply only when the record's amount (in the base currency, USD in the tests) is
strictly over its `min_amount`; the most specific route that applies is chosen, and one that does not apply is
refused with its threshold."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from crm.approvals import selectors, services
from crm.approvals.models import Approval, ApprovalRoute
from orders.models import Order
from tests.factories import OrderFactory
from tests.factories.products import currency


def make_route(name: str, approver, min_amount=None, section: str = "orders") -> ApprovalRoute:
    route = ApprovalRoute.objects.create(section=section, name=name, min_amount=min_amount)
    route.steps.create(position=1, approver_user=approver)
    return route


@pytest.fixture
def routes(db, bob):
    """Every order goes to "Orders"; those over 10,000 to "Large orders", those over 50,000 to "Very large"."""
    return {
        "any": make_route("Orders", bob),
        "large": make_route("Large orders", bob, Decimal("10000.00")),
        "very large": make_route("Very large orders", bob, Decimal("50000.00")),
    }


@pytest.mark.parametrize(
    ("amount", "expected"),
    [
        ("9999.99", "any"),
        ("10000.00", "any"),  # strictly over: an amount equal to the threshold is not over it
        ("10000.01", "large"),
        ("50000.00", "large"),
        ("50000.01", "very large"),
    ],
)
def test_the_highest_threshold_below_the_amount_wins_over_a_route_without_one(alice, routes, amount, expected):
    order = OrderFactory(owner=alice, amount=Decimal(amount))

    assert selectors.route_for("orders", order) == routes[expected]

    approval = services.send_for_approval(user=alice, record=order)
    assert approval.route == routes[expected]


def test_an_inactive_or_stepless_route_with_a_threshold_is_passed_over(alice, bob, routes):
    routes["very large"].is_active = False
    routes["very large"].save()
    make_route("Huge orders", bob, Decimal("90000.00")).steps.all().delete()
    order = OrderFactory(owner=alice, amount=Decimal("95000.00"))

    assert selectors.route_for("orders", order) == routes["large"]


def test_the_amount_in_the_base_currency_is_compared(alice, bob):
    """EUR is worth 1.08 USD in the seeded rates: 9,500.00 EUR is 10,260.00 USD, over 10,000."""
    large = make_route("Large orders", bob, Decimal("10000.00"))
    euros = OrderFactory(owner=alice, amount=Decimal("9500.00"), currency=currency("EUR"))
    dollars = OrderFactory(owner=alice, amount=Decimal("9500.00"))

    assert selectors.record_amount(euros) == Decimal("10260.00")
    assert selectors.route_for("orders", euros) == large
    assert selectors.route_for("orders", dollars) is None


def test_the_kept_base_amount_is_what_is_compared_where_the_record_has_one(alice, bob):
    large = make_route("Large orders", bob, Decimal("10000.00"))
    order = OrderFactory(owner=alice, amount=Decimal("9000.00"), amount_base=Decimal("11000.00"))

    assert selectors.record_amount(order) == Decimal("11000.00")
    assert selectors.route_for("orders", order) == large


def test_without_a_route_that_applies_the_request_is_refused_with_the_threshold(alice, bob):
    make_route("Large orders", bob, Decimal("10000.00"))
    order = OrderFactory(owner=alice, amount=Decimal("1349.00"))

    with pytest.raises(ValidationError) as refused:
        services.send_for_approval(user=alice, record=order)

    message = " ".join(refused.value.messages)
    assert "over 10,000.00 USD" in message and "1,349.00 USD" in message
    assert not Approval.objects.exists()


def test_a_route_asked_for_that_does_not_apply_is_refused_with_its_threshold(alice, routes):
    order = OrderFactory(owner=alice, amount=Decimal("12500.00"))

    with pytest.raises(ValidationError) as refused:
        services.send_for_approval(user=alice, record=order, route=routes["very large"])

    assert "“Very large orders” applies only when the amount is over 50,000.00 USD" in refused.value.messages[0]
    assert not Approval.objects.exists()
    assert services.send_for_approval(user=alice, record=order, route=routes["large"]).route == routes["large"]


def test_a_route_with_a_threshold_does_not_apply_to_a_record_without_an_amount(alice, bob, hooks, opportunity):
    route = make_route("Big deals", bob, Decimal("0.00"), section="opportunities")
    opportunity.amount, opportunity.amount_base = None, None

    assert selectors.record_amount(opportunity) is None
    assert not selectors.route_applies(route, None)
    assert "this record has none" in selectors.refusal(route, None)


def test_sending_from_the_record_page_says_why_no_route_takes_it(client, alice, bob):
    make_route("Large orders", bob, Decimal("10000.00"))
    order = OrderFactory(owner=alice, amount=Decimal("500.00"))
    client.force_login(alice)

    response = client.post(reverse("approvals:send", args=["orders", order.pk]), follow=True)

    assert "applies only when the amount is over 10,000.00 USD" in response.content.decode()
    assert not Approval.objects.exists()


def route_data(**extra) -> dict:
    return {
        "name": "Large orders",
        "section": "orders",
        "is_active": "on",
        "steps-TOTAL_FORMS": "1",
        "steps-INITIAL_FORMS": "0",
        **extra,
    }


def test_the_routes_screen_saves_and_shows_the_threshold(client, ada, bob):
    client.force_login(ada)
    form = client.get(reverse("approvals:route_create")).content.decode()
    assert 'name="min_amount"' in form and "Only when the amount is over" in form and "(USD)" in form

    response = client.post(
        reverse("approvals:route_create"), route_data(min_amount="10000", **{"steps-0-approver_user": bob.pk})
    )

    assert response.status_code == 302
    route = ApprovalRoute.objects.get(name="Large orders")
    assert route.min_amount == Decimal("10000.00")
    listing = client.get(reverse("approvals:routes")).content.decode()
    assert "over 10,000.00 USD" in listing
    edit = client.get(reverse("approvals:route_update", args=[route.pk])).content.decode()
    assert 'value="10000.00"' in edit


def test_the_routes_screen_clears_the_threshold(client, ada, bob):
    route = make_route("Large orders", bob, Decimal("10000.00"))
    client.force_login(ada)

    response = client.post(
        reverse("approvals:route_update", args=[route.pk]),
        route_data(min_amount="", **{"steps-0-approver_user": bob.pk}),
    )

    assert response.status_code == 302
    route.refresh_from_db()
    assert route.min_amount is None


@pytest.mark.parametrize(("value", "error"), [("-5", "greater than or equal to 0"), ("ten", "Enter a number")])
def test_a_bad_threshold_is_refused_and_nothing_is_saved(client, ada, bob, value, error):
    client.force_login(ada)

    response = client.post(
        reverse("approvals:route_create"), route_data(min_amount=value, **{"steps-0-approver_user": bob.pk})
    )

    assert response.status_code == 200
    assert error in response.content.decode()
    assert not ApprovalRoute.objects.exists()


def test_the_demo_seeds_large_orders_over_ten_thousand_with_orders_waiting(seeded_demo):
    large = ApprovalRoute.objects.get(section="orders", name="Large orders")
    assert large.min_amount == Decimal("10000.00")
    waiting = Approval.objects.pending().filter(route=large)
    assert waiting.exists()
    orders = Order.objects.filter(pk__in=waiting.values("object_id"))
    assert all(order.amount_base > large.min_amount for order in orders)

"""An order moves along its statuses by the transitions table, whichever way it is saved."""

import pytest
from django.core.exceptions import ValidationError

from orders import services
from orders.models import Order, OrderStatus


def test_a_draft_order_moves_to_confirmation_then_in_progress_then_completed(alice, make_order):
    order = make_order(alice)

    for status in (OrderStatus.CONFIRMATION, OrderStatus.IN_PROGRESS, OrderStatus.COMPLETED):
        order = services.move_to(user=alice, order=order, status=status, expected_version=order.version)

    assert Order.objects.get(pk=order.pk).status == OrderStatus.COMPLETED


def test_a_draft_order_cannot_jump_to_completed(alice, make_order):
    order = make_order(alice)

    with pytest.raises(ValidationError, match="cannot go from “Draft” to “Completed”"):
        services.move_to(user=alice, order=order, status=OrderStatus.COMPLETED, expected_version=order.version)

    assert Order.objects.get(pk=order.pk).status == OrderStatus.DRAFT


def test_a_completed_order_cannot_be_reopened_through_the_form(alice_client, alice, make_order):
    order = make_order(alice)
    order = services.move_to(user=alice, order=order, status=OrderStatus.IN_PROGRESS, expected_version=order.version)
    order = services.move_to(user=alice, order=order, status=OrderStatus.COMPLETED, expected_version=order.version)
    data = {
        "version": order.version,
        "date": "2026-03-01",
        "account": order.account_id,
        "status": "draft",
        "owner": alice.pk,
        "currency": order.currency_id,
    }

    response = alice_client.post(f"/orders/{order.pk}/edit/", data)

    assert response.status_code == 422
    assert "cannot go from “Completed” to “Draft”" in response.content.decode()
    assert Order.objects.get(pk=order.pk).status == OrderStatus.COMPLETED


def test_the_status_bar_moves_the_order_and_refuses_what_the_table_forbids(alice_client, alice, make_order):
    order = make_order(alice)

    alice_client.post(f"/orders/{order.pk}/move/", {"stage": "completed", "version": order.version})
    assert Order.objects.get(pk=order.pk).status == OrderStatus.DRAFT
    alice_client.post(f"/orders/{order.pk}/move/", {"stage": "confirmation", "version": order.version})
    assert Order.objects.get(pk=order.pk).status == OrderStatus.CONFIRMATION

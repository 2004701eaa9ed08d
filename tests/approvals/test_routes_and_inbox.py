"""The approval routes screen (administrators and designers only) and the inbox's rows, decided in place."""

import pytest
from django.urls import reverse

from crm.access.models import OperationRight, Role
from crm.approvals import services
from crm.approvals.models import Approval, ApprovalRoute
from tests.factories import OrderFactory


@pytest.fixture
def orders_route(db, bob):
    route = ApprovalRoute.objects.create(section="orders", name="Large orders")
    route.steps.create(position=1, approver_user=bob)
    return route


@pytest.fixture
def order(alice):
    return OrderFactory(owner=alice, amount="12500.00", account__name="Northwind Traders")


def test_a_rep_without_the_designer_right_finds_no_routes_screen(client, alice, orders_route):
    OperationRight.objects.create(operation="designer", role=Role.objects.get(name="All employees"), allowed=False)
    client.force_login(alice)

    assert client.get(reverse("approvals:routes")).status_code == 404
    assert client.post(reverse("approvals:route_delete", args=[orders_route.pk])).status_code == 404
    assert ApprovalRoute.objects.filter(pk=orders_route.pk).exists()


def test_an_administrator_creates_a_route_with_a_user_and_a_role_step(client, ada, bob):
    role = Role.objects.create(name="Finance", kind=Role.Kind.FUNCTIONAL)
    client.force_login(ada)
    page = client.get(reverse("approvals:route_create"))
    assert b'value="invoices"' in page.content and b'value="accounts"' not in page.content

    response = client.post(
        reverse("approvals:route_create"),
        {
            "name": "Discounts",
            "section": "invoices",
            "is_active": "on",
            "steps-TOTAL_FORMS": "2",
            "steps-INITIAL_FORMS": "0",
            "steps-0-approver_user": bob.pk,
            "steps-1-approver_role": role.pk,
        },
    )

    assert response.status_code == 302
    route = ApprovalRoute.objects.get(name="Discounts")
    assert route.section == "invoices"
    assert [(s.position, s.approver_user_id, s.approver_role_id) for s in route.steps.all()] == [
        (1, bob.pk, None),
        (2, None, role.pk),
    ]


def test_a_step_with_both_a_user_and_a_role_is_refused_and_nothing_is_saved(client, ada, bob):
    role = Role.objects.create(name="Finance", kind=Role.Kind.FUNCTIONAL)
    client.force_login(ada)
    data = {"name": "Odd", "section": "orders", "steps-TOTAL_FORMS": "1", "steps-INITIAL_FORMS": "0"}

    response = client.post(
        reverse("approvals:route_create"), {**data, "steps-0-approver_user": bob.pk, "steps-0-approver_role": role.pk}
    )

    assert response.status_code == 200
    assert "Choose a user or a role, not both." in response.content.decode()
    assert not ApprovalRoute.objects.filter(name="Odd").exists()


def test_an_administrator_edits_and_deletes_an_unused_route_but_not_a_used_one(client, ada, alice, orders_route, order):
    client.force_login(ada)
    response = client.post(
        reverse("approvals:route_update", args=[orders_route.pk]),
        {
            "name": "Orders over 10,000",
            "section": "orders",
            "is_active": "on",
            "steps-TOTAL_FORMS": "1",
            "steps-INITIAL_FORMS": "1",
            "steps-0-id": orders_route.steps.get().pk,
            "steps-0-approver_user": ada.pk,
        },
    )
    assert response.status_code == 302
    orders_route.refresh_from_db()
    assert orders_route.name == "Orders over 10,000" and orders_route.is_active
    assert orders_route.steps.get().approver_user_id == ada.pk

    services.send_for_approval(user=alice, record=order)
    client.post(reverse("approvals:route_delete", args=[orders_route.pk]))
    assert ApprovalRoute.objects.filter(pk=orders_route.pk).exists()

    unused = ApprovalRoute.objects.create(section="orders", name="Unused")
    client.post(reverse("approvals:route_delete", args=[unused.pk]))
    assert not ApprovalRoute.objects.filter(pk=unused.pk).exists()


def test_the_inbox_shows_customer_amount_sender_and_date(client, alice, bob, orders_route, order):
    services.send_for_approval(user=alice, record=order)
    client.force_login(bob)

    page = client.get(reverse("approvals:inbox")).content.decode()

    assert "Northwind Traders" in page
    assert "12,500.00" in page
    assert "Alice" in page
    assert 'data-field="date"' in page
    from crm.core.formats import short_datetime

    sent = Approval.objects.filter(status=Approval.Status.PENDING).latest("requested_at")
    assert f'<span data-field="date">{short_datetime(sent.requested_at)}</span>' in page  # as every page writes it


def test_approving_and_rejecting_in_the_inbox_redraw_the_row_in_place(client, alice, bob, orders_route, order):
    approval = services.send_for_approval(user=alice, record=order)
    client.force_login(bob)

    refused = client.post(reverse("approvals:reject", args=[approval.pk]), {"comment": ""}, HTTP_HX_REQUEST="true")
    assert refused.status_code == 200
    assert "Say why the record is rejected." in refused.content.decode()
    assert Approval.objects.get(pk=approval.pk).status == Approval.Status.PENDING

    approved = client.post(reverse("approvals:approve", args=[approval.pk]), HTTP_HX_REQUEST="true")
    body = approved.content.decode()
    assert approved.status_code == 200 and "<html" not in body
    assert 'data-outcome="approved"' in body
    assert Approval.objects.get(pk=approval.pk).status == Approval.Status.APPROVED

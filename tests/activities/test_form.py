"""The generic create/edit pages with the activity form: pre-filled connections, the due default, statuses along
the transitions and the result only once final."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from activities.models import Activity
from tests.factories import AccountFactory, ActivityFactory, ProductFactory


def form_data(**values) -> dict:
    data = {
        "title": "Call Nancy",
        "type": "call",
        "status": "not_started",
        "priority": "medium",
        "start": "2026-03-02T09:00",
        "show_in_calendar": "on",
    }
    data.update(values)
    return {k: v for k, v in data.items() if v is not None}


def test_creating_through_the_form_fills_the_due_time_and_adds_the_owner(alice_client, alice):
    response = alice_client.post(reverse("activities:create"), form_data(owner=alice.pk))

    activity = Activity.objects.get()
    assert response.status_code == 302
    assert activity.duration == 30
    assert list(activity.participants.values_list("user", flat=True)) == [alice.pk]


def test_the_form_refuses_a_result_while_the_activity_is_open(alice_client, alice, reached):
    response = alice_client.post(reverse("activities:create"), form_data(owner=alice.pk, result=reached.pk))

    assert response.status_code == 422
    assert "only once the activity is completed or canceled" in response.context["form"].errors["result"][0]
    assert not Activity.objects.exists()


def test_the_form_accepts_a_result_with_a_final_status(alice_client, alice, reached):
    response = alice_client.post(
        reverse("activities:create"), form_data(owner=alice.pk, status="completed", result=reached.pk)
    )

    assert response.status_code == 302
    assert Activity.objects.get().result == reached


def test_the_edit_form_offers_only_the_statuses_a_completed_activity_may_move_to(alice_client, alice):
    activity = ActivityFactory(owner=alice, status=Activity.Status.COMPLETED)

    form = alice_client.get(reverse("activities:update", args=[activity.pk])).context["form"]

    assert [value for value, _ in form.fields["status"].choices] == ["in_progress", "completed"]


def test_the_new_form_is_connected_to_the_account_it_was_opened_from(alice_client, account):
    response = alice_client.get(reverse("activities:create"), {"account": account.pk})

    assert response.context["form"].initial["account"] == str(account.pk)
    assert "Northwind Traders" in response.content.decode()


def test_the_new_form_shows_a_generically_connected_record_by_name(alice_client, alice):
    product = ProductFactory(owner=alice, name="Premium support")
    content_type = ContentType.objects.get_for_model(product)

    response = alice_client.get(
        reverse("activities:create"), {"connected_type": content_type.pk, "connected_id": product.pk}
    )

    assert response.context["form"].fields["connected_display"].initial.endswith("Premium support")
    saved = alice_client.post(
        reverse("activities:create"),
        form_data(owner=alice.pk, connected_type=content_type.pk, connected_id=product.pk),
    )
    assert saved.status_code == 302
    assert Activity.objects.get().connected == product


def test_the_form_refuses_a_connection_to_a_record_the_user_may_not_see(
    alice_client, alice, bob, only_owners_read_records
):
    bobs = AccountFactory(owner=bob)
    content_type = ContentType.objects.get_for_model(bobs)

    response = alice_client.post(
        reverse("activities:create"), form_data(owner=alice.pk, connected_type=content_type.pk, connected_id=bobs.pk)
    )

    assert response.status_code == 422
    assert not Activity.objects.exists()


def test_the_form_loads_its_script_deferred(alice_client):
    body = alice_client.get(reverse("activities:create")).content.decode()

    assert 'src="/static/js/activities-form.js" defer' in body


@pytest.mark.parametrize("name", ["list", "create", "calendar"])
def test_the_activities_pages_open(alice_client, name):
    assert alice_client.get(reverse(f"activities:{name}")).status_code == 200


def test_the_detail_page_shows_the_participants_tab_first(alice_client, alice):
    activity = ActivityFactory(owner=alice)

    response = alice_client.get(reverse("activities:detail", args=[activity.pk]))

    assert response.context["active_tab"] == "participants"
    assert "activities" not in dict(response.context["tabs"])

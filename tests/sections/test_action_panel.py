"""Every record page has an action panel: log a call, schedule a task or meeting, post to the feed, each through
its app's service, connected to the record."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from activities.models import Activity
from feed.models import Post
from tests.factories import AccountFactory, OpportunityFactory


@pytest.fixture
def northwind(alice):
    return AccountFactory(name="Northwind Traders", owner=alice)


def record_activity(client, section: str, record, **data):
    return client.post(reverse("activities:record_activity", args=[section, record.pk]), data)


@pytest.mark.parametrize("section", ["accounts", "opportunities"])
def test_the_record_page_offers_the_actions(alice_client, alice, section):
    record = AccountFactory(owner=alice) if section == "accounts" else OpportunityFactory(owner=alice)

    body = alice_client.get(reverse(f"{section}:detail", args=[record.pk])).content.decode()

    assert 'id="record-actions"' in body
    for action in ("log_call", "schedule", "post"):
        assert f'data-action="{action}"' in body
    assert reverse("activities:record_activity", args=[section, record.pk]) in body
    assert reverse("feed:record_post", args=[section, record.pk]) in body


def test_logging_a_call_creates_a_completed_call_about_the_account(alice_client, alice, northwind):
    response = record_activity(
        alice_client, "accounts", northwind, action="log", type="call", title="Renewal", notes="They will sign."
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:detail", args=[northwind.pk]) + "?tab=activities"
    call = Activity.objects.get(account=northwind)
    assert (call.type, call.status, call.title, call.result_details) == (
        "call",
        "completed",
        "Renewal",
        "They will sign.",
    )
    assert call.owner == alice


def test_scheduling_a_meeting_connects_it_to_the_deal(alice_client, alice):
    deal = OpportunityFactory(owner=alice)

    response = record_activity(
        alice_client, "opportunities", deal, action="schedule", type="meeting", title="Demo", start="2031-05-06T10:30"
    )

    assert response.status_code == 302
    meeting = Activity.objects.get(title="Demo")
    assert meeting.type == "meeting" and meeting.status == "not_started"
    assert (meeting.connected_type, meeting.connected_id) == (ContentType.objects.get_for_model(deal), deal.pk)
    assert meeting.start.year == 2031


def test_a_schedule_without_a_time_is_refused_and_keeps_what_was_typed(alice_client, northwind):
    response = record_activity(
        alice_client, "accounts", northwind, action="schedule", type="task", title="Send the offer", notes="PDF"
    )

    body = response.content.decode()
    assert response.status_code == 422
    assert "Give the date and time." in body
    assert 'value="Send the offer"' in body
    assert not Activity.objects.exists()


def test_posting_from_the_panel_posts_about_the_record(alice_client, northwind):
    response = alice_client.post(reverse("feed:record_post", args=["accounts", northwind.pk]), {"text": "Signed!"})

    assert response.status_code == 302
    post = Post.objects.get()
    assert (post.text, post.object_id) == ("Signed!", northwind.pk)


def test_no_activity_about_a_record_the_user_may_not_see(client, bob, northwind, record_rights):
    record_rights("accounts")
    client.force_login(bob)

    response = record_activity(client, "accounts", northwind, action="log", type="call", title="Sneaky")

    assert response.status_code == 404
    assert not Activity.objects.exists()

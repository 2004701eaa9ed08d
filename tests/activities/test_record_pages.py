"""What activities add to record pages: the Activities tab and timeline items on any section's record, the
Participants tab of an activity, the list's query budget and the home page's "my activities today"."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from activities.models import Activity, ActivityCategory
from crm.core import formats
from crm.sections import registry
from tests.factories import AccountFactory, ActivityFactory, ContactFactory, ParticipantFactory, ProductFactory
from tests.factories.registry import make_records


def tab(client, section: str, pk: int, name: str):
    return client.get(reverse(f"{section}:tab", args=[pk, name]), HTTP_HX_REQUEST="true")


# --- the Activities tab and the timeline ------------------------------------------------------------------------


def test_an_accounts_activities_tab_lists_its_activities_and_offers_a_connected_new_one(alice_client, alice, account):
    ActivityFactory(owner=alice, account=account, title="Visit Northwind")
    ActivityFactory(owner=alice, title="Something else")

    response = tab(alice_client, "accounts", account.pk, "activities")

    assert [a.title for a in response.context["activities"]] == ["Visit Northwind"]
    assert response.context["new_url"] == f"{reverse('activities:create')}?account={account.pk}"


def test_a_contacts_tab_shows_the_activities_about_the_contact(alice_client, alice, contact):
    ActivityFactory(owner=alice, contact=contact, title="Call Nancy")
    ActivityFactory(owner=alice, account=contact.account, title="About the account only")

    response = tab(alice_client, "contacts", contact.pk, "activities")

    assert [a.title for a in response.context["activities"]] == ["Call Nancy"]


def test_any_sections_record_lists_the_activities_connected_to_it(alice_client, alice):
    """A later section (here products) gets the tab with no change to activities."""
    product = ProductFactory(owner=alice)
    content_type = ContentType.objects.get_for_model(product)
    ActivityFactory(owner=alice, connected_type=content_type, connected_id=product.pk, title="Demo the product")

    response = tab(alice_client, "products", product.pk, "activities")

    assert [a.title for a in response.context["activities"]] == ["Demo the product"]
    assert response.context["new_url"].endswith(f"?connected_type={content_type.pk}&connected_id={product.pk}")


def test_the_tab_leaves_out_activities_the_user_may_not_see(
    alice_client, alice, bob, account, only_owners_read_records
):
    ActivityFactory(owner=alice, account=account, title="Mine")
    ActivityFactory(owner=bob, account=account, title="Bob's")

    response = tab(alice_client, "accounts", account.pk, "activities")

    assert [a.title for a in response.context["activities"]] == ["Mine"]


def test_the_timeline_shows_the_activities_of_the_record(alice_client, alice, bob, account, only_owners_read_records):
    ActivityFactory(owner=alice, account=account, title="Visit Northwind", type="meeting")
    ActivityFactory(owner=bob, account=account, title="Bob's private call")

    response = tab(alice_client, "accounts", account.pk, "timeline")

    titles = [item.title for item in response.context["items"] if item.kind == "activity"]
    assert titles == ["Meeting: Visit Northwind"]
    assert ("activity", "Activities") in response.context["kinds"]


# --- the Participants tab -----------------------------------------------------------------------------------------


def test_the_participants_tab_shows_users_and_contacts_with_job_title(alice_client, alice, bob, contact):
    activity = ActivityFactory(owner=alice, contact=contact)
    ParticipantFactory(activity=activity, user=bob)

    body = tab(alice_client, "activities", activity.pk, "participants").content.decode()

    assert "Alice Archer" in body and "Bob Baker" in body
    assert "Nancy Davolio" in body and "Buyer" in body


def test_adding_and_removing_participants_from_the_tab(alice_client, alice, bob, contact):
    activity = ActivityFactory(owner=alice)

    alice_client.post(reverse("activities:participant_add", args=[activity.pk]), {"user": bob.pk})
    response = alice_client.post(reverse("activities:participant_add", args=[activity.pk]), {"contact": contact.pk})

    assert response["Location"] == reverse("activities:detail", args=[activity.pk]) + "?tab=participants"
    assert set(activity.participants.values_list("user", "contact")) == {
        (alice.pk, None),
        (bob.pk, None),
        (None, contact.pk),
    }
    bobs = activity.participants.get(user=bob)
    alice_client.post(reverse("activities:participant_remove", args=[activity.pk, bobs.pk]))
    assert not activity.participants.filter(user=bob).exists()


def test_a_participant_of_another_activity_cannot_be_removed_through_this_one(alice_client, alice, bob):
    activity, other = ActivityFactory(owner=alice), ActivityFactory(owner=alice)
    bobs = ParticipantFactory(activity=other, user=bob)

    response = alice_client.post(reverse("activities:participant_remove", args=[activity.pk, bobs.pk]))

    assert response.status_code == 404
    assert other.participants.filter(user=bob).exists()


# --- the list -------------------------------------------------------------------------------------------------------


def test_the_activities_list_stays_within_its_query_budget_at_25_and_100_rows(
    alice_client, alice, django_assert_max_num_queries
):
    make_records_with_contacts(alice, 110)
    url = reverse("activities:list")
    alice_client.get(url)

    # 1 session, 2 user, 3 the users of the owner filter, 4 the ids of the page, 5 the rows of the page
    # (categories, accounts, contacts and owners joined), 6 the bounded count, 7 the list preference, 8 the
    # folders, 9 the unread notifications, 10 the categories of the filter form, 11 the users of the bulk bar's
    # "new owner" choice, 12 remembering the changed query (the page size) for the user
    for per_page in (25, 100):
        with django_assert_max_num_queries(13):
            response = alice_client.get(url, {"per_page": per_page})
        assert len(response.context["rows"]) == per_page


def make_records_with_contacts(owner, count: int) -> None:
    account = AccountFactory(owner=owner)
    contact = ContactFactory(owner=owner, account=account)
    category = ActivityCategory.objects.get_or_create(name="Call")[0]
    ActivityFactory.create_batch(count, owner=owner, account=account, contact=contact, category=category)


def test_the_list_filters_on_a_start_preset(alice_client, alice):
    ActivityFactory(owner=alice, title="Today", start=timezone.now())
    ActivityFactory(owner=alice, title="Long ago", start=timezone.now() - datetime.timedelta(days=400))

    response = alice_client.get(reverse("activities:list"), {"start": "today"})

    assert [a.title for a in response.context["rows"]] == ["Today"]


@pytest.mark.parametrize("per_page", [25, 100])
def test_the_registry_factory_makes_listable_activities(alice_client, alice, per_page):
    make_records(registry.get("activities"), alice, per_page)

    assert len(alice_client.get(reverse("activities:list"), {"per_page": per_page}).context["rows"]) == per_page


# --- home -------------------------------------------------------------------------------------------------------------


def test_home_shows_my_open_activities_of_today_and_the_overdue_ones(alice_client, alice, bob):
    now = timezone.now()
    half_hour = datetime.timedelta(minutes=30)
    overdue = ActivityFactory(owner=alice, title="Overdue call", start=now - datetime.timedelta(days=2))
    ActivityFactory(owner=alice, title="Coming up", start=now, due=now + half_hour)
    ActivityFactory(owner=alice, title="Done", status=Activity.Status.COMPLETED, start=now, due=now + half_hour)
    ActivityFactory(owner=bob, title="Bob's", start=now, due=now + half_hour)
    ActivityFactory(owner=alice, title="Next month", start=now + datetime.timedelta(days=40))

    body = alice_client.get(reverse("home")).content.decode()

    card = body.split('id="my-activities-today"')[1].split("</ul>")[0]
    assert "Overdue call" in card and "Coming up" in card
    assert "Done" not in card and "Bob's" not in card and "Next month" not in card
    assert card.index("Overdue call") < card.index("Coming up")
    # the overdue one says so in red, with the page's own styles (the home page loads no section's stylesheet)
    overdue_item = card.split("Overdue call")[1].split("</li>")[0]
    assert 'class="overdue text-danger"' in overdue_item
    assert "text-danger" not in card.split("Coming up")[1].split("</li>")[0]
    # times as the lists write them: the overdue one with its date, today's with its time alone
    assert f"overdue · {formats.short_datetime(overdue.due)}" in overdue_item
    assert formats.short_time(now) in card.split("Coming up")[1].split("</li>")[0]

"""The activity services: creating one connected to a record, its statuses and result, the default due time,
participants, and rescheduling with optimistic locking."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from activities import services
from activities.models import Activity, Participant
from crm.sections import registry
from crm.sections.models import ChangeLogEntry
from crm.sections.services import StaleRecordError, update_record
from tests.factories import AccountFactory, ActivityFactory, ContactFactory, ProductFactory, UserFactory

MONDAY_NINE = timezone.make_aware(datetime.datetime(2026, 3, 2, 9, 0))


def create(user, **data):
    return services.create_activity(user=user, data={"title": "Call Nancy", "start": MONDAY_NINE, **data})


# --- creating -------------------------------------------------------------------------------------------------


def test_due_defaults_to_thirty_minutes_after_the_start_and_the_duration_follows(alice):
    activity = create(alice)

    assert activity.due == MONDAY_NINE + datetime.timedelta(minutes=30)
    assert activity.duration == 30


def test_the_duration_is_the_time_between_start_and_due(alice):
    activity = create(alice, due=MONDAY_NINE + datetime.timedelta(hours=1, minutes=45))

    assert activity.duration == 105


def test_an_activity_cannot_end_before_it_starts(alice):
    with pytest.raises(ValidationError) as error:
        create(alice, due=MONDAY_NINE - datetime.timedelta(minutes=1))

    assert "due" in error.value.message_dict
    assert not Activity.objects.exists()


def test_a_new_activity_belongs_to_its_creator_who_is_its_author_and_is_logged(alice):
    activity = create(alice)

    assert activity.owner == alice
    assert activity.created_by == alice
    assert ChangeLogEntry.objects.filter(object_id=activity.pk, action="create").exists()


def test_the_owner_and_the_contact_take_part_automatically(alice, contact):
    activity = create(alice, contact=contact)

    assert set(activity.participants.values_list("user", "contact")) == {(alice.pk, None), (None, contact.pk)}


def test_extra_users_and_contacts_take_part_without_duplicates(alice, bob, contact):
    other = ContactFactory(owner=alice)

    activity = services.create_activity(
        user=alice,
        data={"title": "Kick-off", "start": MONDAY_NINE, "contact": contact},
        users=[alice, bob],
        contacts=[contact, other],
    )

    assert activity.participants.count() == 4


def test_a_new_owner_takes_part_too(alice, bob):
    activity = create(alice)

    update_record(section=registry.get("activities"), user=alice, obj=activity, data={"owner": bob}, expected_version=1)

    assert set(activity.participants.values_list("user", flat=True)) == {alice.pk, bob.pk}


def test_connecting_to_an_account_fills_the_account_field(alice, account):
    activity = services.create_activity(user=alice, data={"title": "Visit", "start": MONDAY_NINE}, connected_to=account)

    assert activity.account == account
    assert activity.connected_type is None


def test_connecting_to_a_contact_brings_its_account_along(alice, contact, account):
    activity = services.create_activity(user=alice, data={"title": "Call", "start": MONDAY_NINE}, connected_to=contact)

    assert (activity.contact, activity.account) == (contact, account)


def test_a_record_without_its_own_field_is_connected_generically(alice):
    """Sections to come (leads, opportunities, ...) connect without a migration of activities."""
    product = ProductFactory(owner=alice)
    Product = type(product)

    activity = services.create_activity(user=alice, data={"title": "Demo", "start": MONDAY_NINE}, connected_to=product)

    assert activity.connected_type == ContentType.objects.get_for_model(Product)
    assert activity.connected_id == product.pk
    assert activity.connected == product


def test_a_record_the_user_may_not_see_cannot_be_connected(alice, bob, only_owners_read_records):
    bobs_account = AccountFactory(owner=bob)

    with pytest.raises(ValidationError):
        services.create_activity(user=alice, data={"title": "Visit", "start": MONDAY_NINE}, connected_to=bobs_account)

    assert not Activity.objects.exists()


# --- statuses and results ---------------------------------------------------------------------------------------


def test_moving_to_completed_records_the_result(alice, reached, call_category):
    activity = create(alice, category=call_category)

    activity = services.move_to(
        user=alice,
        activity=activity,
        status=Activity.Status.COMPLETED,
        result=reached,
        result_details="Will order next week",
        expected_version=1,
    )

    activity.refresh_from_db()
    assert (activity.status, activity.result, activity.result_details) == ("completed", reached, "Will order next week")
    assert activity.version == 2


def test_a_result_is_refused_while_the_activity_is_open(alice, reached):
    activity = create(alice)

    with pytest.raises(ValidationError) as error:
        services.move_to(
            user=alice, activity=activity, status=Activity.Status.IN_PROGRESS, result=reached, expected_version=1
        )

    assert "result" in error.value.message_dict
    activity.refresh_from_db()
    assert activity.status == Activity.Status.NOT_STARTED


def test_the_database_refuses_a_result_on_an_open_activity(alice, reached):
    """The rule holds whatever path writes: a check constraint backs the services and the form."""
    from django.db import IntegrityError, transaction

    activity = create(alice)

    with pytest.raises(IntegrityError), transaction.atomic():
        Activity.objects.filter(pk=activity.pk).update(result=reached)


def test_a_result_of_another_category_is_refused(alice, held, call_category):
    activity = create(alice, category=call_category)

    with pytest.raises(ValidationError) as error:
        services.move_to(
            user=alice, activity=activity, status=Activity.Status.COMPLETED, result=held, expected_version=1
        )

    assert "result" in error.value.message_dict


def test_reopening_a_completed_activity_discards_its_result(alice, reached):
    activity = create(alice, status=Activity.Status.COMPLETED, result=reached, result_details="Done")

    activity = services.move_to(user=alice, activity=activity, status=Activity.Status.IN_PROGRESS, expected_version=1)

    activity.refresh_from_db()
    assert (activity.status, activity.result, activity.result_details) == ("in_progress", None, "")


@pytest.mark.parametrize(
    ("start", "to"),
    [("completed", "not_started"), ("completed", "canceled"), ("canceled", "completed"), ("canceled", "in_progress")],
)
def test_undeclared_transitions_are_refused(alice, start, to):
    activity = create(alice, status=start)

    with pytest.raises(ValidationError) as error:
        services.move_to(user=alice, activity=activity, status=to, expected_version=1)

    assert "cannot move from" in error.value.message_dict["status"][0]
    activity.refresh_from_db()
    assert activity.status == start


@pytest.mark.parametrize(
    ("start", "to"),
    [
        ("not_started", "in_progress"),
        ("in_progress", "completed"),
        ("not_started", "canceled"),
        ("canceled", "not_started"),
    ],
)
def test_declared_transitions_are_allowed(alice, start, to):
    activity = create(alice, status=start)

    activity = services.move_to(user=alice, activity=activity, status=to, expected_version=1)

    assert activity.status == to


def test_a_stale_status_change_is_refused(alice, bob):
    activity = create(alice)
    services.move_to(user=alice, activity=activity, status=Activity.Status.IN_PROGRESS, expected_version=1)

    with pytest.raises(StaleRecordError):
        services.move_to(user=bob, activity=activity, status=Activity.Status.CANCELED, expected_version=1)

    activity.refresh_from_db()
    assert activity.status == Activity.Status.IN_PROGRESS


# --- rescheduling -------------------------------------------------------------------------------------------------


def test_rescheduling_moves_the_activity_and_keeps_the_duration_right(alice):
    activity = create(alice)
    later = MONDAY_NINE + datetime.timedelta(days=1, hours=2)

    activity = services.reschedule(
        user=alice, activity=activity, start=later, due=later + datetime.timedelta(hours=1), expected_version=1
    )

    activity.refresh_from_db()
    assert (activity.start, activity.duration, activity.version) == (later, 60, 2)


def test_a_stale_reschedule_changes_nothing(alice):
    activity = create(alice)
    services.reschedule(
        user=alice,
        activity=activity,
        start=MONDAY_NINE,
        due=MONDAY_NINE + datetime.timedelta(hours=2),
        expected_version=1,
    )

    with pytest.raises(StaleRecordError):
        services.reschedule(
            user=alice,
            activity=activity,
            start=MONDAY_NINE + datetime.timedelta(days=1),
            due=MONDAY_NINE + datetime.timedelta(days=1, minutes=30),
            expected_version=1,
        )

    activity.refresh_from_db()
    assert activity.start == MONDAY_NINE
    assert activity.duration == 120


def test_a_new_reminder_time_arms_the_reminder_again(alice):
    activity = create(alice, remind_owner=True, remind_at=MONDAY_NINE - datetime.timedelta(minutes=15))
    Activity.objects.filter(pk=activity.pk).update(reminded_at=timezone.now())
    activity.refresh_from_db()

    update_record(
        section=registry.get("activities"),
        user=alice,
        obj=activity,
        data={"remind_at": MONDAY_NINE - datetime.timedelta(minutes=5)},
        expected_version=1,
    )

    activity.refresh_from_db()
    assert activity.reminded_at is None


# --- participants -------------------------------------------------------------------------------------------------


def test_adding_and_removing_a_participant(alice, bob):
    activity = create(alice)

    participant = services.add_participant(user=alice, activity=activity, participant_user=bob)
    services.add_participant(user=alice, activity=activity, participant_user=bob)
    assert activity.participants.filter(user=bob).count() == 1

    services.remove_participant(user=alice, participant=participant)
    assert not activity.participants.filter(user=bob).exists()


def test_the_owner_cannot_be_removed_from_the_participants(alice):
    activity = create(alice)
    owner = activity.participants.get(user=alice)

    with pytest.raises(ValidationError):
        services.remove_participant(user=alice, participant=owner)

    assert Participant.objects.filter(pk=owner.pk).exists()


def test_someone_who_may_not_edit_the_activity_cannot_add_participants(alice, bob, only_owners_read_records):
    activity = create(alice)

    with pytest.raises(PermissionDenied):
        services.add_participant(user=bob, activity=activity, participant_user=bob)

    assert not activity.participants.filter(user=bob).exists()


def test_a_contact_the_user_may_not_see_cannot_be_added(alice, bob, only_owners_read_records):
    activity = create(alice)
    bobs_contact = ContactFactory(owner=bob)

    with pytest.raises(ValidationError):
        services.add_participant(user=alice, activity=activity, contact=bobs_contact)


def test_an_inactive_user_cannot_take_part(alice):
    activity = create(alice)
    gone = UserFactory(is_active=False)

    with pytest.raises(ValidationError):
        services.add_participant(user=alice, activity=activity, participant_user=gone)


def test_a_factory_activity_is_valid(alice):
    activity = ActivityFactory(owner=alice)

    activity.full_clean()
    assert activity.state == "open"

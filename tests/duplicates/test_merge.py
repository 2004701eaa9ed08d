"""Merging records: the user's field choices, details united without repeats, every reference re-pointed (found
from the model relations), unique constraints respected, all or nothing, and the old ids leading to the survivor."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from activities.models import Activity
from contacts.models import Contact, ContactAddress, ContactAddressType, ContactCommunication, ContactCommunicationType
from crm.access.grants import share_record
from crm.duplicates import merge
from crm.duplicates.models import DuplicateKey, MergedRecord
from crm.sections.models import Attachment, ChangeLogEntry, Note
from feed.models import Follow
from opportunities.models import Opportunity, OpportunityContact
from tests.factories import ActivityFactory, OpportunityContactFactory, OpportunityFactory, PostFactory
from tests.factories.customers import lookup

pytestmark = pytest.mark.django_db


def phone(contact, value, type_name="Mobile phone", primary=False):
    return ContactCommunication.objects.create(
        contact=contact,
        type=lookup(ContactCommunicationType, type_name),
        value=value,
        normalized="+" + "".join(c for c in value if c.isdigit()),
        is_primary=primary,
    )


def address(contact, street, city="Berlin"):
    return ContactAddress.objects.create(
        contact=contact, type=lookup(ContactAddressType, "Home"), street=street, city=city
    )


@pytest.fixture
def pair(make_contact):
    """Two Ann Lees: the older one with a job title, the newer with another title and an email."""
    older = make_contact("Ann Lee", job_title="Buyer")
    newer = make_contact("Anne Lee", job_title="Head of purchasing", email="ann@example.com")
    Contact.objects.filter(pk=older.pk).update(created_at=timezone.now() - datetime.timedelta(days=30))
    older.refresh_from_db()
    return older, newer


def test_the_oldest_survives_and_takes_the_values_chosen(alice, contacts_section, pair):
    older, newer = pair

    choices = merge.field_choices(section=contacts_section, user=alice, survivor=older, others=[newer])
    job = next(c for c in choices if c.name == "job_title")
    assert job.options == [(older.pk, "Buyer"), (newer.pk, "Head of purchasing")] and job.chosen == older.pk
    assert merge.merge_order([newer, older])[0] == older

    survivor = merge.merge_records(
        section=contacts_section, user=alice, survivor=older, others=[newer], choices={"job_title": newer.pk}
    )

    survivor.refresh_from_db()
    assert (survivor.pk, survivor.job_title, survivor.email, survivor.version) == (
        older.pk,
        "Head of purchasing",
        "ann@example.com",  # empty on the survivor: the other's value is kept
        2,
    )
    assert not Contact.objects.filter(pk=newer.pk).exists()
    entry = ChangeLogEntry.objects.get(object_id=older.pk, action="merge")
    assert {"field": "job_title", "label": "job title", "old": "Buyer", "new": "Head of purchasing"} in entry.changes
    assert entry.changes[-1]["old"] == f"Anne Lee (#{newer.pk})"


def test_communication_options_and_addresses_are_united_without_repeats(alice, contacts_section, pair):
    older, newer = pair
    phone(older, "+1 415 555 0100", primary=True)
    phone(newer, "+1 (415) 555-0100", primary=True)  # the same number
    phone(newer, "+1 212 555 0199", primary=True)
    address(older, "1 Main Street")
    address(newer, "1 main street ")  # the same address
    address(newer, "9 Elm Road")

    merge.merge_records(section=contacts_section, user=alice, survivor=older, others=[newer])

    numbers = sorted(older.communication_options.values_list("normalized", "is_primary"))
    assert numbers == [("+12125550199", False), ("+14155550100", True)]
    assert sorted(older.addresses.values_list("street", flat=True)) == ["1 Main Street", "9 Elm Road"]


def test_references_of_every_kind_move_to_the_survivor(alice, contacts_section, pair):
    older, newer = pair
    content_type = ContentType.objects.get_for_model(Contact)
    opportunity = OpportunityFactory(owner=alice, contact=newer)
    activity = ActivityFactory(owner=alice, account=None, contact=newer)
    connected = ActivityFactory(owner=alice, account=None, contact=None)
    Activity.objects.filter(pk=connected.pk).update(connected_type=content_type, connected_id=newer.pk)
    post = PostFactory(author=alice, record=newer)
    Follow.objects.create(user=alice, content_type=content_type, object_id=newer.pk)
    Follow.objects.create(user=alice, content_type=content_type, object_id=older.pk)  # the same follow twice
    note = Note.objects.create(content_type=content_type, object_id=newer.pk, text="Met at the fair", author=alice)
    attachment = Attachment.objects.create(
        content_type=content_type, object_id=newer.pk, kind="link", name="CV", url="https://example.com/cv"
    )

    merge.merge_records(section=contacts_section, user=alice, survivor=older, others=[newer])

    opportunity.refresh_from_db()
    activity.refresh_from_db()
    connected.refresh_from_db()
    post.refresh_from_db()
    note.refresh_from_db()
    attachment.refresh_from_db()
    assert opportunity.contact_id == older.pk
    assert activity.contact_id == older.pk
    assert connected.connected_id == older.pk
    assert post.object_id == older.pk
    assert (note.object_id, attachment.object_id) == (older.pk, older.pk)
    assert Follow.objects.filter(content_type=content_type).count() == 1


def test_a_row_a_unique_constraint_allows_once_is_dropped_not_crashed_on(alice, contacts_section, pair):
    older, newer = pair
    opportunity = OpportunityFactory(owner=alice)
    kept = OpportunityContactFactory(opportunity=opportunity, contact=older)
    OpportunityContactFactory(opportunity=opportunity, contact=newer)
    other = OpportunityContactFactory(opportunity__owner=alice, contact=newer)

    merge.merge_records(section=contacts_section, user=alice, survivor=older, others=[newer])

    assert list(OpportunityContact.objects.filter(opportunity=opportunity)) == [kept]
    other.refresh_from_db()
    assert other.contact_id == older.pk


def test_merging_accounts_moves_their_contacts_and_opportunities(alice, accounts_section):
    from tests.factories import AccountFactory, ContactFactory

    first = AccountFactory(owner=alice, name="Acme")
    second = AccountFactory(owner=alice, name="ACME Ltd")
    employee = ContactFactory(owner=alice, account=second)
    deal = OpportunityFactory(owner=alice, account=second)

    merge.merge_records(section=accounts_section, user=alice, survivor=first, others=[second])

    employee.refresh_from_db()
    deal.refresh_from_db()
    assert (employee.account_id, deal.account_id) == (first.pk, first.pk)


def test_a_failure_midway_leaves_everything_as_it_was(alice, contacts_section, pair, monkeypatch):
    older, newer = pair
    opportunity = OpportunityFactory(owner=alice, contact=newer)
    phone(newer, "+1 212 555 0199")

    def fail(*args, **kwargs):
        raise RuntimeError("the database went away")

    # the very last step of the merge fails: after every reference was re-pointed
    monkeypatch.setattr("crm.duplicates.services.resolve_groups_with", fail)
    with pytest.raises(RuntimeError):
        merge.merge_records(
            section=contacts_section, user=alice, survivor=older, others=[newer], choices={"job_title": newer.pk}
        )

    older.refresh_from_db()
    opportunity.refresh_from_db()
    assert Contact.objects.filter(pk=newer.pk).exists()
    assert (older.job_title, older.version, opportunity.contact_id) == ("Buyer", 1, newer.pk)
    assert newer.communication_options.count() == 1
    assert not MergedRecord.objects.exists() and not ChangeLogEntry.objects.filter(action="merge").exists()


def test_the_merged_away_id_leads_to_the_survivor(alice_client, alice, contacts_section, pair):
    older, newer = pair
    merge.merge_records(section=contacts_section, user=alice, survivor=older, others=[newer])

    response = alice_client.get(reverse("contacts:detail", args=[newer.pk]))

    assert response.status_code == 302
    assert response["Location"] == reverse("contacts:detail", args=[older.pk])
    assert alice_client.get(reverse("contacts:detail", args=[999999])).status_code == 404


def test_a_chain_of_merges_leads_to_the_last_survivor(alice_client, alice, contacts_section, make_contact, pair):
    older, newer = pair
    third = make_contact("A. Lee")
    merge.merge_records(section=contacts_section, user=alice, survivor=older, others=[newer])
    merge.merge_records(section=contacts_section, user=alice, survivor=third, others=[older])

    response = alice_client.get(reverse("contacts:detail", args=[newer.pk]))

    assert response["Location"] == reverse("contacts:detail", args=[third.pk])


def test_the_keys_of_the_merged_away_record_are_dropped(alice, contacts_section, pair):
    older, newer = pair

    merge.merge_records(section=contacts_section, user=alice, survivor=older, others=[newer])

    assert not DuplicateKey.objects.filter(object_id=newer.pk).exists()
    assert DuplicateKey.objects.filter(object_id=older.pk, key="any_email/email=ann@example.com").exists()


def test_no_merge_without_the_right_to_delete_the_others(alice, bob, contacts_section, pair, only_owners_edit_records):
    older, newer = pair
    share_record(user=alice, obj=older, level=3, grantee_user=bob)
    share_record(user=alice, obj=newer, level=2, grantee_user=bob)  # edit, not delete

    with pytest.raises(PermissionDenied, match="delete"):
        merge.merge_records(section=contacts_section, user=bob, survivor=older, others=[newer])

    assert Contact.objects.filter(pk=newer.pk).exists()


def test_no_merge_without_the_right_to_edit_the_survivor(
    alice, bob, contacts_section, make_contact, only_owners_edit_records
):
    mine = make_contact("Ann Lee", owner=bob)
    theirs = make_contact("Ann Lee")
    share_record(user=bob, obj=mine, level=1, grantee_user=alice)  # read only

    with pytest.raises(PermissionDenied, match="edit"):
        merge.merge_records(section=contacts_section, user=alice, survivor=mine, others=[theirs])

    assert Contact.objects.count() == 2


def test_with_edit_and_delete_rights_the_merge_goes_through(
    alice, bob, contacts_section, pair, only_owners_edit_records
):
    older, newer = pair
    share_record(user=alice, obj=older, level=2, grantee_user=bob)
    share_record(user=alice, obj=newer, level=3, grantee_user=bob)

    merge.merge_records(section=contacts_section, user=bob, survivor=older, others=[newer])

    assert list(Contact.objects.all()) == [older]


def test_no_merge_without_the_operation_right(alice, contacts_section, pair, role_tree):
    from crm.access.models import Membership, OperationRight

    older, newer = pair
    Membership.objects.create(user=alice, role=role_tree.team_a)
    OperationRight.objects.create(operation="merge_duplicates", role=role_tree.team_a, allowed=False, priority=1)

    with pytest.raises(PermissionDenied):
        merge.merge_records(section=contacts_section, user=alice, survivor=older, others=[newer])


def test_the_merge_page_offers_a_radio_per_conflicting_field_and_merges(alice_client, pair):
    older, newer = pair
    url = reverse("duplicates:merge", args=["contacts"])

    page = alice_client.get(url, {"ids": [older.pk, newer.pk]})
    body = page.content.decode()
    assert f'name="field_job_title" value="{newer.pk}"' in body
    assert 'name="field_email"' not in body  # only one value: nothing to choose

    response = alice_client.post(
        url, {"ids": [older.pk, newer.pk], "survivor": older.pk, "field_job_title": newer.pk, "merge": "1"}
    )

    assert response["Location"] == reverse("contacts:detail", args=[older.pk])
    older.refresh_from_db()
    assert older.job_title == "Head of purchasing"


def test_the_merge_page_refuses_a_user_without_delete_rights(client, bob, pair, only_owners_edit_records):
    older, newer = pair
    client.force_login(bob)

    response = client.post(reverse("duplicates:merge", args=["contacts"]), {"ids": [older.pk, newer.pk], "merge": "1"})

    assert response.status_code == 302  # bob sees neither record: nothing to merge
    assert Contact.objects.count() == 2
    assert Opportunity.objects.count() == 0

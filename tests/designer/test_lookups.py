"""The Lookups page: every lookup table in one list; values added, renamed, reordered, deactivated, deleted only
while unused, merged (the records re-pointed, in one transaction); tables made at runtime for custom fields."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from accounts.models import Account, Industry
from crm.access.models import Membership, OperationRight
from crm.designer import lookup_tables as lookups
from crm.designer.models import FieldDefinition, LookupTable, LookupValue
from opportunities.models import OpportunityStage
from tests.factories import AccountFactory, ContactFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def industries():
    return lookups.table_for("accounts.industry")


@pytest.fixture
def lookups_client(client, bob, role_tree):
    """bob may manage lookups (and is no designer)."""
    Membership.objects.create(user=bob, role=role_tree.administrators)
    OperationRight.objects.create(role=role_tree.administrators, operation="manage_lookups", allowed=True)
    client.force_login(bob)
    return client


def test_the_page_lists_every_lookup_table_by_the_sections_using_it(lookups_client):
    LookupTable.objects.create(code="regions", title="Regions")

    response = lookups_client.get(reverse("designer:lookups"))

    keys = [table.key for _, tables in response.context["folders"] for table in tables]
    assert {"accounts.industry", "opportunities.opportunitystage", "custom.regions"} <= set(keys)
    assert any("Accounts" in folder for folder, _ in response.context["folders"])


def test_without_the_right_the_page_does_not_exist(alice_client):
    assert alice_client.get(reverse("designer:lookups")).status_code == 404
    response = alice_client.post(reverse("designer:lookup", args=["accounts.industry"]), {"action": "add", "name": "X"})
    assert response.status_code == 404
    assert not Industry.objects.filter(name="X").exists()


def test_values_are_added_renamed_reordered_and_deactivated(ada, industries):
    value = lookups.add_value(user=ada, table=industries, name="Space travel")
    lookups.rename_value(user=ada, table=industries, value=value, name="Space")
    lookups.move_value(user=ada, table=industries, value=value, offset=-1)
    lookups.set_active(user=ada, table=industries, value=value, active=False)

    names = list(Industry.objects.order_by("position", "name").values_list("name", flat=True))
    value.refresh_from_db()
    assert (value.name, value.is_active) == ("Space", False)
    assert names.index("Space") == len(names) - 2


def test_a_name_twice_is_refused(ada, industries):
    existing = Industry.objects.first()

    with pytest.raises(ValidationError, match="already a value"):
        lookups.add_value(user=ada, table=industries, name=existing.name.upper())


def test_a_value_in_use_is_never_deleted(ada, alice, industries):
    used = Industry.objects.first()
    AccountFactory(owner=alice, industry=used)

    with pytest.raises(ValidationError, match="is in use"):
        lookups.delete_value(user=ada, table=industries, value=used)
    assert Industry.objects.filter(pk=used.pk).exists()


def test_merging_re_points_the_records_and_removes_the_value(ada, alice, industries):
    source, target = Industry.objects.all()[:2]
    accounts = AccountFactory.create_batch(3, owner=alice, industry=source)

    moved = lookups.merge_values(user=ada, table=industries, source=source, target=target)

    assert moved == 3
    assert set(Account.objects.filter(pk__in=[a.pk for a in accounts]).values_list("industry", flat=True)) == {
        target.pk
    }
    assert not Industry.objects.filter(pk=source.pk).exists()


def test_a_stage_the_process_knows_is_not_merged_away(ada):
    table = lookups.table_for("opportunities.opportunitystage")
    won, lost = OpportunityStage.objects.get(code="won"), OpportunityStage.objects.get(code="lost")

    with pytest.raises(ValidationError, match="the process needs"):
        lookups.merge_values(user=ada, table=table, source=won, target=lost)


def test_someone_without_the_right_cannot_change_lookups_through_the_services(alice, industries):
    with pytest.raises(PermissionDenied):
        lookups.add_value(user=alice, table=industries, name="Nope")


def test_a_runtime_table_serves_custom_fields_and_merges_their_values(ada, alice):
    table = lookups.table_for(lookups.CUSTOM + lookups.create_table(user=ada, code="regions", title="Regions").code)
    north = lookups.add_value(user=ada, table=table, name="North")
    south = lookups.add_value(user=ada, table=table, name="South")
    FieldDefinition.objects.create(
        section="contacts", code="region", label="Region", kind="integer", options=["lookup:regions"]
    )
    contact = ContactFactory(owner=alice, custom={"region": north.pk})

    usage, north_id = lookups.usage(table), north.pk
    with pytest.raises(ValidationError, match="is in use"):
        lookups.delete_value(user=ada, table=table, value=north)
    lookups.merge_values(user=ada, table=table, source=north, target=south)

    contact.refresh_from_db()
    assert usage == {north_id: 1}
    assert contact.custom["region"] == south.pk
    assert list(LookupValue.objects.values_list("name", flat=True)) == ["South"]


def test_a_runtime_tables_code_is_checked(ada):
    with pytest.raises(ValidationError):
        lookups.create_table(user=ada, code="Not a code", title="X")


def test_the_page_adds_and_merges_values(lookups_client, alice):
    url = reverse("designer:lookup", args=["accounts.industry"])
    lookups_client.post(url, {"action": "add", "name": "Robotics"})
    robotics = Industry.objects.get(name="Robotics")
    target = Industry.objects.exclude(pk=robotics.pk).first()
    account = AccountFactory(owner=alice, industry=robotics)

    page = lookups_client.get(url)
    lookups_client.post(url, {"action": "merge", "value": robotics.pk, "into": target.pk})

    assert (robotics, 1) in page.context["rows"]
    account.refresh_from_db()
    assert account.industry == target


def test_a_merge_logs_the_change_on_every_record_it_re_points(ada, alice, industries):
    from django.contrib.contenttypes.models import ContentType

    from crm.sections.models import ChangeLogEntry

    source, target = Industry.objects.all()[:2]
    moved_accounts = AccountFactory.create_batch(3, owner=alice, industry=source)
    untouched = AccountFactory(owner=alice, industry=target)

    lookups.merge_values(user=ada, table=industries, source=source, target=target)

    entries = ChangeLogEntry.objects.filter(content_type=ContentType.objects.get_for_model(Account))
    assert sorted(entries.values_list("object_id", flat=True)) == sorted(a.pk for a in moved_accounts)
    assert untouched.pk not in entries.values_list("object_id", flat=True)
    entry = entries.first()
    assert (entry.user, entry.action) == (ada, ChangeLogEntry.Action.UPDATE)
    assert entry.changes == [{"field": "industry", "label": "industry", "old": str(source), "new": str(target)}]


def test_the_change_log_of_a_merge_costs_the_same_queries_for_ten_records_as_for_two(ada, alice, industries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def merge_with(count: int) -> int:
        source, target = lookups.add_value(user=ada, table=industries, name=f"From {count}"), Industry.objects.first()
        AccountFactory.create_batch(count, owner=alice, industry=source)
        with CaptureQueriesContext(connection) as queries:
            lookups.merge_values(user=ada, table=industries, source=source, target=target)
        return len(queries)

    merge_with(1)  # the process's caches (the content types) filled once, as in a running server
    assert merge_with(10) == merge_with(2)


def test_a_merge_of_a_runtime_tables_values_logs_the_custom_field(ada, alice):
    from crm.sections.models import ChangeLogEntry

    table = lookups.table_for(lookups.CUSTOM + lookups.create_table(user=ada, code="regions", title="Regions").code)
    north = lookups.add_value(user=ada, table=table, name="North")
    south = lookups.add_value(user=ada, table=table, name="South")
    FieldDefinition.objects.create(
        section="contacts", code="region", label="Region", kind="integer", options=["lookup:regions"]
    )
    contact = ContactFactory(owner=alice, custom={"region": north.pk})

    lookups.merge_values(user=ada, table=table, source=north, target=south)

    entry = ChangeLogEntry.objects.get(object_id=contact.pk, action=ChangeLogEntry.Action.UPDATE)
    assert entry.changes == [{"field": "custom__region", "label": "Region", "old": "North", "new": "South"}]

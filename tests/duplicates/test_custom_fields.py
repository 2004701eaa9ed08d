"""Custom fields in duplicate rules (the bulk search and the check before a save) and in the merge: a conflicting
custom value is the user's pick, an empty one is filled, one hidden from the user is kept without being shown."""

import datetime
import json

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from accounts.models import Account
from crm.access.models import ColumnRight, Membership
from crm.designer.models import FieldDefinition
from crm.duplicates import merge, services
from crm.duplicates.models import DuplicateRule, RuleAttribute
from crm.duplicates.selectors import candidates_for
from crm.sections.models import ChangeLogEntry
from tests.factories import AccountFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def tax_number(db):
    return FieldDefinition.objects.create(section="accounts", code="tax_number", label="Tax number", kind="text")


@pytest.fixture
def tax_rule(tax_number):
    """The only active rule of accounts: the same tax number (the presets would pair the factory's names)."""
    DuplicateRule.objects.filter(section="accounts").update(is_active=False)
    rule = DuplicateRule.objects.create(section="accounts", name="Tax number")
    RuleAttribute.objects.create(rule=rule, attribute="custom__tax_number", kind="text", threshold=100)
    return rule


def account(owner, name: str, **custom) -> Account:
    """An account indexed as a save through the form indexes it."""
    record = AccountFactory(owner=owner, name=name, custom=custom)
    services.index_record(record)
    return record


def found_groups() -> list[list[int]]:
    out = []

    class Output:
        def write(self, text):
            out.append(text)

    call_command("find_duplicates", "accounts", "--json", stdout=Output())
    return sorted(group["ids"] for group in json.loads("".join(out)))


def test_a_rule_on_a_custom_field_finds_the_same_tax_number_however_written(alice, tax_rule):
    first = account(alice, "Contoso", tax_number="DE 123-456")
    second = account(alice, "Fabrikam", tax_number="de123456")
    account(alice, "Northwind", tax_number="DE 999-999")
    account(alice, "Litware")

    assert found_groups() == [sorted([first.pk, second.pk])]


def test_the_check_before_saving_finds_an_account_with_the_same_tax_number(alice_client, alice, tax_rule):
    existing = account(alice, "Contoso", tax_number="DE 123-456")

    response = alice_client.post(
        reverse("accounts:create"), {"name": "Fabrikam", "owner": alice.pk, "custom__tax_number": "de-123456"}
    )

    assert response.status_code == 200
    assert [c.record for c in response.context["duplicate_candidates"]] == [existing]
    assert Account.objects.count() == 1


@pytest.mark.parametrize("retire", ["delete", "deactivate"])
def test_a_rule_whose_custom_field_is_gone_finds_nothing_and_the_others_still_work(
    alice, accounts_section, tax_rule, tax_number, retire
):
    DuplicateRule.objects.filter(section="accounts", name="Name").update(is_active=True)
    first = account(alice, "Contoso", tax_number="DE 123-456")
    account(alice, "Fabrikam", tax_number="DE 123-456")
    same_name = account(alice, "Contoso")
    if retire == "delete":
        tax_number.delete()
    else:
        FieldDefinition.objects.filter(pk=tax_number.pk).update(is_active=False)
        from crm.designer import fields

        fields.forget()

    assert found_groups() == [sorted([first.pk, same_name.pk])]
    probe = Account(name="Other", custom={"tax_number": "DE 123-456"})
    assert candidates_for(section=accounts_section, user=alice, instance=probe) == []


@pytest.fixture
def older_and_newer(alice, tax_number):
    """Two Contosos: the older created a month ago. Neither is indexed (the merge does not need it)."""
    older = AccountFactory(owner=alice, name="Contoso", custom={"tax_number": "DE 111"})
    newer = AccountFactory(owner=alice, name="Contoso Ltd", custom={"tax_number": "DE 222"})
    Account.objects.filter(pk=older.pk).update(created_at=timezone.now() - datetime.timedelta(days=30))
    older.refresh_from_db()
    return older, newer


def test_the_merge_page_offers_a_conflicting_custom_value_and_keeps_the_one_picked(alice_client, older_and_newer):
    older, newer = older_and_newer
    url = reverse("duplicates:merge", args=["accounts"])

    page = alice_client.get(url, {"ids": [older.pk, newer.pk]})
    choice = next(c for c in page.context["choices"] if c.name == "custom__tax_number")
    response = alice_client.post(
        url, {"ids": [older.pk, newer.pk], "survivor": older.pk, "merge": "1", "field_custom__tax_number": newer.pk}
    )

    assert (choice.label, choice.options, choice.chosen) == (
        "Tax number",
        [(older.pk, "DE 111"), (newer.pk, "DE 222")],
        older.pk,
    )
    assert 'data-field="custom__tax_number"' in page.content.decode()
    assert response.status_code == 302
    older.refresh_from_db()
    assert older.custom == {"tax_number": "DE 222"}
    entry = ChangeLogEntry.objects.get(object_id=older.pk, action="merge")
    assert {"field": "custom__tax_number", "label": "Tax number", "old": "DE 111", "new": "DE 222"} in entry.changes


def test_a_custom_value_the_survivor_lacks_comes_from_the_other_with_keys_no_field_defines(
    alice, accounts_section, older_and_newer
):
    older, newer = older_and_newer
    Account.objects.filter(pk=older.pk).update(custom={"legacy_id": "A-1"})
    Account.objects.filter(pk=newer.pk).update(custom={"tax_number": "DE 222", "legacy_id": "B-2", "old_code": "X"})
    older.refresh_from_db()
    newer.refresh_from_db()

    offered = merge.field_choices(section=accounts_section, user=alice, survivor=older, others=[newer])
    merge.merge_records(section=accounts_section, user=alice, survivor=older, others=[newer])

    assert "custom__tax_number" not in {c.name for c in offered}
    older.refresh_from_db()
    # the undefined keys: the survivor's value wins, the one it lacks comes along
    assert older.custom == {"tax_number": "DE 222", "legacy_id": "A-1", "old_code": "X"}


def test_a_hidden_custom_field_is_not_offered_nor_shown_but_its_values_are_kept(
    client, bob, role_tree, accounts_section, older_and_newer
):
    older, newer = older_and_newer
    FieldDefinition.objects.create(section="accounts", code="region", label="Sales region", kind="text")
    Account.objects.filter(pk=newer.pk).update(custom={"tax_number": "DE 222", "region": "North"})
    Membership.objects.create(user=bob, role=role_tree.team_a)
    for name in ("custom__tax_number", "custom__region"):
        ColumnRight.objects.create(
            section="accounts", field_name=name, role=role_tree.team_a, access=ColumnRight.Access.HIDDEN
        )
    client.force_login(bob)
    url = reverse("duplicates:merge", args=["accounts"])

    page = client.get(url, {"ids": [older.pk, newer.pk]}).content.decode()
    response = client.post(url, {"ids": [older.pk, newer.pk], "survivor": older.pk, "merge": "1"})

    assert "Tax number" not in page and "DE 222" not in page and "North" not in page
    assert response.status_code == 302
    older.refresh_from_db()
    # the survivor's tax number wins; the region it lacked comes from the other
    assert older.custom == {"tax_number": "DE 111", "region": "North"}


def admin_rule_post(client, *, name: str, attribute: str, kind: str = ""):
    prefix = "attributes"
    return client.post(
        reverse("admin:duplicates_duplicaterule_add"),
        {
            "section": "accounts",
            "name": name,
            "is_active": "on",
            "use_on_save": "on",
            "position": "0",
            f"{prefix}-TOTAL_FORMS": "1",
            f"{prefix}-INITIAL_FORMS": "0",
            f"{prefix}-MIN_NUM_FORMS": "0",
            f"{prefix}-MAX_NUM_FORMS": "1000",
            f"{prefix}-0-attribute": attribute,
            f"{prefix}-0-kind": kind,
            f"{prefix}-0-threshold": "100",
        },
    )


def test_the_rule_admin_offers_custom_fields_and_compares_them_as_their_kind(client, ada, tax_rule):
    FieldDefinition.objects.create(section="accounts", code="vat_phone", label="VAT office phone", kind="text")
    client.force_login(ada)

    page = client.get(reverse("admin:duplicates_duplicaterule_change", args=[tax_rule.pk])).content.decode()
    saved = admin_rule_post(client, name="VAT office", attribute="custom__vat_phone")
    refused = admin_rule_post(client, name="Nothing", attribute="custom__no_such_field", kind="text")

    assert '<option value="custom__tax_number" selected>Tax number</option>' in page
    assert '<option value="custom__vat_phone">VAT office phone</option>' in page
    assert saved.status_code == 302
    assert RuleAttribute.objects.get(rule__name="VAT office").kind == "phone"
    assert refused.status_code == 200 and not DuplicateRule.objects.filter(name="Nothing").exists()

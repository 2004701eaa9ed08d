"""Profile completeness: a percentage of weighted fields and details, red/yellow/green, with hints."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.models import AccountCompletenessWeight
from contacts.models import ContactCompletenessWeight
from crm.core.completeness import Completeness, for_record
from tests.factories import AccountFactory, ContactFactory
from tests.factories.customers import AccountAddressFactory


@pytest.fixture
def weights(db):
    """Two items worth half each, instead of the seeded weights."""
    AccountCompletenessWeight.objects.all().delete()
    return [
        AccountCompletenessWeight.objects.create(item="web", weight=30, hint="Add the web site"),
        AccountCompletenessWeight.objects.create(item="addresses", weight=30, hint="Add an address"),
    ]


def test_the_seeded_weights_score_an_empty_profile_at_nought_and_hint_the_heaviest_item_first(alice):
    account = AccountFactory(owner=alice, phone="", city="")

    completeness = for_record(account, AccountCompletenessWeight)

    assert completeness.percent == 0
    assert completeness.level == "danger"
    assert completeness.missing[0].hint == "Add an address"


def test_fields_and_details_each_add_their_weight(alice, weights):
    account = AccountFactory(owner=alice, web="https://northwind.example")
    assert for_record(account, AccountCompletenessWeight).percent == 50

    AccountAddressFactory(account=account)

    completeness = for_record(account, AccountCompletenessWeight)
    assert (completeness.percent, completeness.level, completeness.missing) == (100, "success", [])


def test_a_missing_item_says_how_much_it_would_add(alice, weights):
    account = AccountFactory(owner=alice)

    hints = [(m.hint, m.gain) for m in for_record(account, AccountCompletenessWeight).missing]

    assert hints == [("Add an address", 50), ("Add the web site", 50)]


def test_changing_a_weight_changes_the_percentage(alice, weights):
    account = AccountFactory(owner=alice, web="https://northwind.example")
    AccountCompletenessWeight.objects.filter(item="web").update(weight=90)

    assert for_record(account, AccountCompletenessWeight).percent == 75


def test_an_inactive_weight_does_not_count(alice, weights):
    account = AccountFactory(owner=alice, web="https://northwind.example")
    AccountCompletenessWeight.objects.filter(item="addresses").update(is_active=False)

    assert for_record(account, AccountCompletenessWeight).percent == 100


@pytest.mark.parametrize(
    ("percent", "level"), [(0, "danger"), (49, "danger"), (50, "warning"), (79, "warning"), (80, "success")]
)
def test_the_indicator_is_red_yellow_or_green(percent, level):
    assert Completeness(percent=percent).level == level


def test_a_weight_must_name_a_field_or_a_detail_of_the_record(db):
    with pytest.raises(ValidationError, match="has no 'shoe_size'"):
        AccountCompletenessWeight(item="shoe_size", weight=5, hint="Add the shoe size").full_clean()
    ContactCompletenessWeight(item="career", weight=5, hint="Add a job").full_clean()


def test_the_weights_are_edited_in_the_admin(client, ada, weights):
    client.force_login(ada)

    response = client.get(reverse("admin:accounts_accountcompletenessweight_changelist"))

    assert response.status_code == 200
    assert "Add the web site" in response.content.decode()


def test_the_account_page_shows_the_percentage_in_its_colour_with_hints(alice_client, alice, weights):
    account = AccountFactory(owner=alice, web="https://northwind.example")

    body = alice_client.get(reverse("accounts:detail", args=[account.pk])).content.decode()

    assert 'data-level="warning">50%</span>' in body
    assert "Add an address" in body


def test_the_contact_page_shows_its_completeness_too(alice_client, alice):
    contact = ContactFactory(owner=alice)

    body = alice_client.get(reverse("contacts:detail", args=[contact.pk])).content.decode()

    assert 'id="completeness-percent"' in body
    assert "Add the mobile phone" in body

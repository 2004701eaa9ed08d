"""Create and edit any section's record: field errors, optimistic locking, the change log, system fields."""

import pytest
from django.urls import reverse

from accounts.models import Account
from contacts.models import Contact
from crm.sections.models import ChangeLogEntry
from tests.factories import AccountFactory
from tests.forms import form_data


@pytest.fixture
def account(alice):
    return AccountFactory(name="Northwind Traders", city="Seattle", phone="+1 555 0100", owner=alice)


def test_creating_a_record_numbers_it_owns_it_and_logs_it(alice_client, alice):
    response = alice_client.post(reverse("accounts:create"), {"name": "Contoso", "city": "Basel", "owner": alice.pk})

    account = Account.objects.get(name="Contoso")
    assert response["Location"] == reverse("accounts:detail", args=[account.pk])
    assert (account.code, account.owner, account.created_by, account.version) == ("ACC-00001", alice, alice, 1)
    entry = ChangeLogEntry.objects.get(object_id=account.pk)
    assert entry.action == "create"
    assert {"field": "city", "label": "city", "old": "", "new": "Basel"} in entry.changes


def test_the_new_form_offers_the_user_as_owner(alice_client, alice):
    form = alice_client.get(reverse("accounts:create")).context["form"]

    assert form["owner"].value() == alice.pk


def test_field_errors_are_shown_next_to_the_field(alice_client, alice):
    response = alice_client.post(reverse("accounts:create"), {"name": "", "email": "not-an-email", "owner": alice.pk})

    assert response.status_code == 422
    assert response.context["form"].errors == {
        "name": ["This field is required."],
        "email": ["Enter a valid email address."],
    }
    body = response.content.decode()
    assert 'id="error_1_id_email"' in body
    assert not Account.objects.exists()


def test_a_model_rule_is_reported_on_its_field(alice_client, alice):
    response = alice_client.post(reverse("contacts:create"), {"job_title": "Buyer", "owner": alice.pk})

    assert response.status_code == 422
    assert response.context["form"].errors["full_name"] == ["Give the contact a name."]
    assert not Contact.objects.exists()


def test_editing_changes_the_record_and_logs_who_changed_what_from_what_to_what(alice_client, alice, account):
    url = reverse("accounts:update", args=[account.pk])

    response = alice_client.post(url, form_data(alice_client, url, city="Portland"))

    assert response.status_code == 302
    account.refresh_from_db()
    assert (account.city, account.version, account.modified_by) == ("Portland", 2, alice)
    entry = ChangeLogEntry.objects.get(object_id=account.pk, action="update")
    assert entry.user == alice
    assert entry.changes == [{"field": "city", "label": "city", "old": "Seattle", "new": "Portland"}]


def test_saving_without_a_change_does_not_bump_the_version(alice_client, account):
    url = reverse("accounts:update", args=[account.pk])

    alice_client.post(url, form_data(alice_client, url))

    account.refresh_from_db()
    assert account.version == 1
    assert not ChangeLogEntry.objects.filter(action="update").exists()


def test_a_stale_save_is_refused_with_both_versions_and_overwrites_nothing(client, alice, bob, account):
    url = reverse("accounts:update", args=[account.pk])
    client.force_login(alice)
    alices_form = form_data(client, url, name="Northwind (Alice)", city="Tacoma")
    client.force_login(bob)
    client.post(url, form_data(client, url, city="Portland"))

    client.force_login(alice)
    response = client.post(url, alices_form)

    assert response.status_code == 409
    account.refresh_from_db()
    assert (account.name, account.city, account.version) == ("Northwind Traders", "Portland", 2)
    assert response.context["conflicts"] == [
        ("name", "Northwind (Alice)", "Northwind Traders"),
        ("city", "Tacoma", "Portland"),
    ]
    body = response.content.decode()
    assert "Someone else saved this record after you opened it. Nothing was overwritten." in body
    assert "Saved by Bob Baker" in body


def test_saving_again_after_seeing_the_conflict_applies_the_users_values(client, alice, bob, account):
    url = reverse("accounts:update", args=[account.pk])
    client.force_login(alice)
    alices_form = form_data(client, url, city="Tacoma")
    client.force_login(bob)
    client.post(url, form_data(client, url, city="Portland"))
    client.force_login(alice)
    conflict = client.post(url, alices_form)

    retry = dict(alices_form, version=conflict.context["form"]["version"].value())
    response = client.post(url, retry)

    assert response.status_code == 302
    account.refresh_from_db()
    assert (account.city, account.version) == ("Tacoma", 3)


def test_system_fields_cannot_be_set_by_a_post(alice_client, alice, bob, account):
    url = reverse("accounts:update", args=[account.pk])
    data = form_data(
        alice_client,
        url,
        city="Portland",
        created_by=bob.pk,
        modified_by=bob.pk,
        created_at="2000-01-01T00:00",
        code="HACKED",
        custom='{"vip": true}',
        id=999,
    )

    alice_client.post(url, data)

    account.refresh_from_db()
    assert (account.pk, account.city, account.code, account.custom) == (account.pk, "Portland", account.code, {})
    assert (account.created_by, account.modified_by, account.version) == (alice, alice, 2)
    assert account.created_at.year > 2000
    assert account.code != "HACKED"


def test_a_posted_version_from_the_future_is_refused_as_stale(alice_client, account):
    url = reverse("accounts:update", args=[account.pk])

    response = alice_client.post(url, form_data(alice_client, url, city="Portland", version=99))

    assert response.status_code == 409
    account.refresh_from_db()
    assert (account.city, account.version) == ("Seattle", 1)


def test_a_web_address_without_a_scheme_is_taken_as_https(alice_client, alice):
    alice_client.post(reverse("accounts:create"), {"name": "Contoso", "web": "contoso.example", "owner": alice.pk})

    assert Account.objects.get(name="Contoso").web == "https://contoso.example"

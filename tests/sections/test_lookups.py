"""Type-ahead lookups: a JSON endpoint per section, and a widget that never renders a whole table."""

import re

import pytest
from django.urls import reverse

from tests.factories import AccountFactory, ContactFactory


def test_the_lookup_returns_the_records_matching_q_as_json(alice_client, alice):
    acme = AccountFactory(name="Acme", owner=alice)
    holdings = AccountFactory(name="Acme Holdings", owner=alice)
    AccountFactory(name="Contoso", owner=alice)

    response = alice_client.get(reverse("accounts:lookup"), {"q": "acm"})

    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "results": [{"id": acme.pk, "text": "Acme"}, {"id": holdings.pk, "text": "Acme Holdings"}]
    }


def test_the_lookup_returns_at_most_20_results(alice_client, alice):
    AccountFactory.create_batch(25, owner=alice)

    response = alice_client.get(reverse("accounts:lookup"), {"q": "account"})

    assert len(response.json()["results"]) == 20


@pytest.mark.django_db  # each request checks the version of the runtime sections
def test_the_lookup_needs_a_login(client):
    response = client.get(reverse("accounts:lookup"), {"q": "a"})

    assert response.status_code == 302


def test_the_account_field_of_a_contact_form_renders_only_the_chosen_account(alice_client, alice):
    chosen = AccountFactory(name="Chosen Account", owner=alice)
    AccountFactory.create_batch(5, owner=alice)
    contact = ContactFactory(account=chosen, owner=alice)

    body = alice_client.get(reverse("contacts:update", args=[contact.pk])).content.decode()

    select = re.search(r'<select name="account".*?</select>', body, re.S).group(0)
    assert f'data-lookup-url="{reverse("accounts:lookup")}"' in select
    assert re.findall(r"<option[^>]*>([^<]*)</option>", select) == ["—", "Chosen Account"]
    assert f'value="{chosen.pk}" selected' in select


def test_the_account_field_of_a_new_contact_renders_no_accounts(alice_client, alice):
    AccountFactory.create_batch(5, owner=alice)

    body = alice_client.get(reverse("contacts:create")).content.decode()

    select = re.search(r'<select name="account".*?</select>', body, re.S).group(0)
    assert re.findall(r"<option[^>]*>([^<]*)</option>", select) == ["—"]


def test_a_new_contact_from_an_accounts_tab_has_the_account_chosen(alice_client, alice):
    account = AccountFactory(name="Prefilled", owner=alice)

    body = alice_client.get(reverse("contacts:create"), {"account": account.pk}).content.decode()

    select = re.search(r'<select name="account".*?</select>', body, re.S).group(0)
    assert re.findall(r"<option[^>]*>([^<]*)</option>", select) == ["—", "Prefilled"]


def test_a_contact_is_saved_with_an_account_picked_by_id(alice_client, alice):
    account = AccountFactory(name="Picked", owner=alice)

    alice_client.post(
        reverse("contacts:create"),
        {"given_name": "Nancy", "surname": "Davolio", "account": account.pk, "owner": alice.pk},
    )

    assert account.contacts.get().full_name == "Nancy Davolio"

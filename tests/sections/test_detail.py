"""The detail page of a record and its tabs: related lists, attachments, notes and the change log."""

import pytest
from django.urls import reverse

from crm.sections import registry, services
from tests.factories import AccountFactory, ContactFactory


@pytest.fixture
def account(alice):
    return AccountFactory(name="Northwind Traders", city="Seattle", owner=alice)


def tab(client, account, name: str):
    return client.get(reverse("accounts:tab", args=[account.pk, name]), HTTP_HX_REQUEST="true")


def test_the_detail_page_shows_the_fields_and_the_tabs(alice_client, account):
    response = alice_client.get(reverse("accounts:detail", args=[account.pk]))

    body = response.content.decode()
    assert response.status_code == 200
    assert '<h1 class="h4 mb-0" id="record-title">Northwind Traders</h1>' in body
    assert '<dd class="col-7" data-field="city">Seattle</dd>' in body
    tab_names = {name for name, _ in response.context["tabs"]}
    assert {"contacts", "subsidiaries", "attachments", "notes", "history"} <= tab_names


def test_a_missing_record_is_a_404(alice_client, account):
    assert alice_client.get(reverse("accounts:detail", args=[account.pk + 1000])).status_code == 404


def test_the_related_tab_lists_the_accounts_contacts(alice_client, account, alice):
    ContactFactory(given_name="Nancy", surname="Davolio", account=account, owner=alice)
    ContactFactory(given_name="Someone", surname="Else", owner=alice)

    response = tab(alice_client, account, "contacts")

    body = response.content.decode()
    assert "Nancy Davolio" in body
    assert "Someone Else" not in body
    assert "<html" not in body
    # "New" prefills the account of the contact
    assert f"{reverse('contacts:create')}?account={account.pk}" in body


def test_an_unknown_tab_is_a_404(alice_client, account):
    assert tab(alice_client, account, "nonsense").status_code == 404


def test_a_tab_is_reachable_on_its_own_url_from_the_detail_page(alice_client, account):
    response = alice_client.get(reverse("accounts:detail", args=[account.pk]), {"tab": "notes"})

    assert response.context["active_tab"] == "notes"
    assert f'hx-get="{reverse("accounts:tab", args=[account.pk, "notes"])}" hx-trigger="load"' in (
        response.content.decode()
    )


def test_a_note_is_added_and_shown_on_the_notes_tab(alice_client, account):
    response = alice_client.post(
        reverse("accounts:note_create", args=[account.pk]), {"text": "Called about the renewal."}
    )

    assert response["Location"] == reverse("accounts:detail", args=[account.pk]) + "?tab=notes"
    body = tab(alice_client, account, "notes").content.decode()
    assert "Called about the renewal." in body
    assert "Alice Archer" in body


def test_an_empty_note_is_refused_with_a_message(alice_client, account):
    response = alice_client.post(reverse("accounts:note_create", args=[account.pk]), {"text": "  "}, follow=True)

    assert "A note cannot be empty." in response.content.decode()


def test_the_change_log_tab_shows_who_changed_which_field_from_what_to_what(alice_client, account, bob):
    section = registry.get("accounts")
    services.update_record(section=section, user=bob, obj=account, data={"city": "Portland"}, expected_version=1)

    body = tab(alice_client, account, "history").content.decode()

    assert "Bob Baker" in body
    assert "<td>City</td>" in body
    assert '<td class="text-secondary">Seattle</td><td>Portland</td>' in body

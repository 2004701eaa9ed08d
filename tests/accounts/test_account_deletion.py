"""Deleting an account: refused while contacts use it; otherwise it goes with its attachments and notes."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import Account
from contacts.models import Contact
from crm.sections.models import Attachment, ChangeLogEntry, Note
from tests.factories import AccountFactory, ContactFactory


@pytest.fixture
def account(alice):
    return AccountFactory(name="Northwind Traders", owner=alice)


def test_the_delete_page_lists_the_contacts_that_use_the_account(alice_client, alice, account):
    ContactFactory(given_name="Nancy", surname="Davolio", account=account, owner=alice)

    response = alice_client.get(reverse("accounts:delete", args=[account.pk]))

    body = response.content.decode()
    assert "Other records use this account. Choose another account to move them to" in body
    assert "Nancy Davolio" in body
    assert 'id="confirm-delete"' not in body
    assert 'id="confirm-reassign"' in body


def test_deleting_an_account_with_contacts_is_refused_and_deletes_nothing(alice_client, alice, account):
    ContactFactory(given_name="Nancy", surname="Davolio", account=account, owner=alice)

    response = alice_client.post(reverse("accounts:delete", args=[account.pk]))

    assert response.status_code == 409
    assert "Nancy Davolio" in response.content.decode()
    assert Account.objects.filter(pk=account.pk).exists()
    assert Contact.objects.filter(account=account).count() == 1


def test_deleting_a_parent_account_is_refused_while_subsidiaries_point_at_it(alice_client, alice, account):
    AccountFactory(name="Northwind Europe", parent=account, owner=alice)

    response = alice_client.post(reverse("accounts:delete", args=[account.pk]))

    assert response.status_code == 409
    assert "Northwind Europe" in response.content.decode()
    assert Account.objects.filter(pk=account.pk).exists()


def test_an_account_without_dependents_is_deleted_with_its_attachments_and_notes(alice_client, account):
    alice_client.post(
        reverse("accounts:attachment_create", args=[account.pk]),
        {"file": SimpleUploadedFile("offer.pdf", b"%PDF-1.4", content_type="application/pdf")},
    )
    alice_client.post(reverse("accounts:note_create", args=[account.pk]), {"text": "A note"})
    response = alice_client.post(reverse("accounts:delete", args=[account.pk]))

    assert response["Location"] == reverse("accounts:list")
    assert not Account.objects.filter(pk=account.pk).exists()
    assert not Attachment.objects.exists()
    assert not Note.objects.exists()
    assert ChangeLogEntry.objects.filter(object_id=account.pk, action="delete").exists()


@pytest.mark.django_db(transaction=True)
def test_the_stored_files_of_a_deleted_account_are_removed(client, alice):
    client.force_login(alice)
    account = AccountFactory(owner=alice)
    client.post(
        reverse("accounts:attachment_create", args=[account.pk]),
        {"file": SimpleUploadedFile("offer.pdf", b"%PDF-1.4", content_type="application/pdf")},
    )
    attachment = Attachment.objects.get()
    storage, file_name = attachment.file.storage, attachment.file.name

    client.post(reverse("accounts:delete", args=[account.pk]))

    assert not storage.exists(file_name)


def test_a_contact_that_is_an_accounts_primary_contact_can_be_deleted(alice_client, alice, account):
    contact = ContactFactory(account=None, owner=alice)
    Account.objects.filter(pk=account.pk).update(primary_contact=contact)

    response = alice_client.post(reverse("contacts:delete", args=[contact.pk]))

    assert response.status_code == 302
    account.refresh_from_db()
    assert account.primary_contact is None

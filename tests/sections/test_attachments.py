"""Attachments: files within the size limit and of allowed types, links, a permission-checked download."""

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from crm.sections.models import Attachment
from tests.factories import AccountFactory


@pytest.fixture
def account(alice):
    return AccountFactory(name="Northwind Traders", owner=alice)


def upload(client, account, name: str, content: bytes, follow: bool = True):
    return client.post(
        reverse("accounts:attachment_create", args=[account.pk]),
        {"file": SimpleUploadedFile(name, content, content_type="application/octet-stream")},
        follow=follow,
    )


def test_a_file_within_the_limit_is_attached_and_listed(alice_client, account, settings):
    settings.ATTACHMENT_MAX_BYTES = 1024

    response = upload(alice_client, account, "offer.pdf", b"%PDF-1.4 " + b"x" * 1000)

    assert "Attachment added." in response.content.decode()
    attachment = Attachment.objects.get()
    assert (attachment.name, attachment.size, attachment.record) == ("offer.pdf", 1009, account)
    tab = alice_client.get(reverse("accounts:tab", args=[account.pk, "attachments"])).content.decode()
    assert f'href="{reverse("attachment_download", args=[attachment.pk])}"' in tab
    assert "File (up to 1.0\xa0KB)" in tab


def test_a_file_over_the_limit_is_refused_naming_the_limit(alice_client, account, settings):
    settings.ATTACHMENT_MAX_BYTES = 1024

    response = upload(alice_client, account, "big.pdf", b"x" * 2048)

    assert "The file is 2.0 KB; the limit is 1.0 KB." in response.content.decode()
    assert not Attachment.objects.exists()


def test_a_disallowed_file_type_is_refused_naming_the_allowed_ones(alice_client, account):
    response = upload(alice_client, account, "run.exe", b"MZ")

    body = response.content.decode()
    assert "Files of type .exe are not allowed. Allowed: .pdf, .png" in body
    assert not Attachment.objects.exists()


def test_a_link_is_attached(alice_client, account):
    alice_client.post(
        reverse("accounts:attachment_create", args=[account.pk]),
        {"url": "https://example.com/contract", "name": "The contract"},
    )

    attachment = Attachment.objects.get()
    assert (attachment.kind, attachment.name, attachment.url) == (
        "link",
        "The contract",
        "https://example.com/contract",
    )
    response = alice_client.get(reverse("attachment_download", args=[attachment.pk]))
    assert response.status_code == 302
    assert response["Location"] == "https://example.com/contract"


def test_a_link_must_be_http_or_https(alice_client, account):
    response = alice_client.post(
        reverse("accounts:attachment_create", args=[account.pk]), {"url": "javascript:alert(1)"}, follow=True
    )

    assert "A link must start with http:// or https://." in response.content.decode()
    assert not Attachment.objects.exists()


def test_the_download_sends_the_file_to_whoever_may_see_the_record(alice_client, account):
    upload(alice_client, account, "notes.txt", b"hello")
    attachment = Attachment.objects.get()

    response = alice_client.get(reverse("attachment_download", args=[attachment.pk]))

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"hello"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_an_anonymous_download_is_sent_to_the_login(client, alice_client, account):
    upload(alice_client, account, "notes.txt", b"hello")
    attachment = Attachment.objects.get()
    client.logout()

    response = client.get(reverse("attachment_download", args=[attachment.pk]))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_a_deactivated_users_open_session_no_longer_downloads(client, alice, bob, account):
    client.force_login(alice)
    upload(client, account, "notes.txt", b"hello")
    attachment = Attachment.objects.get()
    client.force_login(bob)
    get_user_model().objects.filter(pk=bob.pk).update(is_active=False)

    response = client.get(reverse("attachment_download", args=[attachment.pk]))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_a_file_is_found_only_through_its_record(alice_client, account):
    """The download fetches the record through the access layer: no record it may see, no file (404)."""
    upload(alice_client, account, "notes.txt", b"hello")
    attachment = Attachment.objects.get()
    type(account).objects.filter(pk=account.pk).delete()  # the attachment row is left behind

    response = alice_client.get(reverse("attachment_download", args=[attachment.pk]))

    assert response.status_code == 404


def test_the_media_url_does_not_serve_attachments(alice_client, account):
    upload(alice_client, account, "notes.txt", b"hello")
    attachment = Attachment.objects.get()

    response = alice_client.get("/media/" + attachment.file.name)

    assert response.status_code == 404


def test_deleting_an_attachment_removes_the_row_and_the_file(alice_client, account):
    upload(alice_client, account, "notes.txt", b"hello")
    attachment = Attachment.objects.get()
    storage, name = attachment.file.storage, attachment.file.name

    response = alice_client.post(reverse("attachment_delete", args=[attachment.pk]))

    assert response["Location"] == reverse("accounts:detail", args=[account.pk]) + "?tab=attachments"
    assert not Attachment.objects.exists()
    assert not storage.exists(name)

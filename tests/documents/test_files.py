"""A document's soft copies: each upload adds a version and keeps the earlier ones, the latest is "the" file, and
every version is downloaded only by who may read the document, within the attachments' limits."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from documents.models import DocumentFile
from tests.factories.documents import DocumentFactory

pytestmark = pytest.mark.django_db


def upload(client, document, name="scan.pdf", content=b"%PDF-1.4 first", comment="", follow=False):
    return client.post(
        reverse("documents:file_upload", args=[document.pk]),
        {"file": SimpleUploadedFile(name, content, content_type="application/pdf"), "comment": comment},
        follow=follow,
    )


def download(client, document, version):
    return client.get(reverse("documents:file_download", args=[document.pk, version]))


def test_a_new_soft_copy_adds_a_version_and_keeps_the_old_one(alice_client, alice):
    document = DocumentFactory(owner=alice)

    upload(alice_client, document, content=b"%PDF-1.4 first")
    upload(alice_client, document, name="scan-signed.pdf", content=b"%PDF-1.4 signed", comment="Signed copy")

    assert list(document.files.values_list("version", "name", "comment")) == [
        (2, "scan-signed.pdf", "Signed copy"),
        (1, "scan.pdf", ""),
    ]
    assert document.latest_file.version == 2
    first, latest = download(alice_client, document, 1), download(alice_client, document, 2)
    assert b"".join(first.streaming_content) == b"%PDF-1.4 first"
    assert b"".join(latest.streaming_content) == b"%PDF-1.4 signed"
    assert latest["Content-Disposition"].startswith("attachment")
    assert latest["X-Content-Type-Options"] == "nosniff"
    page = alice_client.get(document.get_absolute_url()).content.decode()
    assert "scan-signed.pdf" in page  # the latest file's card
    tab = alice_client.get(reverse("documents:tab", args=[document.pk, "document_files"])).content.decode()
    assert "scan.pdf" in tab and "scan-signed.pdf" in tab


def test_only_who_may_read_the_document_downloads_its_versions(client, alice, charlie, only_owners_read_records):
    document = DocumentFactory(owner=alice)
    client.force_login(alice)
    upload(client, document)

    client.force_login(charlie)

    assert download(client, document, 1).status_code == 404
    assert download(client, document, 99).status_code == 404  # the same answer as a missing version
    assert upload(client, document, content=b"%PDF charlie").status_code == 404
    assert document.files.count() == 1


def test_a_reader_who_may_not_edit_cannot_upload(client, alice, bob, role_tree):
    from crm.access.models import Membership, ObjectRight

    Membership.objects.create(user=bob, role=role_tree.team_a)
    ObjectRight.objects.create(section="documents", role=role_tree.all_employees, can_read=True)
    document = DocumentFactory(owner=alice)
    client.force_login(bob)

    assert upload(client, document).status_code == 404
    assert not document.files.exists()


def test_files_over_the_limit_or_of_a_forbidden_type_are_refused(alice_client, alice, settings):
    settings.ATTACHMENT_MAX_BYTES = 10
    document = DocumentFactory(owner=alice)

    too_big = upload(alice_client, document, content=b"x" * 11, follow=True)
    settings.ATTACHMENT_MAX_BYTES = 1000
    wrong_type = upload(alice_client, document, name="run.exe", content=b"MZ", follow=True)

    assert "the limit is 10" in too_big.content.decode()
    assert "Files of type .exe are not allowed" in wrong_type.content.decode()
    assert not DocumentFile.objects.exists()

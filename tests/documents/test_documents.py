"""A document's number, its default status, the status service approvals use, and who may reach its pages."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from documents import services
from documents.models import Document, DocumentStatus, DocumentType
from tests.factories.documents import DocumentFactory

pytestmark = pytest.mark.django_db


def test_a_new_document_starts_as_draft_and_gets_its_number(alice_client, alice):
    form = alice_client.get(reverse("documents:create")).context["form"]
    draft = DocumentStatus.objects.by_code("draft")
    assert form.initial["status"] == draft.pk

    response = alice_client.post(
        reverse("documents:create"),
        {
            "subject": "Letter of intent",
            "type": DocumentType.objects.get(name="Letter").pk,
            "status": draft.pk,
            "date": "2026-03-01",
            "owner": alice.pk,
        },
    )

    assert response.status_code == 302
    assert Document.objects.get().number == "DOC-00001"


def test_an_approval_moves_the_document_by_status_code(alice):
    document = DocumentFactory(owner=alice)

    document = services.set_status(user=alice, document=document, code="active")

    document.refresh_from_db()
    assert document.status.code == "active" and document.version == 2


def test_an_outsider_gets_404_on_every_url_of_a_document(client, alice, charlie, only_owners_read_records):
    document = DocumentFactory(owner=alice)
    pk = document.pk
    client.force_login(charlie)

    for url in [
        reverse("documents:detail", args=[pk]),
        reverse("documents:update", args=[pk]),
        reverse("documents:delete", args=[pk]),
        reverse("documents:tab", args=[pk, "document_files"]),
        reverse("documents:tab", args=[pk, "connections"]),
        reverse("documents:detail_rows", args=[pk, "links"]),
        reverse("documents:detail_row_create", args=[pk, "links"]),
        reverse("documents:detail_rows", args=[pk, "related"]),
        reverse("documents:file_download", args=[pk, 1]),
    ]:
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("documents:file_upload", args=[pk])).status_code == 404
    assert document.subject not in client.get(reverse("documents:list")).content.decode()


def count_queries(client, per_page: int) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(reverse("documents:list"), {"per_page": per_page})
    assert response.status_code == 200
    return len(context)


def test_the_documents_list_runs_as_many_queries_for_100_rows_as_for_25(alice_client, alice):
    DocumentFactory.create_batch(120, owner=alice)
    alice_client.get(reverse("documents:list"))  # warm up: content types, the session

    assert count_queries(alice_client, 25) == count_queries(alice_client, 100)

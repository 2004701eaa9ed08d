"""What a document is connected to: records of any section the user may see (shown by name only to who may
see them, gone when the record is deleted), and related documents shown on both sides."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from accounts.models import Account
from crm.sections.services import delete_record
from documents.models import DocumentLink, DocumentRelation
from tests.factories import AccountFactory
from tests.factories.contracts import ContractFactory
from tests.factories.documents import DocumentFactory

pytestmark = pytest.mark.django_db


def connect(client, document, record):
    return client.post(
        reverse("documents:detail_row_create", args=[document.pk, "links"]),
        {
            "detail-links-content_type": ContentType.objects.get_for_model(record).pk,
            "detail-links-object_id": record.pk,
        },
    )


def links_card(client, document) -> str:
    return client.get(reverse("documents:detail_rows", args=[document.pk, "links"])).content.decode()


def test_a_document_is_connected_to_a_record_of_another_section(alice_client, alice):
    document = DocumentFactory(owner=alice)
    contract = ContractFactory(owner=alice)

    response = connect(alice_client, document, contract)

    assert response.status_code == 302
    assert DocumentLink.objects.filter(document=document, object_id=contract.pk).exists()
    assert contract.number in links_card(alice_client, document)


def test_a_record_the_user_may_not_see_cannot_be_connected(client, alice, charlie, only_owners_read_records):
    document = DocumentFactory(owner=charlie)
    secret = ContractFactory(owner=alice)
    client.force_login(charlie)

    response = connect(client, document, secret)

    assert response.status_code == 422
    assert "There is no such record you may see." in response.content.decode()
    assert not DocumentLink.objects.exists()


def test_a_connected_record_is_named_only_to_who_may_see_it(client, alice, bob, only_owners_read_records):
    from crm.access.models import Level, RecordGrant

    document = DocumentFactory(owner=alice)
    contract = ContractFactory(owner=alice)
    client.force_login(alice)
    connect(client, document, contract)
    RecordGrant.objects.create(
        content_type=ContentType.objects.get_for_model(document), object_id=document.pk, user=bob, level=Level.READ
    )
    client.force_login(bob)

    card = links_card(client, document)

    assert contract.number not in card
    assert "Restricted" in card


def test_deleting_the_connected_record_removes_the_link(alice):
    document = DocumentFactory(owner=alice)
    account = AccountFactory(owner=alice)
    DocumentLink.objects.create(
        document=document, content_type=ContentType.objects.get_for_model(Account), object_id=account.pk
    )

    delete_record(user=alice, obj=account)

    assert not DocumentLink.objects.exists()


def test_related_documents_show_on_both_documents(alice_client, alice):
    letter = DocumentFactory(owner=alice, subject="Cover letter")
    act = DocumentFactory(owner=alice, subject="Acceptance act")

    response = alice_client.post(
        reverse("documents:detail_row_create", args=[letter.pk, "related"]),
        {"detail-related-related": act.pk, "detail-related-note": "sent together"},
    )
    again = alice_client.post(
        reverse("documents:detail_row_create", args=[act.pk, "related"]), {"detail-related-related": letter.pk}
    )

    assert response.status_code == 302 and again.status_code == 422
    assert DocumentRelation.objects.count() == 1
    on_act = alice_client.get(reverse("documents:detail_rows", args=[act.pk, "related"])).content.decode()
    assert "Cover letter" in on_act

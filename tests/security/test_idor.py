"""IDOR: changing the id in a URL reaches nothing the user may not see. Every record URL of every section
answers 404 for another's record (with record rights on), whether GET or POST, and works for one's own."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from crm.access.models import SectionAccess
from crm.sections.models import Attachment, Folder, FolderItem
from tests.factories.registry import make_record

from .conftest import reload

#: each record URL and the methods it answers (others get 405 whatever the id)
RECORD_URLS = {
    "detail": ("get",),
    "update": ("get", "post"),
    "delete": ("get", "post"),
    "attachment_create": ("post",),
    "note_create": ("post",),
}


@pytest.fixture
def records(section, alice, charlie, db):
    SectionAccess.objects.create(section=section.name, use_record_rights=True)
    return make_record(section, alice), make_record(section, charlie)


@pytest.mark.parametrize("url_name", RECORD_URLS)
def test_another_users_record_answers_404_on_every_record_url(client, section, records, charlie, url_name):
    others, own = records
    client.force_login(charlie)

    for method in RECORD_URLS[url_name]:
        response = getattr(client, method)(section.url(url_name, others.pk), {"text": "x", "url": "https://x.example"})
        assert response.status_code == 404, method
    assert reload(others) is not None
    if url_name in ("detail", "update", "delete"):
        assert client.get(section.url(url_name, own.pk)).status_code == 200


def without_csrf_token(content: bytes) -> bytes:
    return re.sub(rb'("X-CSRFToken": "|name="csrfmiddlewaretoken" value=")[^"]+', rb"\\1", content)


def test_an_id_that_does_not_exist_answers_the_same_404(client, section, records, charlie):
    others, _ = records
    client.force_login(charlie)
    missing = type(others)._default_manager.order_by("-pk").first().pk + 1000

    forbidden = client.get(section.url("detail", others.pk))
    absent = client.get(section.url("detail", missing))

    assert forbidden.status_code == absent.status_code == 404
    # the pages are the same but for the CSRF token, which is masked anew on every response
    assert without_csrf_token(forbidden.content) == without_csrf_token(absent.content)


def test_another_users_attachment_cannot_be_downloaded_or_deleted_by_its_id(client, section, records, charlie):
    from django.contrib.contenttypes.models import ContentType

    others, _ = records
    attachment = Attachment.objects.create(
        content_type=ContentType.objects.get_for_model(others),
        object_id=others.pk,
        kind=Attachment.Kind.LINK,
        name="Contract",
        url="https://example.com/contract.pdf",
    )
    client.force_login(charlie)

    assert client.get(reverse("attachment_download", args=[attachment.pk])).status_code == 404
    assert client.post(reverse("attachment_delete", args=[attachment.pk])).status_code == 404
    assert Attachment.objects.filter(pk=attachment.pk).exists()


def test_ids_of_anothers_records_slipped_into_a_folder_are_not_added(client, section, records, charlie):
    others, own = records
    folder = Folder.objects.create(section=section.name, name="Mine", owner=charlie)
    client.force_login(charlie)

    client.post(section.url("bulk"), {"ids": [others.pk, own.pk], "action": "add_to_folder", "folder": folder.pk})

    assert set(FolderItem.objects.filter(folder=folder).values_list("object_id", flat=True)) == {own.pk}


def test_a_tab_of_anothers_record_answers_404_even_under_a_made_up_name(client, section, records, charlie):
    others, _ = records
    client.force_login(charlie)

    for name in ("history", "notes", "attachments", "timeline", "access", "made-up"):
        assert client.get(section.url("tab", others.pk, name)).status_code == 404

"""An upload over the limit is refused from its Content-Length, before its body is read."""

import io

import pytest
from django.test.client import encode_multipart
from django.urls import reverse

from crm.imports.models import ImportJob
from crm.sections.models import Attachment
from tests.factories import AccountFactory

MB = 1024 * 1024


class CountingStream(io.BytesIO):
    """The request body, counting what the server read of it."""

    def __init__(self, content: bytes):
        super().__init__(content)
        self.bytes_read = 0

    def read(self, size=-1):
        chunk = super().read(size)
        self.bytes_read += len(chunk)
        return chunk

    def readline(self, size=-1):
        line = super().readline(size)
        self.bytes_read += len(line)
        return line


def post_file(client, url: str, size: int, **fields):
    body = encode_multipart("BoUnDaRy", {"file": io.BytesIO(b"x" * size), **fields})
    body_stream = CountingStream(body)
    environ = {
        "wsgi.input": body_stream,
        "CONTENT_LENGTH": str(len(body)),
        "CONTENT_TYPE": "multipart/form-data; boundary=BoUnDaRy",
    }
    response = client.generic("POST", url, **environ)
    return response, body_stream


@pytest.fixture
def account(alice):
    return AccountFactory(name="Northwind Traders", owner=alice)


def test_a_30_mb_attachment_is_refused_before_its_body_is_read(alice_client, account):
    response, body = post_file(alice_client, reverse("accounts:attachment_create", args=[account.pk]), 30 * MB)

    assert response.status_code == 413
    assert "files up to 10.0\xa0MB are accepted here" in response.content.decode()
    assert body.bytes_read == 0
    assert not Attachment.objects.exists()


def test_an_import_file_over_its_limit_is_refused_before_its_body_is_read(alice_client, settings):
    settings.IMPORT_MAX_BYTES = 2 * MB

    response, body = post_file(alice_client, reverse("imports:new") + "?section=contacts", 4 * MB, section="contacts")

    assert response.status_code == 413
    assert "files up to 2.0\xa0MB are accepted here" in response.content.decode()
    assert body.bytes_read == 0
    assert not ImportJob.objects.exists()


def test_an_import_file_above_the_attachment_limit_is_still_taken_by_the_import(alice_client, settings):
    """The import's own limit applies there, not the attachments' one."""
    settings.ATTACHMENT_MAX_BYTES = 1 * MB

    response, body = post_file(alice_client, reverse("imports:new") + "?section=contacts", 3 * MB, section="contacts")

    assert response.status_code != 413, response.status_code
    assert body.bytes_read > 3 * MB, (response.status_code, response.content[:300])

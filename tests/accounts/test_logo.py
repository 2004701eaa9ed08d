"""An account's logo: uploaded with the form, shown on its page, served only through the record's access check."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from accounts.models import Account
from tests.factories import AccountFactory

pytestmark = pytest.mark.django_db


def png(name="logo.png", size=(8, 8)) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, (13, 110, 253)).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def form_data(account, **changes):
    data = {"name": account.name, "owner": account.owner_id, "version": account.version}
    data.update(changes)
    return data


def test_a_logo_uploaded_with_the_form_shows_on_the_account_page(alice_client, alice):
    account = AccountFactory(owner=alice)

    response = alice_client.post(reverse("accounts:update", args=[account.pk]), form_data(account, logo=png()))

    assert response.status_code == 302
    account = Account.objects.get(pk=account.pk)
    assert account.logo.name.endswith(".png")
    logo_url = reverse("accounts:field_file", args=[account.pk, "logo"])
    assert logo_url in alice_client.get(reverse("accounts:detail", args=[account.pk])).content.decode()
    served = alice_client.get(logo_url)
    assert served.status_code == 200 and served["Content-Type"] == "image/png"
    assert served["Content-Security-Policy"] == "default-src 'none'; sandbox"


def test_saving_the_form_again_keeps_the_logo_and_clearing_removes_it(alice_client, alice):
    account = AccountFactory(owner=alice)
    alice_client.post(reverse("accounts:update", args=[account.pk]), form_data(account, logo=png()))
    account = Account.objects.get(pk=account.pk)

    alice_client.post(reverse("accounts:update", args=[account.pk]), form_data(account, name="Renamed"))
    account = Account.objects.get(pk=account.pk)
    assert account.name == "Renamed" and account.logo

    alice_client.post(reverse("accounts:update", args=[account.pk]), form_data(account, **{"logo-clear": "on"}))
    assert not Account.objects.get(pk=account.pk).logo


def test_a_file_that_is_not_a_picture_is_refused_and_nothing_is_saved(alice_client, alice):
    account = AccountFactory(owner=alice)
    fake = SimpleUploadedFile("logo.png", b"not an image at all", content_type="image/png")

    response = alice_client.post(reverse("accounts:update", args=[account.pk]), form_data(account, logo=fake))

    assert response.status_code == 422
    assert "valid image" in response.content.decode()
    assert not Account.objects.get(pk=account.pk).logo


def test_someone_who_may_not_read_the_account_cannot_fetch_its_logo(client, alice, charlie, record_rights):
    record_rights("accounts")
    account = AccountFactory(owner=alice)
    client.force_login(alice)
    client.post(reverse("accounts:update", args=[account.pk]), form_data(account, logo=png()))
    logo_url = reverse("accounts:field_file", args=[account.pk, "logo"])

    client.force_login(charlie)

    assert client.get(logo_url).status_code == 404
    assert client.get(reverse("accounts:field_file", args=[account.pk, "name"])).status_code == 404

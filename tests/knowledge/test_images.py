"""Images pasted into the editor: only real pictures are taken (their bytes decide), stored as the article's
attachments, and served only to who may read the article (before the article is saved: only to who pasted)."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from crm.sections.models import Attachment
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def png(name="pasted.png") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 3), "red").save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def test_a_pasted_image_before_the_first_save_becomes_the_articles_attachment(alice_client, alice, faq):
    answer = alice_client.post(reverse("knowledge:image_upload"), {"file": png("image")}).json()
    body = f'<p>See:</p><figure><img src="{answer["url"]}"></figure>'

    alice_client.post(reverse("knowledge:create"), {"name": "Chart", "type": faq.pk, "owner": alice.pk, "body": body})

    attachment = Attachment.objects.get()
    assert attachment.object_id != 0 and attachment.name == "image.png"
    assert alice_client.get(answer["url"])["Content-Type"] == "image/png"


def test_an_image_that_is_not_an_image_is_refused(alice_client, alice):
    article = ArticleFactory(owner=alice)
    fake = SimpleUploadedFile("chart.png", b"<script>alert(1)</script>", content_type="image/png")

    response = alice_client.post(reverse("knowledge:image_upload") + f"?article={article.pk}", {"file": fake})

    assert response.status_code == 422
    assert "not an image" in response.json()["error"]
    assert not Attachment.objects.exists()


def test_a_picture_is_named_for_what_it_is(alice_client, alice):
    article = ArticleFactory(owner=alice)

    alice_client.post(reverse("knowledge:image_upload") + f"?article={article.pk}", {"file": png("photo.exe")})

    assert Attachment.objects.get().name == "photo.png"


def test_an_articles_image_is_served_only_to_its_readers(client, alice, bob, only_owners_read_records):
    article = ArticleFactory(owner=alice)
    client.force_login(alice)
    url = client.post(reverse("knowledge:image_upload") + f"?article={article.pk}", {"file": png()}).json()["url"]
    assert client.get(url).status_code == 200

    client.force_login(bob)

    assert client.get(url).status_code == 404


def test_a_pending_image_is_served_only_to_who_pasted_it(client, alice, bob):
    client.force_login(alice)
    url = client.post(reverse("knowledge:image_upload"), {"file": png()}).json()["url"]
    client.force_login(bob)

    assert client.get(url).status_code == 404


def test_who_may_not_edit_the_article_cannot_add_images(client, alice, bob, only_owners_edit_records):
    article = ArticleFactory(owner=alice)
    client.force_login(bob)

    response = client.post(reverse("knowledge:image_upload") + f"?article={article.pk}", {"file": png()})

    assert response.status_code == 404
    assert not Attachment.objects.exists()

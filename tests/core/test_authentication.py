"""Log in, log out, change and reset a password."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

from tests.factories.core import PASSWORD

NEW_PASSWORD = "a-brand-new-passphrase-42"


def test_logging_in_through_the_form_opens_the_home_page(client, alice):
    response = client.post(reverse("login"), {"username": "alice", "password": PASSWORD}, follow=True)

    assert response.redirect_chain[-1][0] == reverse("home")
    assert response.context["user"] == alice
    assert "Good to see you, Alice" in response.content.decode()


def test_a_wrong_password_is_refused_with_a_message(client, alice):
    response = client.post(reverse("login"), {"username": "alice", "password": "wrong-password"})

    assert response.status_code == 200
    assert "Please enter a correct username and password." in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_logging_in_returns_to_the_page_asked_for(client, alice):
    wanted = reverse("accounts:list") + "?sort=city"
    response = client.get(wanted)
    assert response["Location"] == f"{reverse('login')}?next=/accounts/%3Fsort%3Dcity"

    response = client.post(reverse("login"), {"username": "alice", "password": PASSWORD, "next": wanted})

    assert response["Location"] == wanted


def test_logging_out_ends_the_session(alice_client):
    response = alice_client.post(reverse("logout"))

    assert response["Location"] == reverse("login")
    assert alice_client.get(reverse("home")).status_code == 302


def test_changing_the_password_needs_the_old_one(alice_client, alice):
    response = alice_client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    assert response["Location"] == reverse("password_change_done")
    alice.refresh_from_db()
    assert alice.check_password(NEW_PASSWORD)


def test_a_weak_new_password_is_refused_with_the_reason(alice_client, alice):
    response = alice_client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": "12345", "new_password2": "12345"},
    )

    assert response.status_code == 200
    assert "This password is too short." in response.content.decode()
    alice.refresh_from_db()
    assert alice.check_password(PASSWORD)


@pytest.fixture
def locmem_email(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


def test_a_password_reset_mails_a_link_that_sets_a_new_password(client, alice, locmem_email):
    response = client.post(reverse("password_reset"), {"email": "alice@example.com"})
    assert response["Location"] == reverse("password_reset_done")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["alice@example.com"]
    link = re.search(r"https?://testserver(/auth/password/reset/\S+/)", mail.outbox[0].body).group(1)

    form_page = client.get(link, follow=True)
    set_password_url = form_page.redirect_chain[-1][0]
    done = client.post(set_password_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})

    assert done["Location"] == reverse("password_reset_complete")
    alice.refresh_from_db()
    assert alice.check_password(NEW_PASSWORD)
    spent = client.get(link, follow=True).content.decode()
    assert "The password reset link is invalid or has already been used." in spent


def test_a_password_reset_for_an_unknown_address_sends_nothing_and_says_the_same(client, locmem_email, db):
    response = client.post(reverse("password_reset"), {"email": "nobody@example.com"})

    assert response["Location"] == reverse("password_reset_done")
    assert mail.outbox == []


def test_the_admin_is_only_for_staff(alice_client, ada, client):
    assert alice_client.get(reverse("admin:index")).status_code == 302
    client.force_login(ada)
    assert client.get(reverse("admin:index")).status_code == 200
    assert get_user_model().objects.filter(is_staff=True).count() == 1

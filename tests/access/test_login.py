"""Login throttling (django-axes), the audit log of logins and failed logins, and locking a user out."""

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from crm.access import services
from crm.access.models import AuditEntry
from tests.factories.core import PASSWORD


def log_in(client, password):
    return client.post(reverse("login"), {"username": "alice", "password": password})


def test_five_failed_logins_lock_the_account_even_for_the_right_password(client, alice):
    for _ in range(5):
        log_in(client, "wrong-password")

    response = log_in(client, PASSWORD)

    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    assert AuditEntry.objects.filter(kind=AuditEntry.Kind.THROTTLED, actor_name="alice").exists()


def test_spraying_twenty_user_names_from_one_address_locks_the_address_with_a_message(alice):
    sprayer = Client(REMOTE_ADDR="203.0.113.7")
    for number in range(20):
        sprayer.post(reverse("login"), {"username": f"user{number}", "password": "Winter2026!"})

    response = sprayer.post(reverse("login"), {"username": "alice", "password": PASSWORD})

    assert response.status_code == 429
    assert "Logins from your network address are paused" in response.content.decode()
    assert "_auth_user_id" not in sprayer.session


def test_an_address_spraying_user_names_does_not_lock_the_user_elsewhere(alice):
    sprayer = Client(REMOTE_ADDR="203.0.113.7")
    for number in range(20):
        sprayer.post(reverse("login"), {"username": f"user{number}", "password": "Winter2026!"})
    elsewhere = Client(REMOTE_ADDR="198.51.100.2")

    response = elsewhere.post(reverse("login"), {"username": "alice", "password": PASSWORD})

    assert response.status_code == 302
    assert elsewhere.session["_auth_user_id"] == str(alice.pk)


def test_nineteen_failures_from_one_address_still_let_a_user_in(alice):
    office = Client(REMOTE_ADDR="203.0.113.8")
    for number in range(19):
        office.post(reverse("login"), {"username": f"user{number}", "password": "Winter2026!"})

    response = office.post(reverse("login"), {"username": "alice", "password": PASSWORD})

    assert response.status_code == 302


def test_four_failed_logins_still_let_the_right_password_in(client, alice):
    for _ in range(4):
        log_in(client, "wrong-password")

    response = log_in(client, PASSWORD)

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(alice.pk)


def test_logins_and_failed_logins_are_in_the_audit_log(client, alice):
    log_in(client, "wrong-password")
    log_in(client, PASSWORD)
    client.post(reverse("logout"))

    kinds = list(AuditEntry.objects.order_by("id").values_list("kind", "actor_name"))
    assert kinds == [("login_failed", "alice"), ("login", "alice"), ("logout", "alice")]


def test_locking_a_user_out_ends_their_sessions_at_once(client, alice, ada):
    client.force_login(alice)
    session_key = client.session.session_key
    assert client.get(reverse("home")).status_code == 200

    services.lock_out(user=ada, target=alice)

    assert not Session.objects.filter(session_key=session_key).exists()
    assert client.get(reverse("home")).status_code == 302
    assert log_in(client, PASSWORD).status_code == 200  # refused: the form again
    assert AuditEntry.objects.filter(kind=AuditEntry.Kind.LOCKOUT, actor=ada).exists()


def test_reactivating_a_user_lets_them_log_in_again(client, alice, ada):
    services.lock_out(user=ada, target=alice)

    services.set_user_active(user=ada, target=alice, active=True)

    assert log_in(client, PASSWORD).status_code == 302


def test_nobody_can_lock_themselves_out(ada):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.lock_out(user=ada, target=ada)

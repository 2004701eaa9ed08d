"""The demo data: a believable company once (idempotent), or N accounts with contacts for benchmarks."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

from accounts.models import Account
from contacts.models import Contact


def seed(*args) -> str:
    out = StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def counts() -> dict[str, int]:
    return {
        "users": get_user_model().objects.count(),
        "accounts": Account.objects.count(),
        "contacts": Contact.objects.count(),
    }


@pytest.mark.django_db
def test_seed_demo_creates_the_company_and_running_it_again_changes_nothing():
    output = seed()
    first = counts()

    seed()

    assert counts() == first
    assert first["users"] == 4
    assert first["accounts"] == 20
    assert first["contacts"] >= 2 * 19
    assert "admin" in output and "demo-password-2026" in output


@pytest.mark.django_db
def test_the_demo_users_can_log_in(client):
    seed()

    response = client.post(reverse("login"), {"username": "alice", "password": "demo-password-2026"})

    assert response["Location"] == reverse("home")


@pytest.mark.django_db
def test_seed_demo_at_scale_creates_n_accounts_with_contacts():
    seed("--scale", "50")

    assert Account.objects.count() == 50
    assert Contact.objects.count() == 100
    assert Contact.objects.filter(account__isnull=True).count() == 0
    assert Account.objects.values("code").distinct().count() == 50


@pytest.mark.django_db
def test_scale_seeding_numbers_accounts_after_the_existing_ones():
    seed()
    seed("--scale", "10")

    assert Account.objects.count() == 30
    assert Account.objects.values("code").distinct().count() == 30

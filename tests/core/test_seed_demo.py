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


def test_seed_demo_creates_the_company_and_running_it_again_changes_nothing(seeded_demo):
    first = counts()

    output = seed()

    assert counts() == first
    assert first["users"] == 4
    assert first["accounts"] == 20 + 1  # one of them entered twice (crm/duplicates/demo.py)
    assert first["contacts"] >= 2 * 19
    assert "admin" in output and "demo-password-2026" in output
    demo_duplicates_are_the_groups_found()


def demo_duplicates_are_the_groups_found() -> None:
    """The demo's duplicates (crm/duplicates/demo.py): customers entered twice as happens in real life, and the
    groups its searches found; no two different demo people share a name (the full name alone is a duplicate
    rule, so they would be taken for one). Checked here: seeding the demo takes a while."""
    from crm.duplicates.models import DuplicateGroup
    from crm.duplicates.normalisation import normalise_name

    copies = {
        "contacts": set(Contact.objects.filter(custom__demo="duplicates").values_list("pk", flat=True)),
        "accounts": set(Account.objects.filter(custom__demo="duplicates").values_list("pk", flat=True)),
    }
    assert (len(copies["contacts"]), len(copies["accounts"])) == (3, 1)
    groups = DuplicateGroup.objects.select_related("search")
    assert sorted((g.search.section, len(g.record_ids)) for g in groups) == [("accounts", 2)] + [("contacts", 2)] * 3
    for group in groups:  # each group: one original and its copy
        assert len(set(group.record_ids) & copies[group.search.section]) == 1
    names = [
        normalise_name(n)
        for n in Contact.objects.exclude(custom__demo="duplicates").values_list("full_name", flat=True)
    ]
    assert len(names) == len(set(names))


def test_the_demo_users_can_log_in(client, seeded_demo):
    response = client.post(reverse("login"), {"username": "alice", "password": "demo-password-2026"})

    assert response["Location"] == reverse("home")


@pytest.mark.django_db
def test_seed_demo_at_scale_creates_n_accounts_with_contacts():
    seed("--scale", "50")

    assert Account.objects.count() == 50
    assert Contact.objects.count() == 100
    assert Contact.objects.filter(account__isnull=True).count() == 0
    assert Account.objects.values("code").distinct().count() == 50


def test_scale_seeding_numbers_accounts_after_the_existing_ones(seeded_demo):
    seed("--scale", "10")

    assert Account.objects.count() == 31  # the demo's 20, one of them twice, and 10
    assert Account.objects.values("code").distinct().count() == 31

"""The demo organisation: reps see what Sales shares, their manager edits it, the admin manages the rest."""

from django.core.management import call_command
from django.urls import reverse

from accounts.models import Account
from crm import access
from crm.access.models import Role


def test_the_demo_builds_the_sales_organisation_once(seeded_demo):
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115

    assert Role.objects.filter(name="Company").count() == 1
    sales = Role.objects.get(name="Sales")
    assert sorted(Role.objects.filter(parent=sales).values_list("name", flat=True)) == [
        "Sales managers",
        "Sales team A",
        "Sales team B",
    ]


def test_in_the_demo_reps_read_each_others_accounts_and_the_manager_edits_them(seeded_demo):
    alice, bob, manager = seeded_demo["alice"], seeded_demo["bob"], seeded_demo["manager"]
    bobs = Account.objects.filter(owner=bob).first()

    assert access.visible(alice, Account.objects.all()).count() == Account.objects.count()
    assert access.can(alice, "read", bobs) and not access.can(alice, "edit", bobs)
    assert access.can(manager, "edit", bobs)
    assert access.can(seeded_demo["admin"], "manage_users") and not access.can(alice, "manage_users")


def test_in_the_demo_a_rep_and_the_admin_list_accounts_with_as_many_queries(client, seeded_demo):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = {}
    for username in ("admin", "alice"):
        client.force_login(seeded_demo[username])
        client.get(reverse("accounts:list"))
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("accounts:list"))
        assert len(response.context["rows"]) == 21  # the demo's 20 accounts, one of them entered twice
        counts[username] = len(queries)

    assert counts["alice"] == counts["admin"]

"""Privilege escalation: a user who may not manage users and roles posts to every access screen; each answers
404 and nothing changes, neither the rules nor his own rights. The Django admin is for staff only."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from crm import access
from crm.access.models import (
    ColumnRight,
    DefaultGrantRule,
    Delegation,
    Membership,
    ObjectRight,
    OperationRight,
    RecordGrant,
    Role,
    SectionAccess,
)
from tests.factories import AccountFactory

RULE_MODELS = (
    Role,
    Membership,
    ObjectRight,
    OperationRight,
    SectionAccess,
    DefaultGrantRule,
    RecordGrant,
    ColumnRight,
    Delegation,
)


def state():
    return {model.__name__: list(model.objects.order_by("pk").values()) for model in RULE_MODELS}


@pytest.fixture
def attempts(team, ada, alice, charlie):
    """Every write of the access screens, aimed at giving charlie more rights or taking ada's away."""
    account = AccountFactory(owner=alice)
    later = (timezone.localtime() + timezone.timedelta(days=9)).strftime("%Y-%m-%dT%H:%M")
    return [
        ("access:roles", [], {"name": "Charlie's own", "kind": "functional"}),
        ("access:role", [team.administrators.pk], {"name": "Renamed", "description": ""}),
        ("access:role_add_member", [team.administrators.pk], {"user": charlie.pk}),
        ("access:role_remove_member", [team.team_a.pk, alice.pk], {}),
        ("access:role_links", [team.administrators.pk], {"linked": [team.sales.pk]}),
        ("access:role_delete", [team.team_b.pk], {}),
        ("access:user", [charlie.pk], {"role": team.administrators.pk}),
        ("access:user_action", [ada.pk, "lock_out"], {}),
        ("access:user_action", [alice.pk, "deactivate"], {}),
        ("access:object_rights", [], {"section": "accounts", "role": team.all_employees.pk, "read": "on"}),
        (
            "access:operation_rights",
            [],
            {"operation": "manage_users", "role": team.all_employees.pk, "allowed": "1", "priority": 0},
        ),
        ("access:record_rights_switch", [], {"section": "accounts", "enabled": "1"}),
        (
            "access:record_rights",
            [],
            {"section": "accounts", "author_role": team.sales.pk, "grantee_role": team.all_employees.pk, "level": 3},
        ),
        ("access:column_rights", [], {"column": "accounts:name", "role": team.all_employees.pk, "access": 0}),
        ("access:delegations", [], {"delegator": ada.pk, "delegate": charlie.pk, "ends_at": later}),
        ("access:share", ["accounts", account.pk], {"user": charlie.pk, "level": 3}),
    ]


def test_a_non_admin_posting_to_the_access_screens_is_refused_and_changes_nothing(
    client, attempts, team, ada, alice, charlie
):
    before = state()
    client.force_login(charlie)

    answers = {
        (name, tuple(args)): client.post(reverse(name, args=args), data).status_code for name, args, data in attempts
    }

    # sharing a record he has no full rights on is refused by the service (the record page answers as usual)
    assert {key: code for key, code in answers.items() if key[0] != "access:share"} == {
        key: 404 for key in answers if key[0] != "access:share"
    }
    assert state() == before
    ada.refresh_from_db()
    alice.refresh_from_db()
    assert ada.is_active and alice.is_active
    assert not access.can(type(charlie).objects.get(pk=charlie.pk), "manage_users")


def test_the_same_posts_by_an_admin_do_change_things(client, attempts, ada):
    """The control: the attempts above are well formed, so a refusal is the gate's doing."""
    before = state()
    client.force_login(ada)

    for name, args, data in attempts:
        if name != "access:user_action" or args[0] != ada.pk:
            client.post(reverse(name, args=args), data)

    after = state()
    changed = {model for model in after if after[model] != before[model]}
    assert changed == {model.__name__ for model in RULE_MODELS}


def test_the_django_admin_is_for_staff_only(client, charlie, ada):
    client.force_login(charlie)
    assert client.get(reverse("admin:access_role_changelist")).status_code == 302
    client.force_login(ada)
    assert client.get(reverse("admin:access_role_changelist")).status_code == 200


def test_a_staff_user_without_model_permissions_cannot_change_roles_in_the_admin(client, charlie, team):
    charlie.is_staff = True
    charlie.save(update_fields=["is_staff"])
    client.force_login(charlie)

    response = client.post(reverse("admin:access_role_add"), {"name": "Sneaky", "kind": "functional"})

    assert response.status_code == 403
    assert not Role.objects.filter(name="Sneaky").exists()

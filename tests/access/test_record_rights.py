"""Record rights: the owner, the author and the managers above the owner have full rights; the others see a
record through a grant (default rules on create, shares by hand). Computed in SQL."""

import pytest
from django.core.exceptions import PermissionDenied

from accounts.models import Account
from crm import access
from crm.access import grants
from crm.access.models import DefaultGrantRule, Level, Membership, RecordGrant, Role
from crm.sections import registry
from crm.sections import services as section_services
from tests.factories import AccountFactory


@pytest.fixture
def accounts(record_rights):
    record_rights("accounts")
    return registry.get("accounts")


def names(user, action="read"):
    return sorted(access.visible(user, Account.objects.all(), action).values_list("name", flat=True))


def test_without_record_rights_every_employee_sees_every_record(alice, charlie):
    AccountFactory(owner=alice, name="Northwind")

    assert names(charlie) == ["Northwind"]


def test_with_record_rights_others_see_nothing_of_a_record_not_granted_to_them(org, accounts, alice, bob, charlie):
    account = AccountFactory(owner=alice, name="Northwind")

    assert names(alice) == ["Northwind"]
    assert names(bob) == names(charlie) == []
    assert access.can(alice, "delete", account)
    assert not access.can(bob, "read", account)


def test_the_author_has_full_rights_on_a_record_owned_by_someone_else(org, accounts, alice, bob):
    account = AccountFactory(owner=alice, created_by=bob, name="Northwind")

    assert names(bob, "delete") == ["Northwind"]
    assert access.can(bob, "edit", account)


def test_the_managers_above_the_owner_have_full_rights(org, accounts, alice, maria, bob):
    account = AccountFactory(owner=alice, name="Northwind")

    assert names(maria, "delete") == ["Northwind"]
    assert access.can(maria, "delete", account)
    assert names(bob) == []


def test_a_manager_of_one_team_does_not_see_the_records_of_another(org, accounts, alice, bob, charlie):
    team_b_lead = Role.objects.create(name="Team B lead", kind=Role.Kind.MANAGEMENT, parent=org.team_b)
    Membership.objects.create(user=charlie, role=team_b_lead)
    AccountFactory(owner=alice, name="Northwind")
    AccountFactory(owner=bob, name="Contoso")

    assert names(charlie) == ["Contoso"]


def test_a_grant_to_a_role_reaches_its_members_and_the_units_below(org, accounts, alice, bob, charlie, ada):
    account = AccountFactory(owner=charlie, name="Northwind")

    grants.share_record(user=charlie, obj=account, level=Level.READ, grantee_role=org.sales)

    assert names(alice) == names(bob) == ["Northwind"]


@pytest.mark.parametrize(
    ("level", "may"),
    [
        (Level.READ, {"read"}),
        (Level.EDIT, {"read", "edit"}),
        (Level.DELETE, {"read", "edit", "delete"}),
    ],
)
def test_a_grant_allows_what_its_level_includes(org, accounts, alice, charlie, level, may):
    account = AccountFactory(owner=alice, name="Northwind")
    grants.share_record(user=alice, obj=account, level=level, grantee_user=charlie)

    for action in ("read", "edit", "delete"):
        assert (names(charlie, action) == ["Northwind"]) is (action in may)
        assert access.can(charlie, action, account) is (action in may)


def test_only_who_has_full_rights_may_share_a_record(org, accounts, alice, charlie):
    account = AccountFactory(owner=alice, name="Northwind")
    grants.share_record(user=alice, obj=account, level=Level.EDIT, grantee_user=charlie)

    with pytest.raises(PermissionDenied):
        grants.share_record(user=charlie, obj=account, level=Level.DELETE, grantee_user=charlie)
    assert names(charlie, "delete") == []


def test_records_created_by_sales_reps_are_read_by_all_sales(org, accounts, alice, bob, maria, charlie):
    DefaultGrantRule.objects.create(section="accounts", author_role=org.sales, grantee_role=org.sales, level=1)

    section_services.create_record(section=accounts, user=alice, data={"name": "Northwind"})

    assert names(bob) == ["Northwind"] and names(bob, "edit") == []
    assert names(maria, "edit") == ["Northwind"]
    assert names(charlie) == []
    assert not RecordGrant.objects.exists()  # applied live: no row per record


def test_a_rule_for_another_role_grants_nothing(org, accounts, alice, bob):
    DefaultGrantRule.objects.create(section="accounts", author_role=org.team_b, grantee_role=org.sales, level=1)

    section_services.create_record(section=accounts, user=alice, data={"name": "Northwind"})

    assert names(bob) == []


def test_a_change_of_owner_moves_the_default_grants(org, accounts, alice, bob, charlie, ada):
    DefaultGrantRule.objects.create(section="accounts", author_role=org.team_a, grantee_role=org.team_a, level=1)
    DefaultGrantRule.objects.create(section="accounts", author_role=org.team_b, grantee_role=org.team_b, level=2)
    dave = Membership.objects.create(user=charlie, role=org.team_a).user
    account = section_services.create_record(section=accounts, user=alice, data={"name": "Northwind"})
    grants.share_record(user=alice, obj=account, level=Level.READ, grantee_user=ada)
    assert names(dave) == ["Northwind"] and names(bob) == []

    section_services.update_record(
        section=accounts, user=alice, obj=account, data={"owner": bob}, expected_version=account.version
    )

    assert names(dave) == []
    assert names(bob, "edit") == ["Northwind"]
    assert RecordGrant.objects.filter(object_id=account.pk, user=ada).exists()


def test_a_new_rule_applies_at_once_to_existing_records(org, accounts, alice, bob, maria, charlie):
    AccountFactory(owner=alice, name="Northwind")
    AccountFactory(owner=maria, name="Contoso")
    AccountFactory(owner=charlie, name="Fabrikam")

    DefaultGrantRule.objects.create(section="accounts", author_role=org.sales, grantee_role=org.sales, level=1)

    assert names(bob) == ["Contoso", "Northwind"]


def test_a_rep_who_moves_team_takes_the_grants_of_their_records_along(org, accounts, alice, bob, charlie):
    DefaultGrantRule.objects.create(section="accounts", author_role=org.team_a, grantee_role=org.team_a, level=1)
    Membership.objects.create(user=charlie, role=org.team_a)
    AccountFactory(owner=alice, name="Northwind")
    assert names(charlie) == ["Northwind"]

    Membership.objects.filter(user=alice, role=org.team_a).update(role=org.team_b)
    from crm.access import snapshot

    snapshot.bump()

    assert names(type(charlie).objects.get(pk=charlie.pk)) == []


def test_a_rule_for_all_employees_grants_every_record(org, accounts, alice, charlie):
    AccountFactory(owner=alice, name="Northwind")
    DefaultGrantRule.objects.create(
        section="accounts", author_role=org.all_employees, grantee_role=org.all_employees, level=1
    )

    assert names(charlie) == ["Northwind"] and names(charlie, "edit") == []
    assert "access_recordgrant" not in str(access.visible(charlie, Account.objects.all()).query)


def test_the_access_tab_names_the_roles_the_rules_grant_a_record_to(org, accounts, alice):
    DefaultGrantRule.objects.create(section="accounts", author_role=org.sales, grantee_role=org.sales, level=1)
    account = AccountFactory(owner=alice, name="Northwind")

    assert grants.default_grants_of(account) == [(org.sales, "read")]


def test_deleting_a_record_deletes_its_grants(org, accounts, alice, charlie):
    account = AccountFactory(owner=alice, name="Northwind")
    grants.share_record(user=alice, obj=account, level=Level.READ, grantee_user=charlie)

    section_services.delete_record(user=alice, obj=account)

    assert not RecordGrant.objects.exists()


def test_a_list_costs_one_query_whatever_the_rights(org, accounts, alice, django_assert_num_queries):
    for index in range(5):
        AccountFactory(owner=alice, name=f"Account {index}")
    access.can(alice, "read", accounts)  # the rules are read once and kept

    with django_assert_num_queries(1):
        assert len(names(alice)) == 5


def test_the_superuser_and_see_all_skip_the_record_check(org, accounts, alice, ada):
    AccountFactory(owner=alice, name="Northwind")

    queryset = access.visible(ada, Account.objects.all())

    assert "access_recordgrant" not in str(queryset.query)
    assert "access_recordgrant" in str(access.visible(alice, Account.objects.all()).query)

"""Every URL name of the access screens reverses to its path and the path resolves back to the name."""

import pytest
from django.urls import resolve, reverse

ACCESS_URLS = [
    ("access:index", [], "/access/"),
    ("access:users", [], "/access/users/"),
    ("access:user", [3], "/access/users/3/"),
    ("access:user_leave_role", [3, 4], "/access/users/3/roles/4/leave/"),
    ("access:user_action", [3, "lock_out"], "/access/users/3/lock_out/"),
    ("access:roles", [], "/access/roles/"),
    ("access:role", [5], "/access/roles/5/"),
    ("access:role_add_member", [5], "/access/roles/5/members/"),
    ("access:role_remove_member", [5, 3], "/access/roles/5/members/3/remove/"),
    ("access:role_links", [5], "/access/roles/5/links/"),
    ("access:role_delete", [5], "/access/roles/5/delete/"),
    ("access:object_rights", [], "/access/object-rights/"),
    ("access:object_right_delete", [2], "/access/object-rights/2/delete/"),
    ("access:operation_rights", [], "/access/operation-rights/"),
    ("access:operation_right_delete", [2], "/access/operation-rights/2/delete/"),
    ("access:record_rights", [], "/access/record-rights/"),
    ("access:record_rights_switch", [], "/access/record-rights/switch/"),
    ("access:default_rule_delete", [2], "/access/record-rights/rules/2/delete/"),
    ("access:column_rights", [], "/access/column-rights/"),
    ("access:column_right_delete", [2], "/access/column-rights/2/delete/"),
    ("access:delegations", [], "/access/delegations/"),
    ("access:delegation_revoke", [2], "/access/delegations/2/revoke/"),
    ("access:audit", [], "/access/audit/"),
    ("access:share", ["accounts", 7], "/access/records/accounts/7/share/"),
    ("access:revoke", ["accounts", 7, 2], "/access/records/accounts/7/grants/2/revoke/"),
]


@pytest.mark.parametrize(("name", "args", "path"), ACCESS_URLS, ids=[u[0] for u in ACCESS_URLS])
def test_access_url_reverses_and_resolves(name, args, path):
    assert reverse(name, args=args) == path
    assert resolve(path).view_name == name

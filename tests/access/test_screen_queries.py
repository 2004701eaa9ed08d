"""The access screens that list things run as many queries for many rows as for few."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from crm.access import audit
from crm.access.models import AuditEntry, Membership, Role
from tests.factories import UserFactory


def queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def grow(role_tree, count: int) -> None:
    for index in range(count):
        user = UserFactory()
        role = Role.objects.create(name=f"Team {index}", kind=Role.Kind.DEPARTMENT, parent=role_tree.sales)
        Membership.objects.create(user=user, role=role)
        audit.record(kind=AuditEntry.Kind.ROLE, summary=f"Created Team {index}")


@pytest.mark.parametrize("name", ["access:users", "access:roles", "access:audit", "access:object_rights"])
def test_an_access_screen_runs_as_many_queries_for_many_rows_as_for_few(client, ada, role_tree, name):
    client.force_login(ada)
    url = reverse(name)
    grow(role_tree, 2)
    client.get(url)
    few = queries(client, url)

    grow(role_tree, 12)

    assert queries(client, url) == few

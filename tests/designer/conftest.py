"""bob, a member of Sales team A, under a column right on an accounts field (`restrict("custom__x", READ)`)."""

import pytest

from crm.access.models import ColumnRight, Membership


@pytest.fixture
def restrict(bob, role_tree):
    Membership.objects.create(user=bob, role=role_tree.team_a)

    def column_right(field_name: str, access: int = ColumnRight.Access.HIDDEN) -> ColumnRight:
        return ColumnRight.objects.create(
            section="accounts", field_name=field_name, role=role_tree.team_a, access=access
        )

    return column_right

"""bob, a member of Sales team A, under a column right on an accounts field (`restrict("custom__x", READ)`); a
business rule on opportunities (`budget_at_proposal`)."""

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


@pytest.fixture
def budget_at_proposal(ada):
    """The budget is required once an opportunity reaches the proposal stage."""
    from crm.designer import rules
    from crm.sections import registry

    return rules.save_rule(
        user=ada,
        section=registry.get("opportunities"),
        name="Budget at proposal",
        match="all",
        conditions=[{"field": "stage", "operator": "equals", "value": "Proposal"}],
        action="required",
        target="budget",
    )

"""Demo roles and rights: Company > Sales (managed by "Sales managers": the manager) > Sales team A (alice) and
Sales team B (bob); the functional role "Administrators" (admin) with every operation. Accounts and contacts use
record rights: a rep's records are read by all of Sales (a default grant) and edited by their managers (the
management role above the owner has full rights).

No column rights are seeded: the accounts demo (seeded after this one) writes the annual revenue as the reps, which
a column right hiding it from them would refuse. Hiding it is one rule on the column rights screen (annual revenue:
Sales hidden, Sales managers read and edit)."""

from __future__ import annotations

from . import snapshot
from .models import OPERATIONS, DefaultGrantRule, Level, Membership, OperationRight, Role, SectionAccess
from .services import ensure_all_employees

ORDER = 5

RECORD_RIGHTS_SECTIONS = ("accounts", "contacts")


def already_seeded(context) -> bool:
    return Role.objects.filter(name="Company", kind=Role.Kind.ORGANISATION).exists()


def seed(context) -> None:
    ensure_all_employees()
    company = Role.objects.create(name="Company", kind=Role.Kind.ORGANISATION)
    sales = Role.objects.create(name="Sales", kind=Role.Kind.DIVISION, parent=company)
    managers = Role.objects.create(name="Sales managers", kind=Role.Kind.MANAGEMENT, parent=sales)
    team_a = Role.objects.create(name="Sales team A", kind=Role.Kind.DEPARTMENT, parent=sales)
    team_b = Role.objects.create(name="Sales team B", kind=Role.Kind.DEPARTMENT, parent=sales)
    administrators = Role.objects.create(
        name="Administrators", kind=Role.Kind.FUNCTIONAL, description="Manage users, rights, lookups and settings."
    )
    users = context.users
    Membership.objects.bulk_create(
        [
            Membership(user=users["admin"], role=administrators),
            Membership(user=users["manager"], role=managers),
            Membership(user=users["alice"], role=team_a),
            Membership(user=users["bob"], role=team_b),
        ]
    )
    OperationRight.objects.bulk_create(
        [OperationRight(operation=code, role=administrators, allowed=True, priority=10) for code, _ in OPERATIONS]
    )
    for section in RECORD_RIGHTS_SECTIONS:
        SectionAccess.objects.update_or_create(section=section, defaults={"use_record_rights": True})
        DefaultGrantRule.objects.create(section=section, author_role=sales, grantee_role=sales, level=Level.READ)
    snapshot.bump()  # bulk inserts send no signal
    context.created["roles"] = Role.objects.count()


def seed_scale(context, n: int) -> None:
    """Nothing to do: the default grants of records seeded in bulk need no rows (the rules apply live)."""

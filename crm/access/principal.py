"""A user as the access API sees them during one request: the user ids they act for (themselves and whoever
delegated to them), the roles whose rights they get and the roles whose members they manage."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils import timezone

from . import snapshot as snapshots
from .snapshot import Snapshot

ATTRIBUTE = "_crm_access_principal"


@dataclass
class Principal:
    user_id: int
    user_ids: frozenset[int]
    role_ids: frozenset[int]
    managed_role_ids: frozenset[int]
    rules: Snapshot
    epoch: tuple[int, int]
    #: answers of `can` for single records in this request: (model label, pk, action) -> bool
    record_answers: dict = field(default_factory=dict)

    def object_actions(self, section_name: str) -> frozenset[str]:
        """What the user may do in a section by its object rights (all four when it has no rule)."""
        rules = self.rules.object_rights.get(section_name)
        if not rules:
            return frozenset({"read", "create", "edit", "delete"})
        actions: set[str] = set()
        for role_id, allowed in rules.items():
            if role_id in self.role_ids:
                actions |= allowed
        return frozenset(actions)

    def operation(self, operation: str, default: bool) -> bool:
        for _, role_id, allowed in self.rules.operation_rules.get(operation, ()):
            if role_id in self.role_ids:
                return allowed
        return default

    def column_levels(self, section_name: str) -> dict[str, int]:
        """Field -> the most open access among the user's roles' rules, for the fields they have rules on."""
        levels = {}
        for field_name, by_role in self.rules.column_rights.get(section_name, {}).items():
            mine = [level for role_id, level in by_role.items() if role_id in self.role_ids]
            if mine:
                levels[field_name] = max(mine)
        return levels

    def uses_record_rights(self, section_name: str) -> bool:
        return section_name in self.rules.record_rights


def build(user) -> Principal:
    version = snapshots.current_version()
    rules = snapshots.snapshot(version)
    own = snapshots.user_roles(user.pk, version)
    now = timezone.now()
    direct = set(own.direct)
    user_ids = {user.pk}
    for delegator_id, delegator_roles, starts_at, ends_at in own.delegations:
        if starts_at <= now < ends_at:
            user_ids.add(delegator_id)
            direct |= delegator_roles
    role_ids, managed = rules.expand(direct)
    return Principal(
        user_id=user.pk,
        user_ids=frozenset(user_ids),
        role_ids=role_ids,
        managed_role_ids=managed,
        rules=rules,
        epoch=snapshots.local_epoch(),
    )


def principal_for(user) -> Principal:
    """The user's principal, computed once per request (kept on the user object) and redone when the rules or
    grants changed in this process meanwhile."""
    principal = getattr(user, ATTRIBUTE, None)
    if principal is not None and principal.user_id == user.pk:
        epoch = snapshots.local_epoch()
        if principal.epoch == epoch:
            return principal
        if principal.epoch[0] == epoch[0]:
            principal.record_answers.clear()
            principal.epoch = epoch
            return principal
    principal = build(user)
    setattr(user, ATTRIBUTE, principal)
    return principal


def roles_of(user_id: int) -> frozenset[int]:
    """The roles a user gets by their own memberships (not delegations): what default grant rules look at."""
    version = snapshots.current_version()
    rules = snapshots.snapshot(version)
    return rules.expand(snapshots.user_roles(user_id, version).direct)[0]

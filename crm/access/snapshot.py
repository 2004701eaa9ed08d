"""The rules as the access API reads them: a snapshot of the (small) role and right tables and each user's role
memberships, cached under a version that every change bumps, so a page costs no query for the rules.

The version lives in the shared cache (Redis) when there is one, and in the `AccessState` row otherwise, so
several processes with their own local-memory caches never act on stale rules. Within one request the user's
computed `Principal` is kept on the user object.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.utils import timezone

from .models import (
    AccessState,
    ColumnRight,
    DefaultGrantRule,
    Delegation,
    Membership,
    ObjectRight,
    OperationRight,
    Role,
    SectionAccess,
)

VERSION_KEY = "crm.access:version"
#: the version of the records shared by hand, which the cached figures of other processes depend on (a tile)
GRANTS_VERSION_KEY = "crm.access:grants-version"
CACHE_SECONDS = 60 * 60

_state = {
    # bumped in this process on every change of rules (objects kept on a user in this process are redone) and of
    # record grants (read in SQL, but `can` keeps its answers for single records during a request)
    "rules": 0,
    "grants": 0,
    # rules changed in a transaction not committed yet: what this process reads now is not cached
    "pending": False,
    # a prefix of the cache keys; tests change it so that no test sees what another cached
    "salt": "",
}


@dataclass(frozen=True)
class RoleNode:
    id: int
    kind: str
    parent_id: int | None
    linked: tuple[int, ...] = ()


@dataclass(frozen=True)
class DefaultRule:
    id: int
    author_role_id: int
    grantee_role_id: int
    level: int


@dataclass
class Snapshot:
    """Every rule, keyed for the questions the API asks."""

    roles: dict[int, RoleNode]
    all_employees_id: int | None
    #: section -> role id -> the actions the role may
    object_rights: dict[str, dict[int, frozenset[str]]]
    #: operation -> [(priority, role id, allowed)], highest priority first
    operation_rules: dict[str, list[tuple[int, int, bool]]]
    record_rights: frozenset[str]
    #: section -> field -> role id -> access level
    column_rights: dict[str, dict[str, dict[int, int]]]
    default_rules: dict[str, list[DefaultRule]]
    children: dict[int, list[int]] = field(default_factory=dict)
    #: role id -> the roles whose members get it (themselves, the units below, their managers, linked roles)
    granting: dict[int, frozenset[int]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        children = defaultdict(list)
        for node in self.roles.values():
            if node.parent_id is not None:
                children[node.parent_id].append(node.id)
        self.children = dict(children)
        granting = defaultdict(set)
        for role_id in self.roles:
            for gotten in self.expand([role_id])[0]:
                granting[gotten].add(role_id)
        self.granting = {role_id: frozenset(roles) for role_id, roles in granting.items()}

    def ancestors(self, role_id: int) -> list[int]:
        result, seen = [], {role_id}
        node = self.roles.get(role_id)
        while node is not None and node.parent_id is not None and node.parent_id not in seen:
            seen.add(node.parent_id)
            result.append(node.parent_id)
            node = self.roles.get(node.parent_id)
        return result

    def subtree(self, role_id: int) -> set[int]:
        """The role and every role below it (sub-units and their management roles)."""
        result, pending = set(), [role_id]
        while pending:
            current = pending.pop()
            if current in result:
                continue
            result.add(current)
            pending.extend(self.children.get(current, ()))
        return result

    def expand(self, direct) -> tuple[frozenset[int], frozenset[int]]:
        """The roles whose rights the members of `direct` get, and the roles whose members they manage.

        A member of a unit gets the rights given to the units above it; a management role's members get what its
        unit and every unit below it get, and manage their members; a functional role's members get what the
        organisational roles it links to get. Everyone is in "All employees".
        """
        roles: set[int] = set()
        managed: set[int] = set()
        pending = [role_id for role_id in direct if role_id in self.roles]
        while pending:
            role_id = pending.pop()
            if role_id in roles:
                continue
            node = self.roles[role_id]
            roles.add(role_id)
            roles.update(self.ancestors(role_id))
            if node.kind == Role.Kind.MANAGEMENT and node.parent_id is not None:
                below = self.subtree(node.parent_id) - {role_id}
                managed.update(below)
                roles.update(below)
            if node.kind == Role.Kind.FUNCTIONAL:
                pending.extend(node.linked)
        if self.all_employees_id is not None:
            roles.add(self.all_employees_id)
        return frozenset(roles), frozenset(managed)

    def is_everyone(self, role_id: int) -> bool:
        return role_id == self.all_employees_id


@dataclass(frozen=True)
class UserRoles:
    """A user's own memberships and the delegations they receive (with the delegator's memberships)."""

    direct: frozenset[int]
    #: (delegator id, delegator's memberships, starts at, ends at)
    delegations: tuple[tuple[int, frozenset[int], datetime, datetime], ...] = ()


# --- the version ----------------------------------------------------------------------------------------------


def _version_in_cache() -> bool:
    return getattr(settings, "ACCESS_VERSION_SOURCE", "cache") == "cache"


def current_version() -> str:
    if not _version_in_cache():
        return AccessState.objects.filter(pk=1).values_list("version", flat=True).first() or "none"
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, uuid.uuid4().hex, None)
        version = cache.get(VERSION_KEY)
    return version


def _new_shared_version() -> None:
    cache.set(VERSION_KEY, uuid.uuid4().hex, None)


def _committed() -> None:
    _state["pending"] = False
    _new_shared_version()


def bump() -> None:
    """The rules changed: every cached snapshot is dropped now, and again once the transaction commits, so that
    nobody keeps rules read in between; until then this process caches nothing (a rollback would undo them)."""
    _state["rules"] += 1
    token = uuid.uuid4().hex
    if not AccessState.objects.filter(pk=1).update(version=token):
        AccessState.objects.get_or_create(pk=1, defaults={"version": token})
    _new_shared_version()
    if connection.in_atomic_block:
        _state["pending"] = True
        transaction.on_commit(_committed)


def _cacheable() -> bool:
    if _state["pending"]:
        if connection.in_atomic_block:
            return False
        _state["pending"] = False  # the transaction ended without a commit: nothing of it is left to cache
    return True


def grants_changed() -> None:
    """A record was shared or stopped being shared: what this process keeps about single records is redone, and
    the shared rights version changes (now, and again once the transaction commits), so figures cached under
    it in any process (a dashboard tile) are not shown any more."""
    _state["grants"] += 1
    if not _version_in_cache():
        bump()  # the version lives in the database: one version for rules and grants
        return
    _new_grants_version()
    if connection.in_atomic_block:
        transaction.on_commit(_new_grants_version)


def _new_grants_version() -> None:
    cache.set(GRANTS_VERSION_KEY, uuid.uuid4().hex, None)


def rights_version() -> str:
    """The version of everything that decides who sees which records: the rules and the records shared by hand.
    What is cached for a viewer beyond one request carries it in its key."""
    if not _version_in_cache():
        return current_version()
    grants = cache.get(GRANTS_VERSION_KEY)
    if grants is None:
        cache.add(GRANTS_VERSION_KEY, uuid.uuid4().hex, None)
        grants = cache.get(GRANTS_VERSION_KEY)
    return f"{current_version()}:{grants}"


def local_epoch() -> tuple[int, int]:
    return _state["rules"], _state["grants"]


def forget() -> None:
    """Start afresh, as if no rule had been cached (for tests, whose databases are rolled back)."""
    _state.update(rules=_state["rules"] + 1, grants=_state["grants"] + 1, pending=False, salt=uuid.uuid4().hex)
    cache.delete(VERSION_KEY)


# --- loading ----------------------------------------------------------------------------------------------------


def load_snapshot() -> Snapshot:
    """Read every rule (a handful of small tables)."""
    roles = {}
    links = defaultdict(list)
    for functional_id, linked_id in Role.linked_roles.through.objects.values_list("from_role_id", "to_role_id"):
        links[functional_id].append(linked_id)
    all_employees_id = None
    for role_id, kind, parent_id in Role.objects.values_list("id", "kind", "parent_id"):
        roles[role_id] = RoleNode(role_id, kind, parent_id, tuple(sorted(links.get(role_id, ()))))
        if kind == Role.Kind.ALL_EMPLOYEES:
            all_employees_id = role_id
    object_rights: dict[str, dict[int, frozenset[str]]] = defaultdict(dict)
    for right in ObjectRight.objects.all():
        object_rights[right.section][right.role_id] = right.actions()
    operation_rules: dict[str, list] = defaultdict(list)
    for operation, role_id, allowed, priority in OperationRight.objects.values_list(
        "operation", "role_id", "allowed", "priority"
    ).order_by("priority", "id"):
        operation_rules[operation].append((priority, role_id, allowed))
    column_rights: dict[str, dict[str, dict[int, int]]] = defaultdict(lambda: defaultdict(dict))
    for section, field_name, role_id, access in ColumnRight.objects.values_list(
        "section", "field_name", "role_id", "access"
    ):
        column_rights[section][field_name][role_id] = access
    default_rules: dict[str, list[DefaultRule]] = defaultdict(list)
    for rule in DefaultGrantRule.objects.order_by("id"):
        default_rules[rule.section].append(DefaultRule(rule.id, rule.author_role_id, rule.grantee_role_id, rule.level))
    return Snapshot(
        roles=roles,
        all_employees_id=all_employees_id,
        object_rights=dict(object_rights),
        operation_rules=dict(operation_rules),
        record_rights=frozenset(SectionAccess.objects.filter(use_record_rights=True).values_list("section", flat=True)),
        column_rights={section: {f: dict(r) for f, r in fields.items()} for section, fields in column_rights.items()},
        default_rules=dict(default_rules),
    )


def load_user_roles(user_id: int) -> UserRoles:
    now = timezone.now()
    delegations = list(
        Delegation.objects.filter(delegate_id=user_id, revoked_at__isnull=True, ends_at__gt=now)
        .filter(delegator__is_active=True)
        .values_list("delegator_id", "starts_at", "ends_at")
    )
    wanted = {user_id} | {delegator for delegator, _, _ in delegations}
    memberships = defaultdict(set)
    for member_id, role_id in Membership.objects.filter(user_id__in=wanted).values_list("user_id", "role_id"):
        memberships[member_id].add(role_id)
    return UserRoles(
        direct=frozenset(memberships[user_id]),
        delegations=tuple(
            (delegator, frozenset(memberships[delegator]), starts, ends) for delegator, starts, ends in delegations
        ),
    )


def _cached(key: str, load):
    if not _cacheable():
        return load()
    key = f"crm.access:{_state['salt']}{key}"
    value = cache.get(key)
    if value is None:
        value = load()
        cache.set(key, value, CACHE_SECONDS)
    return value


def snapshot(version: str | None = None) -> Snapshot:
    return _cached(f"snapshot:{version or current_version()}", load_snapshot)


def user_roles(user_id: int, version: str | None = None) -> UserRoles:
    return _cached(f"user:{version or current_version()}:{user_id}", lambda: load_user_roles(user_id))

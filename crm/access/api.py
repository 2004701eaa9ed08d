"""The access API. Object, operation, record and column rights are answered here, and nowhere else.

- Object rights: what a role may do in a section (read, create, edit, delete). A section without rules is open to
  every active user (the default: "All employees" may do all four).
- Operation rights: export, import, ...; the rule of highest priority among the user's roles decides; without a
  rule, ACCESS_DEFAULT_OPERATIONS. Superusers may do everything.
- Record rights, in sections that use them: the owner, the author and the managers above the owner have full
  rights; others see a record through the section's default grant rules (applied live by the owner's roles) or a
  share with them or one of their roles. `visible` computes this in SQL, with no query of its own: conditions on
  the owner and the author, a semi-join on the memberships of the owner's roles and one on the indexed grants
  table. Superusers and holders of `see_all` read everything.
- Column rights: fields hidden or read-only for a role. They cover what derives from a field too: a section
  declares its derived values (`Section.derived_values`: an opportunity's amount in the base currency, its product
  lines' totals, the pipeline's sums); a hidden field hides them, and every view asks `can_read_value`.

Models that are no section (lookups, detail rows) are readable by every active user; changing a lookup needs
`manage_lookups`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.http import Http404

from crm.core.bulk import pk_among

if TYPE_CHECKING:
    from .principal import Principal

# The package is imported while Django loads its apps, so models (and what imports them) are imported inside
# the functions.

OBJECT_ACTIONS = ("read", "create", "edit", "delete")
OPERATIONS = (
    "export",
    "import",
    "merge_duplicates",
    "designer",
    "manage_users",
    "manage_lookups",
    "view_change_log",
    "see_all",
    "administer",
    "manage_corporate_tags",
    "analytics_setup",
)
#: the grant level a record action needs
LEVELS = {"read": 1, "edit": 2, "delete": 3}


@dataclass(frozen=True)
class FieldAccess:
    """Which of a section's fields a user may see and which they may change."""

    readable: frozenset[str]
    writable: frozenset[str]
    hidden: frozenset[str] = field(default_factory=frozenset)
    #: values the section derives from hidden fields that are no fields themselves (a line's total, a sum)
    hidden_values: frozenset[str] = field(default_factory=frozenset)

    def can_read(self, name: str) -> bool:
        return name in self.readable

    def can_read_value(self, name: str) -> bool:
        """May the user see `name`: a field, or a value derived from fields (`Section.derived_values`)? What is
        neither (a count, a stage) is not about any column and is shown."""
        return name not in self.hidden and name not in self.hidden_values

    def can_write(self, name: str) -> bool:
        return name in self.writable


def _active(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def _section_of(obj):
    """The Section `obj` (a Section, a model class or a record) belongs to, or None."""
    from crm.sections import registry

    if isinstance(obj, registry.Section):
        return obj
    if (isinstance(obj, type) and issubclass(obj, models.Model)) or isinstance(obj, models.Model):
        return registry.for_model(obj)
    raise TypeError(f"Cannot tell the section of {obj!r}")


def _default_operation(operation: str) -> bool:
    return bool(getattr(settings, "ACCESS_DEFAULT_OPERATIONS", {}).get(operation, False))


def _principal(user) -> Principal:
    from .principal import principal_for

    return principal_for(user)


def _operation(user, principal: Principal | None, operation: str) -> bool:
    if user.is_superuser:
        return True
    principal = principal or _principal(user)
    return principal.operation(operation, _default_operation(operation))


def _reads_everything(user, principal: Principal) -> bool:
    return user.is_superuser or principal.operation("see_all", _default_operation("see_all"))


# --- records ----------------------------------------------------------------------------------------------------


def _record_condition(principal: Principal, model: type[models.Model], action: str, section_name: str) -> Q | None:
    """The records of `model` the user may `action`, as a condition in SQL; None when they may all of them.

    The owner and the author have full rights, and so have the managers above the owner. The default grant rules
    of the section are applied live, by the owner's roles ("records of members of Sales are read by Sales"): a
    change of owner, or of the owner's roles, moves them at once, and no row is stored per record. Records shared
    by hand are read from the indexed grants table once per query (the shares of one user and their roles are
    few), where an EXISTS would be costed per row and lead PostgreSQL's planner astray on searches.

    bench/access.py (a million accounts) and bench/pipeline.py (the kanban of a rep) measure it.
    """
    from django.contrib.contenttypes.models import ContentType

    from .models import Membership, RecordGrant

    rules = principal.rules
    level = LEVELS[action]
    applicable = [
        rule
        for rule in rules.default_rules.get(section_name, ())
        if rule.grantee_role_id in principal.role_ids and rule.level >= level
    ]
    if any(rules.is_everyone(rule.author_role_id) for rule in applicable):
        return None
    user_ids = sorted(principal.user_ids)
    field_names = {f.name for f in model._meta.concrete_fields}
    content_type = ContentType.objects.get_for_model(model, for_concrete_model=True)
    shared = (
        RecordGrant.objects.filter(content_type_id=content_type.pk, level__gte=level)
        .filter(Q(role_id__in=sorted(principal.role_ids)) | Q(user_id__in=user_ids))
        .values("object_id")
    )
    owner_roles = set(principal.managed_role_ids)
    for rule in applicable:
        owner_roles |= rules.granting.get(rule.author_role_id, frozenset())
    # One condition per way in, joined by OR: the planner reads a page in its order and stops once it is full
    # when many rows pass (a rep's third of the deals), and unites the indexes of the conditions when few do.
    condition = pk_among(shared)
    if "owner" in field_names:
        condition |= Q(owner_id__in=user_ids)
        if owner_roles:
            owners = Membership.objects.filter(role_id__in=sorted(owner_roles)).values("user_id")
            condition |= Q(owner_id__in=owners)
    if "created_by" in field_names:
        condition |= Q(created_by_id__in=user_ids)
    return condition


def _record_allows(principal: Principal, obj: models.Model, action: str) -> bool:
    if obj.pk is None:
        return True
    if (
        getattr(obj, "owner_id", None) in principal.user_ids
        or getattr(obj, "created_by_id", None) in principal.user_ids
    ):
        return True
    key = (obj._meta.label, obj.pk, action)
    if key not in principal.record_answers:
        model = obj._meta.concrete_model
        condition = _record_condition(principal, model, action, _section_of(model).name)
        queryset = model._default_manager.filter(pk=obj.pk)
        principal.record_answers[key] = condition is None or queryset.filter(condition).exists()
    return principal.record_answers[key]


def _full_rights_condition(principal: Principal, model: type[models.Model]) -> Q:
    """The records of `model` the user has full rights on, in SQL: their own and authored records, those of the
    members of the units they manage, and those shared with them (or a role of theirs) at the delete level with
    delegation permitted. Default grant rules never give full rights."""
    from django.contrib.contenttypes.models import ContentType

    from .models import Level, Membership, RecordGrant

    user_ids = sorted(principal.user_ids)
    field_names = {f.name for f in model._meta.concrete_fields}
    content_type = ContentType.objects.get_for_model(model, for_concrete_model=True)
    shared = (
        RecordGrant.objects.filter(content_type_id=content_type.pk, level__gte=Level.DELETE, can_delegate=True)
        .filter(Q(role_id__in=sorted(principal.role_ids)) | Q(user_id__in=user_ids))
        .values("object_id")
    )
    condition = Q(pk__in=shared)
    if "owner" in field_names:
        condition |= Q(owner_id__in=user_ids)
        if principal.managed_role_ids:
            owners = Membership.objects.filter(role_id__in=sorted(principal.managed_role_ids)).values("user_id")
            condition |= Q(owner_id__in=owners)
    if "created_by" in field_names:
        condition |= Q(created_by_id__in=user_ids)
    return condition


# --- the API ----------------------------------------------------------------------------------------------------


def visible(user, queryset: models.QuerySet, action: str = "read") -> models.QuerySet:
    """Narrow `queryset` to the records `user` may `action` (read, edit or delete). Computed in SQL, with no
    query of its own: the rules come from the cached snapshot."""
    if action not in OBJECT_ACTIONS:
        raise ValueError(f"Unknown action {action!r}")
    if not _active(user):
        return queryset.none()
    section = _section_of(queryset.model)
    if section is None or user.is_superuser:
        return queryset
    principal = _principal(user)
    if action == "read" and _reads_everything(user, principal):
        return queryset
    if action not in principal.object_actions(section.name):
        return queryset.none()
    if action == "create" or not principal.uses_record_rights(section.name):
        return queryset
    condition = _record_condition(principal, queryset.model, action, section.name)
    return queryset if condition is None else queryset.filter(condition)


def can(user, action: str, obj=None) -> bool:
    """May `user` do `action`? `obj` is a record, a model class, a Section, or None for an operation."""
    if not _active(user):
        return False
    if action in OPERATIONS:
        return _operation(user, None, action)
    if action not in OBJECT_ACTIONS:
        raise ValueError(f"Unknown action {action!r}")
    if obj is None:
        return True
    section = _section_of(obj)
    if section is None:
        from crm.core.models import Lookup

        model = obj if isinstance(obj, type) else type(obj)
        if action != "read" and issubclass(model, Lookup):
            return _operation(user, None, "manage_lookups")
        return True
    if user.is_superuser:
        return True
    principal = _principal(user)
    reads_everything = action == "read" and _reads_everything(user, principal)
    if not reads_everything and action not in principal.object_actions(section.name):
        return False
    if isinstance(obj, models.Model) and action != "create" and not reads_everything:
        if principal.uses_record_rights(section.name):
            return _record_allows(principal, obj, action)
    return True


def _hidden_among(user, section, names: frozenset[str]) -> tuple[frozenset[str], frozenset[str]]:
    """(hidden, read-only) among `names` of `section` for an active user who is no superuser."""
    from .models import ColumnRight

    levels = _principal(user).column_levels(section.name)
    hidden = frozenset(n for n in names if levels.get(n, ColumnRight.Access.EDIT) == ColumnRight.Access.HIDDEN)
    read_only = frozenset(n for n in names if levels.get(n, ColumnRight.Access.EDIT) == ColumnRight.Access.READ)
    return hidden, read_only


def fields_for(user, section, mode: str = "read", obj: models.Model | None = None) -> FieldAccess:
    """The fields of `section` that `user` may read and write (column rights), and the derived values hidden with
    them. Given a saved record, its owner is writable only to who may change it (`may_change_owner`): an edit
    share is no way to take a record over."""
    names = frozenset(section.field_names())
    derived = section.derived_from()
    if not _active(user):
        return FieldAccess(
            readable=frozenset(), writable=frozenset(), hidden=names, hidden_values=frozenset(derived) - names
        )
    if user.is_superuser:
        return FieldAccess(readable=names, writable=names)
    hidden, read_only = _hidden_among(user, section, names)
    # what derives from a hidden field is hidden with it: a derived field (amount_base) as a field, so that every
    # list, detail page, export and print form leaves it out; the other values through `can_read_value`
    hidden_values = frozenset(value for value, sources in derived.items() if sources & hidden)
    hidden |= hidden_values & names
    writable = names - hidden - read_only
    if obj is not None and obj.pk is not None and "owner" in writable and not may_change_owner(user, obj):
        writable -= {"owner"}
    return FieldAccess(
        readable=names - hidden,
        writable=writable,
        hidden=hidden,
        hidden_values=hidden_values - names,
    )


def is_administrator(user) -> bool:
    """Superusers and holders of `administer`: they alone change how rights work (record rights switched on or
    off, object, column and default record rights) and give roles or rights they do not hold themselves."""
    return _active(user) and _operation(user, None, "administer")


def has_full_rights(user, obj: models.Model) -> bool:
    """Does `user` have full rights on the record (read, edit, delete and share it on, change its owner)? The
    owner, the author, the managers above the owner and who holds a delete share with delegation permitted do,
    and administrators. Judged as if the section used record rights, so that nobody takes a record over while
    they are off; the section's object rights must allow deleting."""
    if not _active(user):
        return False
    if is_administrator(user):
        return True
    section = _section_of(obj)
    if section is None or obj.pk is None:
        return can(user, "delete", obj)
    principal = _principal(user)
    if "delete" not in principal.object_actions(section.name):
        return False
    if (
        getattr(obj, "owner_id", None) in principal.user_ids
        or getattr(obj, "created_by_id", None) in principal.user_ids
    ):
        return True
    key = (obj._meta.label, obj.pk, "full")
    if key not in principal.record_answers:
        model = obj._meta.concrete_model
        queryset = model._default_manager.filter(pk=obj.pk)
        principal.record_answers[key] = queryset.filter(_full_rights_condition(principal, model)).exists()
    return principal.record_answers[key]


def may_change_owner(user, obj: models.Model) -> bool:
    """May `user` give the record another owner? Where the section uses record rights, the owner decides what
    everyone else may do, so only who has full rights on it (`has_full_rights`) may; elsewhere, who may edit it."""
    if not can(user, "edit", obj):
        return False
    section = _section_of(obj)
    if section is None or user.is_superuser or not _principal(user).uses_record_rights(section.name):
        return True
    return has_full_rights(user, obj)


def owner_changeable(user, queryset: models.QuerySet) -> models.QuerySet:
    """`queryset` narrowed to the records whose owner `user` may change (`may_change_owner`), in SQL."""
    queryset = visible(user, queryset, "edit")
    section = _section_of(queryset.model)
    if section is None or user.is_superuser or is_administrator(user):
        return queryset
    principal = _principal(user)
    if not principal.uses_record_rights(section.name):
        return queryset
    if "delete" not in principal.object_actions(section.name):
        return queryset.none()
    return queryset.filter(_full_rights_condition(principal, queryset.model))


def can_read_value(user, section, name: str) -> bool:
    """May `user` see `name` of `section` (a Section, a model class or a record): a field, or a value derived from
    its fields (a line's total from the record's amount, the kanban's column sums)? The one question kanban,
    analytics, print forms, exports, panels and vCards ask; the same answer as `fields_for(...).can_read_value`,
    from the rules of the fields concerned only (a page asking it reads no custom fields)."""
    from crm.designer.fields import is_custom

    section = _section_of(section)
    sources = section.derived_from().get(name, frozenset())
    is_field = is_custom(name) or name in {f.name for f in section.opts.concrete_fields}
    concerned = sources | ({name} if is_field else set())
    if not concerned:
        return True
    if not _active(user):
        return False
    if user.is_superuser:
        return True
    return not _hidden_among(user, section, frozenset(concerned))[0]


def get_object_or_404(user, queryset_or_model, action: str = "read", **lookup):
    """The one permission-checked fetch: the same 404 whether the record is missing or forbidden."""
    queryset = queryset_or_model._default_manager.all() if isinstance(queryset_or_model, type) else queryset_or_model
    try:
        return visible(user, queryset, action).get(**lookup)
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        raise Http404("No such record.")


def record_created(*, user, obj) -> None:
    """Called by the section services after a record is created. The default grant rules are applied live from
    the owner's roles (see `_record_condition`), so there is nothing to store; the hook stays for what may need
    it (e.g. notifying the people a record is granted to)."""


def owner_changed(*, user, obj, previous_owner_id) -> None:
    """Called by the section services after a record's owner changed. The default grants follow the new owner's
    roles by themselves (they are applied live); grants given by hand stay."""


def record_deleted(*, obj) -> None:
    """Called by the section services when a record is deleted: its grants go with it."""
    from .grants import remove_all_grants

    remove_all_grants(obj=obj)


def managers_of(user) -> list:
    """The user's managers: the active members of the management role of the nearest unit above the user (their
    own unit first) that has a manager other than the user. Empty when nobody manages them."""
    from django.contrib.auth import get_user_model

    from .models import Membership, Role

    units = list(Role.objects.filter(memberships__user=user, kind__in=Role.UNIT_KINDS).values_list("pk", "parent_id"))
    # management roles the user holds count as standing in the managed unit
    units += list(
        Role.objects.filter(memberships__user=user, kind=Role.Kind.MANAGEMENT)
        .select_related("parent")
        .values_list("parent_id", "parent__parent_id")
    )
    parents = dict(Role.objects.filter(kind__in=Role.UNIT_KINDS).values_list("pk", "parent_id"))
    frontier = {unit for unit, _ in units}
    seen: set[int] = set()
    while frontier:
        manager_ids = (
            Membership.objects.filter(role__kind=Role.Kind.MANAGEMENT, role__parent_id__in=frontier)
            .exclude(user=user)
            .values_list("user_id", flat=True)
        )
        managers = list(get_user_model().objects.filter(pk__in=manager_ids, is_active=True).order_by("pk"))
        if managers:
            return managers
        seen |= frontier
        frontier = {parents.get(unit) for unit in frontier} - seen - {None}
    return []

"""Roles, memberships and the four kinds of rights (object, operation, record, column), delegations and the
audit log. The rules are read by `crm.access.api` through a cached snapshot (see `crm.access.snapshot`)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone

OPERATIONS = (
    ("export", "Export lists"),
    ("import", "Import data"),
    ("merge_duplicates", "Search and merge duplicates"),
    ("designer", "Use the system designer"),
    ("manage_users", "Manage users and roles"),
    ("manage_lookups", "Manage lookups"),
    ("view_change_log", "View the change log"),
    ("see_all", "See all data"),
    ("administer", "Administer: rights schemes and every role and right"),
    ("manage_corporate_tags", "Corporate tag management"),
    ("analytics_setup", "Analytics setup: change shared dashboards and goals"),
)


class Role(models.Model):
    """A node of the organisational tree (company, division, department, or the management role of a unit),
    a functional role (a job title linked to organisational roles), or the built-in "All employees"."""

    class Kind(models.TextChoices):
        ALL_EMPLOYEES = "all_employees", "All employees"
        ORGANISATION = "organisation", "Organisation"
        DIVISION = "division", "Division"
        DEPARTMENT = "department", "Department"
        MANAGEMENT = "management", "Management role"
        FUNCTIONAL = "functional", "Functional role"

    #: the kinds that make up the organisational tree (a management role hangs below the unit it manages)
    UNIT_KINDS = (Kind.ORGANISATION, Kind.DIVISION, Kind.DEPARTMENT)

    name = models.CharField(max_length=150)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.DEPARTMENT)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        help_text="The unit above (for a management role: the unit it manages).",
    )
    linked_roles = models.ManyToManyField(
        "self",
        symmetrical=False,
        blank=True,
        related_name="functional_roles",
        help_text="For a functional role: the organisational roles whose rights its members get.",
    )
    description = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ("name",)
        constraints = [
            models.UniqueConstraint(
                fields=["kind"], condition=Q(kind="all_employees"), name="access_role_one_all_employees"
            ),
            models.UniqueConstraint(
                fields=["parent"], condition=Q(kind="management"), name="access_role_one_management_per_unit"
            ),
            models.CheckConstraint(
                condition=~Q(kind="management") | Q(parent__isnull=False), name="access_role_management_has_unit"
            ),
            models.CheckConstraint(
                condition=~Q(kind__in=["functional", "all_employees"]) | Q(parent__isnull=True),
                name="access_role_outside_the_tree_has_no_parent",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_builtin(self) -> bool:
        return self.kind == self.Kind.ALL_EMPLOYEES


class Membership(models.Model):
    """A user in a role. Every active user is in "All employees" without a row."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="role_memberships")
    role = models.ForeignKey(Role, on_delete=models.CASCADE, related_name="memberships")
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "role"], name="access_membership_unique")]
        # "the owner is a member of a unit I manage": owner_id IN (SELECT user_id ... WHERE role_id IN (...))
        indexes = [models.Index(fields=["role", "user"], name="access_membership_role_idx")]

    def __str__(self) -> str:
        return f"{self.user} in {self.role}"


class ObjectRight(models.Model):
    """What a role may do in a section. A section without any rule is open to everyone (the default: "All
    employees" may read, create, edit and delete); once it has rules, a user may what any of their roles may."""

    section = models.CharField(max_length=64)
    role = models.ForeignKey(Role, on_delete=models.CASCADE, related_name="object_rights")
    can_read = models.BooleanField("read", default=True)
    can_create = models.BooleanField("create", default=False)
    can_edit = models.BooleanField("edit", default=False)
    can_delete = models.BooleanField("delete", default=False)

    class Meta:
        ordering = ("section", "role__name")
        constraints = [models.UniqueConstraint(fields=["section", "role"], name="access_object_right_unique")]

    def __str__(self) -> str:
        return f"{self.section}: {self.role} {''.join(self.actions())}"

    def actions(self) -> frozenset[str]:
        return frozenset(
            action
            for action, allowed in (
                ("read", self.can_read),
                ("create", self.can_create),
                ("edit", self.can_edit),
                ("delete", self.can_delete),
            )
            if allowed
        )


class OperationRight(models.Model):
    """Yes or no for a role on a system operation; among a user's roles the rule of highest priority (lowest
    number) decides. Without a rule the default of ACCESS_DEFAULT_OPERATIONS applies; superusers may all."""

    operation = models.CharField(max_length=32, choices=OPERATIONS)
    role = models.ForeignKey(Role, on_delete=models.CASCADE, related_name="operation_rights")
    allowed = models.BooleanField(default=True)
    priority = models.PositiveIntegerField(default=100, help_text="Lower numbers win.")

    class Meta:
        ordering = ("operation", "priority", "id")
        constraints = [models.UniqueConstraint(fields=["operation", "role"], name="access_operation_right_unique")]

    def __str__(self) -> str:
        return f"{self.operation}: {self.role} {'yes' if self.allowed else 'no'} ({self.priority})"


class SectionAccess(models.Model):
    """Per-section switches: "use record rights"."""

    section = models.CharField(max_length=64, unique=True)
    use_record_rights = models.BooleanField(default=False)

    class Meta:
        verbose_name = "section access setting"

    def __str__(self) -> str:
        return f"{self.section}: record rights {'on' if self.use_record_rights else 'off'}"


class Level(models.IntegerChoices):
    """A record grant's level; each includes the ones below it."""

    READ = 1, "Read"
    EDIT = 2, "Edit"
    DELETE = 3, "Delete"


class DefaultGrantRule(models.Model):
    """ "Records created by members of `author_role` are granted to `grantee_role` at `level`" in a section.

    Applied live by the record's owner's roles (at creation the owner is normally the author; after a change of
    owner, the new owner's): "records of members of Sales are read by Sales"."""

    section = models.CharField(max_length=64)
    author_role = models.ForeignKey(Role, on_delete=models.CASCADE, related_name="+")
    grantee_role = models.ForeignKey(Role, on_delete=models.CASCADE, related_name="+")
    level = models.PositiveSmallIntegerField(choices=Level.choices, default=Level.READ)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ("section", "id")
        constraints = [
            models.UniqueConstraint(
                fields=["section", "author_role", "grantee_role"], name="access_default_grant_rule_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.section}: {self.author_role} → {self.grantee_role} ({self.get_level_display()})"


class RecordGrant(models.Model):
    """A record shared by hand with a user or a role at a level, with or without the right to share it on
    ("delegation permitted"). A delete grant with delegation is full rights: it may change the owner too.
    (Default grants are not stored: the rules are applied live from the owner's roles.)"""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.BigIntegerField()
    # indexed below, with the section's content type and the level
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="record_grants",
        db_index=False,
    )
    role = models.ForeignKey(
        Role, on_delete=models.CASCADE, null=True, blank=True, related_name="record_grants", db_index=False
    )
    level = models.PositiveSmallIntegerField(choices=Level.choices, default=Level.READ)
    #: Creatio's "Granted/Delegation permitted": the grantee may share the record on, up to this level
    can_delegate = models.BooleanField("delegation permitted", default=False)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(Q(user__isnull=False) & Q(role__isnull=True))
                | (Q(user__isnull=True) & Q(role__isnull=False)),
                name="access_grant_user_or_role",
            )
        ]
        indexes = [
            # `visible`: id IN (SELECT object_id ... WHERE content_type = ? AND level >= ? AND (role IN ... OR
            # user IN ...)), a bitmap OR of these two
            models.Index(fields=["role", "content_type", "level"], name="access_grant_role_idx"),
            models.Index(fields=["user", "content_type", "level"], name="access_grant_user_idx"),
            # a record's grants: its Access tab, sharing again, deleting the record
            models.Index(fields=["content_type", "object_id"], name="access_grant_record_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.content_type.model} #{self.object_id} → {self.user or self.role} ({self.get_level_display()})"


class ColumnRight(models.Model):
    """A field of a section hidden or read-only for a role. A user gets the most open level among the rules of
    their roles; a field without a rule for any of their roles is editable."""

    class Access(models.IntegerChoices):
        HIDDEN = 0, "Hidden"
        READ = 1, "Read only"
        EDIT = 2, "Read and edit"

    section = models.CharField(max_length=64)
    field_name = models.CharField(max_length=100)
    role = models.ForeignKey(Role, on_delete=models.CASCADE, related_name="column_rights")
    access = models.PositiveSmallIntegerField(choices=Access.choices, default=Access.HIDDEN)

    class Meta:
        ordering = ("section", "field_name", "role__name")
        constraints = [
            models.UniqueConstraint(fields=["section", "field_name", "role"], name="access_column_right_unique")
        ]

    def __str__(self) -> str:
        return f"{self.section}.{self.field_name}: {self.role} {self.get_access_display()}"


class DelegationQuerySet(models.QuerySet):
    def active(self, at=None):
        at = at or timezone.now()
        return self.filter(starts_at__lte=at, ends_at__gt=at, revoked_at__isnull=True)


class Delegation(models.Model):
    """`delegate` has `delegator`'s rights (roles and records) from `starts_at` until `ends_at`."""

    delegator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="delegations_given")
    delegate = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="delegations_received"
    )
    starts_at = models.DateTimeField(default=timezone.now)
    ends_at = models.DateTimeField()
    reason = models.CharField(max_length=250, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = DelegationQuerySet.as_manager()

    class Meta:
        ordering = ("-starts_at", "-id")
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")), name="access_delegation_ends_later"),
            models.CheckConstraint(
                condition=~Q(delegator=models.F("delegate")), name="access_delegation_not_to_oneself"
            ),
        ]
        indexes = [models.Index(fields=["delegate", "ends_at"], name="access_delegation_delegate_idx")]

    def __str__(self) -> str:
        return f"{self.delegator} → {self.delegate} until {self.ends_at:%Y-%m-%d %H:%M}"

    @property
    def is_active(self) -> bool:
        now = timezone.now()
        return self.revoked_at is None and self.starts_at <= now < self.ends_at


class AuditEntry(models.Model):
    """A system event: a change of roles or rights, a login, a failed login, a lock-out."""

    class Kind(models.TextChoices):
        LOGIN = "login", "Login"
        LOGOUT = "logout", "Logout"
        LOGIN_FAILED = "login_failed", "Failed login"
        THROTTLED = "throttled", "Login throttled"
        USER = "user", "User activated or deactivated"
        LOCKOUT = "lockout", "User locked out"
        ROLE = "role", "Role changed"
        MEMBERSHIP = "membership", "Membership changed"
        RIGHT = "right", "Right changed"
        GRANT = "grant", "Record shared"
        DELEGATION = "delegation", "Delegation changed"

    at = models.DateTimeField(default=timezone.now, db_index=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    #: kept when the user is deleted; for a failed login, the name that was typed
    actor_name = models.CharField(max_length=150, blank=True)
    summary = models.CharField(max_length=500)
    details = models.JSONField(default=dict, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        ordering = ("-at", "-id")
        verbose_name_plural = "audit entries"
        indexes = [models.Index(fields=["kind", "-at"], name="access_audit_kind_idx")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.get_kind_display()}: {self.summary}"


class UserSession(models.Model):
    """The sessions a user logged in with, so that a lock-out ends them at once whatever the session engine."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    session_key = models.CharField(max_length=40)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["user"], name="access_user_session_user_idx")]

    def __str__(self) -> str:
        return f"{self.user} session from {self.created_at:%Y-%m-%d %H:%M}"


class AccessState(models.Model):
    """One row: the version of the rules, bumped on every change, so cached snapshots are never stale."""

    version = models.CharField(max_length=32, default="initial")

    def __str__(self) -> str:
        return f"access rules version {self.version}"

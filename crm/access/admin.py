"""Django admin for every access model: for staff who are administrators (superusers or holders of "administer"),
as the access screens' ceiling would be bypassed here otherwise. Changes made here drop the cached rules (signals)
and are written to the audit log like those of the access screens."""

from django.contrib import admin

from . import audit
from .api import is_administrator
from .models import (
    AccessState,
    AuditEntry,
    ColumnRight,
    DefaultGrantRule,
    Delegation,
    Membership,
    ObjectRight,
    OperationRight,
    RecordGrant,
    Role,
    SectionAccess,
    UserSession,
)


class AdministratorsOnly:
    """Only administrators see or change the rules here: a staff user who merely manages users would give
    themselves any role or right."""

    def has_module_permission(self, request):
        return is_administrator(request.user) and super().has_module_permission(request)

    def has_view_permission(self, request, obj=None):
        return is_administrator(request.user) and super().has_view_permission(request, obj)

    def has_add_permission(self, request, *args):
        return is_administrator(request.user) and super().has_add_permission(request, *args)

    def has_change_permission(self, request, obj=None):
        return is_administrator(request.user) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return is_administrator(request.user) and super().has_delete_permission(request, obj)


class AuditedAdmin(AdministratorsOnly, admin.ModelAdmin):
    """Every save and delete made in the admin goes to the audit log."""

    audit_kind = AuditEntry.Kind.RIGHT

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        verb = "Changed" if change else "Added"
        audit.record(
            kind=self.audit_kind,
            actor=request.user,
            summary=f"{verb} {obj._meta.verbose_name} “{obj}” in the administration",
            details={"model": obj._meta.label, "pk": obj.pk},
            request=request,
        )

    def delete_model(self, request, obj):
        text = str(obj)
        super().delete_model(request, obj)
        audit.record(
            kind=self.audit_kind,
            actor=request.user,
            summary=f"Deleted {obj._meta.verbose_name} “{text}” in the administration",
            details={"model": obj._meta.label},
            request=request,
        )

    def delete_queryset(self, request, queryset):
        texts = [str(obj) for obj in queryset]
        for obj in queryset:
            obj.delete()  # one by one, so that the cached rules are dropped by the delete signals
        audit.record(
            kind=self.audit_kind,
            actor=request.user,
            summary=f"Deleted {len(texts)} {queryset.model._meta.verbose_name_plural} in the administration",
            details={"model": queryset.model._meta.label, "deleted": texts[:100]},
            request=request,
        )


class MembershipInline(AdministratorsOnly, admin.TabularInline):
    model = Membership
    extra = 0
    raw_id_fields = ("user",)


@admin.register(Role)
class RoleAdmin(AuditedAdmin):
    audit_kind = AuditEntry.Kind.ROLE
    list_display = ("name", "kind", "parent")
    list_filter = ("kind",)
    search_fields = ("name",)
    filter_horizontal = ("linked_roles",)
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(AuditedAdmin):
    audit_kind = AuditEntry.Kind.MEMBERSHIP
    list_display = ("user", "role", "created_at")
    list_filter = ("role",)
    search_fields = ("user__username", "role__name")
    raw_id_fields = ("user",)


@admin.register(ObjectRight)
class ObjectRightAdmin(AuditedAdmin):
    list_display = ("section", "role", "can_read", "can_create", "can_edit", "can_delete")
    list_filter = ("section",)


@admin.register(OperationRight)
class OperationRightAdmin(AuditedAdmin):
    list_display = ("operation", "role", "allowed", "priority")
    list_filter = ("operation",)


@admin.register(SectionAccess)
class SectionAccessAdmin(AuditedAdmin):
    list_display = ("section", "use_record_rights")


@admin.register(DefaultGrantRule)
class DefaultGrantRuleAdmin(AuditedAdmin):
    list_display = ("section", "author_role", "grantee_role", "level")
    list_filter = ("section",)


@admin.register(ColumnRight)
class ColumnRightAdmin(AuditedAdmin):
    list_display = ("section", "field_name", "role", "access")
    list_filter = ("section",)


@admin.register(Delegation)
class DelegationAdmin(AuditedAdmin):
    audit_kind = AuditEntry.Kind.DELEGATION
    list_display = ("delegator", "delegate", "starts_at", "ends_at", "revoked_at")
    raw_id_fields = ("delegator", "delegate", "created_by")


@admin.register(RecordGrant)
class RecordGrantAdmin(AuditedAdmin):
    audit_kind = AuditEntry.Kind.GRANT
    list_display = ("content_type", "object_id", "user", "role", "level", "granted_by", "created_at")
    list_filter = ("content_type", "level")
    raw_id_fields = ("user", "granted_by")
    show_full_result_count = False


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ("at", "kind", "actor", "actor_name", "summary", "ip_address")
    list_filter = ("kind",)
    search_fields = ("summary", "actor_name")
    date_hierarchy = "at"
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(UserSession)
class UserSessionAdmin(ReadOnlyAdmin):
    list_display = ("user", "created_at")
    raw_id_fields = ("user",)


@admin.register(AccessState)
class AccessStateAdmin(ReadOnlyAdmin):
    list_display = ("version",)

    def has_delete_permission(self, request, obj=None):
        return False

"""Admin of approval routes (with their steps inline) and a read-only view of requests."""

from django.contrib import admin

from .models import Approval, ApprovalDecision, ApprovalRoute, ApprovalRouteStep


class ApprovalRouteStepInline(admin.TabularInline):
    model = ApprovalRouteStep
    extra = 1
    autocomplete_fields = ("approver_user", "approver_role")


@admin.register(ApprovalRoute)
class ApprovalRouteAdmin(admin.ModelAdmin):
    list_display = ("name", "section", "min_amount", "is_active")
    list_filter = ("section", "is_active")
    search_fields = ("name", "section")
    inlines = (ApprovalRouteStepInline,)


class ApprovalDecisionInline(admin.TabularInline):
    model = ApprovalDecision
    extra = 0
    can_delete = False
    readonly_fields = ("position", "decided_by", "decision", "comment", "at", "delegated_to")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Approval)
class ApprovalAdmin(admin.ModelAdmin):
    """Requests change only through the services (the decisions are the audit trail): read-only here."""

    list_display = ("__str__", "route", "status", "requested_by", "requested_at", "finished_at")
    list_filter = ("status", "route")
    inlines = (ApprovalDecisionInline,)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

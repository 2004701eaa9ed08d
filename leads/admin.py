from django.contrib import admin
from import_export.admin import ImportExportModelAdmin

from crm.core.admin import LookupAdmin, RecordAdmin

from .models import (
    DisqualificationReason,
    DistributionRule,
    Lead,
    LeadChannel,
    LeadProduct,
    LeadSource,
    LeadSourceDomain,
    LeadStageHistory,
    WebForm,
)

admin.site.register(DisqualificationReason, LookupAdmin)


@admin.register(LeadChannel)
class LeadChannelAdmin(LookupAdmin):
    list_display = ("name", "code", "position", "is_active")


class LeadSourceDomainInline(admin.TabularInline):
    model = LeadSourceDomain
    extra = 0


@admin.register(LeadSource)
class LeadSourceAdmin(LookupAdmin):
    list_display = ("name", "code", "channel", "special", "position", "is_active")
    list_filter = ("channel", "is_active")
    inlines = (LeadSourceDomainInline,)


@admin.register(LeadSourceDomain)
class LeadSourceDomainAdmin(admin.ModelAdmin):
    list_display = ("domain", "source")
    list_select_related = ("source",)
    search_fields = ("domain", "source__name")


@admin.register(WebForm)
class WebFormAdmin(admin.ModelAdmin):
    list_display = ("name", "owner", "division", "create_contact", "is_active", "created_at")
    list_filter = ("is_active", "create_contact")
    list_select_related = ("owner", "division")
    raw_id_fields = ("owner",)
    readonly_fields = ("created_at",)
    search_fields = ("name",)


@admin.register(DistributionRule)
class DistributionRuleAdmin(admin.ModelAdmin):
    list_display = ("division", "last_assigned", "is_active")
    list_select_related = ("division", "last_assigned")
    raw_id_fields = ("last_assigned",)


class LeadProductInline(admin.TabularInline):
    model = LeadProduct
    extra = 0
    readonly_fields = ("subtotal", "discount_amount", "tax_amount", "total")
    raw_id_fields = ("product",)


class LeadStageHistoryInline(admin.TabularInline):
    model = LeadStageHistory
    extra = 0
    readonly_fields = ("stage", "started_at", "ended_at", "moved_by")
    can_delete = False


@admin.register(Lead)
class LeadAdmin(ImportExportModelAdmin, RecordAdmin):
    list_display = ("need", "contact_name", "account_name", "stage", "maturity", "source", "channel", "owner")
    list_filter = ("stage", "maturity", "source", "channel", "need_type")
    search_fields = ("need", "contact_name", "account_name", "email", "mobile_phone")
    list_select_related = ("owner", "source", "channel")
    raw_id_fields = ("owner", "contact", "account")
    readonly_fields = (*RecordAdmin.readonly_fields, "registration_info", "opportunity", "web_form")
    inlines = (LeadProductInline, LeadStageHistoryInline)


@admin.register(LeadStageHistory)
class LeadStageHistoryAdmin(admin.ModelAdmin):
    list_display = ("lead", "stage", "started_at", "ended_at", "moved_by")
    list_filter = ("stage",)
    raw_id_fields = ("lead",)
    list_select_related = ("lead", "moved_by")


@admin.register(LeadProduct)
class LeadProductAdmin(admin.ModelAdmin):
    list_display = ("lead", "product", "quantity", "unit", "price", "total")
    raw_id_fields = ("lead", "product")
    list_select_related = ("lead", "product", "unit")

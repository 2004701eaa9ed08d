from django.contrib import admin
from import_export.admin import ImportExportModelAdmin

from crm.core.admin import LookupAdmin, RecordAdmin

from .models import (
    Competitor,
    ContactRole,
    Mood,
    NeedType,
    Opportunity,
    OpportunityContact,
    OpportunityProduct,
    OpportunityStage,
    StageHistory,
)

admin.site.register(NeedType, LookupAdmin)


@admin.register(Mood)
class MoodAdmin(LookupAdmin):
    list_display = ("name", "emoji", "position", "is_active")


@admin.register(ContactRole)
class ContactRoleAdmin(LookupAdmin):
    list_display = ("name", "is_decision_maker", "position", "is_active")


@admin.register(OpportunityStage)
class OpportunityStageAdmin(LookupAdmin):
    list_display = (
        "name",
        "code",
        "position",
        "max_probability",
        "planning_days",
        "is_final",
        "is_successful",
        "show_in_funnel",
        "show_in_progress_bar",
        "is_active",
    )
    list_editable = ("position", "max_probability", "planning_days", "show_in_funnel", "show_in_progress_bar")


class OpportunityProductInline(admin.TabularInline):
    model = OpportunityProduct
    extra = 0
    readonly_fields = ("subtotal", "discount_amount", "tax_amount", "total")
    raw_id_fields = ("product",)


class OpportunityContactInline(admin.TabularInline):
    model = OpportunityContact
    extra = 0
    raw_id_fields = ("contact",)


class CompetitorInline(admin.TabularInline):
    model = Competitor
    extra = 0
    raw_id_fields = ("account",)


class StageHistoryInline(admin.TabularInline):
    model = StageHistory
    extra = 0
    readonly_fields = ("stage", "started_at", "ended_at", "moved_by")
    can_delete = False


@admin.register(Opportunity)
class OpportunityAdmin(ImportExportModelAdmin, RecordAdmin):
    list_display = ("name", "account", "contact", "stage", "amount", "currency", "probability", "close_date", "owner")
    list_filter = ("stage", "need_type", "customer_kind")
    search_fields = ("name", "account__name", "contact__full_name")
    list_select_related = ("owner", "account", "contact", "stage", "currency")
    raw_id_fields = ("account", "contact")
    readonly_fields = (*RecordAdmin.readonly_fields, "amount", "amount_base", "closed_on", "stage_started_at")
    inlines = [OpportunityProductInline, OpportunityContactInline, CompetitorInline, StageHistoryInline]

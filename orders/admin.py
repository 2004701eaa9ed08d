from django.contrib import admin

from crm.core.admin import LookupAdmin, RecordAdmin

from .models import Order, OrderProduct, PlanStep, PlanTemplate, PlanTemplateStep

DERIVED = ("subtotal", "discount_amount", "tax_amount", "total")


class OrderProductInline(admin.TabularInline):
    model = OrderProduct
    extra = 0
    readonly_fields = DERIVED
    raw_id_fields = ("product",)


class PlanStepInline(admin.TabularInline):
    model = PlanStep
    extra = 0
    readonly_fields = ("due_date", "expected_amount", "actual_amount")


@admin.register(Order)
class OrderAdmin(RecordAdmin):
    list_display = ("number", "date", "account", "contact", "status", "payment_status", "amount", "currency", "owner")
    list_filter = ("status", "payment_status", "delivery_status")
    search_fields = ("number", "account__name", "contact__full_name", "customer_reference")
    list_select_related = ("owner", "account", "contact", "currency")
    raw_id_fields = ("owner", "account", "contact", "opportunity")
    readonly_fields = (
        *RecordAdmin.readonly_fields,
        "number",
        "payment_status",
        "delivery_status",
        "amount",
        "discount_amount",
        "tax_amount",
        "amount_base",
        "paid_amount",
    )
    inlines = [OrderProductInline, PlanStepInline]


class PlanTemplateStepInline(admin.TabularInline):
    model = PlanTemplateStep
    extra = 0


@admin.register(PlanTemplate)
class PlanTemplateAdmin(LookupAdmin):
    inlines = [PlanTemplateStepInline]

from django.contrib import admin

from crm.core.admin import RecordAdmin

from .models import Contract, ContractProduct


class ContractProductInline(admin.TabularInline):
    model = ContractProduct
    extra = 0
    raw_id_fields = ("product",)
    readonly_fields = ("subtotal", "discount_amount", "tax_amount", "total")


@admin.register(Contract)
class ContractAdmin(RecordAdmin):
    list_display = ("number", "type", "status", "account", "amount", "currency", "start_date", "end_date", "owner")
    list_filter = ("status", "type", "validity")
    search_fields = ("number", "account__name")
    list_select_related = ("owner", "account", "currency")
    raw_id_fields = (
        "owner",
        "account",
        "contact",
        "our_company",
        "account_banking_details",
        "our_banking_details",
        "opportunity",
        "parent",
    )
    readonly_fields = (*RecordAdmin.readonly_fields, "validity", "reminded_at")
    inlines = (ContractProductInline,)

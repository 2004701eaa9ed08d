from django.contrib import admin

from crm.core.admin import RecordAdmin

from .models import Invoice, InvoiceProduct, Payment


class InvoiceProductInline(admin.TabularInline):
    model = InvoiceProduct
    extra = 0
    readonly_fields = ("subtotal", "discount_amount", "tax_amount", "total")
    raw_id_fields = ("product",)


class PaymentInline(admin.TabularInline):
    """Read-only here: payments are registered on the invoice's page, where the statuses follow them."""

    model = Payment
    extra = 0
    readonly_fields = ("date", "amount", "reference")
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Invoice)
class InvoiceAdmin(RecordAdmin):
    list_display = ("number", "date", "account", "order", "status", "amount", "paid_amount", "due_date", "owner")
    list_filter = ("status",)
    search_fields = ("number", "subject", "account__name", "customer_reference")
    list_select_related = ("owner", "account", "order", "currency")
    raw_id_fields = ("owner", "account", "contact", "order", "plan_step", "supplier")
    readonly_fields = (
        *RecordAdmin.readonly_fields,
        "number",
        "status",
        "amount",
        "discount_amount",
        "tax_amount",
        "amount_base",
        "paid_amount",
        "overdue_since",
    )
    inlines = [InvoiceProductInline, PaymentInline]

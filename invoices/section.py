"""The Invoices section's declaration."""

from crm.sections.details import DetailTab, profile_card
from crm.sections.registry import Section, register
from products.details import LINE_AMOUNTS

from . import details, panels, services
from .models import Invoice

section = register(
    Section(
        name="invoices",
        model=Invoice,
        title="Invoices",
        title_singular="invoice",
        icon="bi-receipt",
        position=65,
        list_columns=(
            "number",
            "date",
            "account",
            "order",
            "status",
            "amount",
            "paid_amount",
            "currency",
            "due_date",
            "customer_reference",
            "owner",
        ),
        default_sort="-created_at",
        search_fields=("number", "subject", "account__name", "contact__full_name", "customer_reference"),
        filter_fields=("status", "owner", "account", "contact", "order", "date", "due_date", "overdue_since"),
        form_fields=(
            "date",
            "subject",
            "order",
            "contract",
            "account",
            "contact",
            "customer_details",
            "supplier",
            "supplier_details",
            "status",
            "due_date",
            "owner",
            "currency",
            "customer_reference",
            "comment",
        ),
        detail_fields=(
            ("Invoice", ("number", "date", "subject", "order", "plan_step", "contract", "status", "owner")),
            ("Customer", ("account", "contact", "customer_details", "customer_reference")),
            ("Supplier", ("supplier", "supplier_details")),
            (
                "Amounts",
                ("amount", "discount_amount", "tax_amount", "currency", "amount_base", "paid_amount"),
            ),
            ("Payment", ("due_date", "overdue_since", "comment")),
        ),
        number_field="number",
        number_sequence="invoices",
        detail_tabs=(
            DetailTab("products", "Products", (details.PRODUCTS,)),
            DetailTab("payments", "Payments", (details.PAYMENTS,)),
        ),
        panels=(panels.status_bar(),),
        cards=(
            profile_card("account", ("type", "phone", "web", "city")),
            profile_card("order", ("status", "payment_status", "amount")),
        ),
        after_save=services.invoice_saved,
        record_actions=(("invoices:select_products", "Add products"),),
        import_columns=("date", "account", "contact", "status", "due_date", "customer_reference", "owner"),
        # the lines make the amount; the taxes and the payments ("Paid 0.00 of 1,245.00") are parts of it
        derived_values={
            "amount": (
                "amount_base",
                "discount_amount",
                "tax_amount",
                "paid_amount",
                *LINE_AMOUNTS,
                "payments.amount",
                "paid",
                "remaining",
            ),
        },
        analytics_fields=("status", "owner", "date", "due_date", "created_at"),
    )
)

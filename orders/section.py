"""The Orders section's declaration."""

from crm.sections.details import DetailTab, profile_card
from crm.sections.registry import Section, register
from products.details import LINE_AMOUNTS

from . import details, panels, services
from .models import Order

section = register(
    Section(
        name="orders",
        model=Order,
        title="Orders",
        title_singular="order",
        icon="bi-cart-check",
        position=60,
        list_columns=(
            "number",
            "date",
            "account",
            "contact",
            "status",
            "payment_status",
            "delivery_status",
            "amount",
            "currency",
            "customer_reference",
            "owner",
        ),
        default_sort="-created_at",
        search_fields=("number", "account__name", "contact__full_name", "customer_reference"),
        filter_fields=("status", "payment_status", "delivery_status", "owner", "account", "contact", "date"),
        form_fields=(
            "date",
            "account",
            "contact",
            "opportunity",
            "status",
            "owner",
            "currency",
            "customer_reference",
            "delivery_address",
            "comment",
        ),
        detail_fields=(
            ("Order", ("number", "date", "account", "contact", "opportunity", "status", "owner")),
            (
                "Amounts",
                ("amount", "discount_amount", "tax_amount", "currency", "amount_base", "paid_amount"),
            ),
            ("Payment and delivery", ("payment_status", "delivery_status", "delivery_address")),
            ("More", ("customer_reference", "comment")),
        ),
        number_field="number",
        number_sequence="orders",
        detail_tabs=(
            DetailTab("products", "Products", (details.PRODUCTS,)),
            DetailTab("plan", "Payment and delivery", (details.INSTALLMENT_PLAN,)),
        ),
        panels=(panels.status_bar(), panels.plan_panel()),
        cards=(
            profile_card("account", ("type", "phone", "web", "city")),
            profile_card("contact", ("job_title", "mobile_phone", "email")),
        ),
        after_save=services.order_saved,
        record_actions=(
            ("orders:select_products", "Add products"),
            ("invoices:from_order", "Create invoice"),
            ("contracts:from_order", "Create contract"),
        ),
        import_columns=("date", "account", "contact", "status", "customer_reference", "owner"),
        # the lines make the amount; the taxes, the payments and the plan's amounts are parts of it
        derived_values={
            "amount": (
                "amount_base",
                "discount_amount",
                "tax_amount",
                "paid_amount",
                *LINE_AMOUNTS,
                "plan.expected_amount",
                "plan.actual_amount",
            ),
        },
        analytics_fields=("status", "payment_status", "delivery_status", "owner", "date", "created_at"),
    )
)

"""The Contracts section's declaration."""

from crm.sections.details import DetailTab, profile_card
from crm.sections.registry import Section, Tab, register
from products.details import LINE_AMOUNTS

from . import details, panels, services
from .forms import ContractForm
from .models import Contract

section = register(
    Section(
        name="contracts",
        model=Contract,
        title="Contracts",
        title_singular="contract",
        icon="bi-file-earmark-text",
        position=60,
        list_columns=(
            "number",
            "type",
            "status",
            "account",
            "amount",
            "currency",
            "start_date",
            "end_date",
            "validity",
            "owner",
        ),
        default_sort="-created_at",
        search_fields=("number", "account__name"),
        filter_fields=(
            "validity",
            "status",
            "type",
            "owner",
            "account",
            "our_company",
            "opportunity",
            "start_date",
            "end_date",
            "created_at",
        ),
        form_fields=(
            "type",
            "status",
            "owner",
            "account",
            "account_banking_details",
            "contact",
            "our_company",
            "our_banking_details",
            "start_date",
            "end_date",
            "signed_on",
            "reminder_days",
            "amount",
            "currency",
            "opportunity",
            "order",
            "parent",
            "description",
        ),
        detail_fields=(
            ("Contract", ("number", "type", "status", "validity", "owner", "start_date", "end_date", "signed_on")),
            (
                "Parties",
                ("account", "account_banking_details", "contact", "our_company", "our_banking_details"),
            ),
            ("Amount", ("amount", "currency")),
            ("Connected to", ("opportunity", "order", "parent")),
            ("More", ("reminder_days", "reminded_at", "description")),
        ),
        form_class=ContractForm,
        number_field="number",
        number_sequence="contract",
        tabs=(
            Tab(
                "subordinates",
                "Subordinate contracts",
                "contracts.Contract",
                "parent",
                columns=("number", "type", "status", "start_date", "end_date", "amount"),
            ),
        ),
        detail_tabs=(DetailTab("products", "Contract details", (details.PRODUCTS,)),),
        panels=(panels.status_bar(),),
        cards=(
            profile_card("account", ("phone", "web", "city")),
            profile_card("contact", ("job_title", "mobile_phone", "email")),
        ),
        after_save=services.contract_saved,
        record_actions=(("contracts:select_products", "Add products"),),
        import_columns=("type", "status", "account", "start_date", "end_date", "amount", "currency", "owner"),
        derived_values={"amount": LINE_AMOUNTS},
        analytics_fields=("status", "type", "owner", "validity", "start_date", "end_date", "created_at"),
        duplicate_keys=("number",),
    )
)

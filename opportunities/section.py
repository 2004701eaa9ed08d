"""The Opportunities section's declaration."""

from activities.processes import action_panel
from crm.sections.details import DetailTab, profile_card
from crm.sections.registry import Section, register
from products.details import LINE_AMOUNTS

from . import details, panels, process, services
from .models import Opportunity

section = register(
    Section(
        name="opportunities",
        model=Opportunity,
        title="Opportunities",
        title_singular="opportunity",
        icon="bi-graph-up-arrow",
        position=50,
        list_columns=(
            "name",
            "account",
            "contact",
            "stage",
            "amount",
            "currency",
            "probability",
            "close_date",
            "owner",
            "created_at",
        ),
        default_sort="-created_at",
        search_fields=("name", "account__name", "contact__full_name"),
        filter_fields=(
            "stage",
            "owner",
            "need_type",
            "division",
            "account",
            "contact",
            "close_date",
            "created_at",
            "mood",
            "customer_kind",
        ),
        form_fields=(
            "name",
            "account",
            "contact",
            "stage",
            "need_type",
            "customer_kind",
            "owner",
            "division",
            "probability",
            "currency",
            "budget",
            "close_date",
            "mood",
            "bant_budget",
            "bant_need",
            "bant_timeframe",
            "description",
        ),
        detail_fields=(
            ("Opportunity", ("name", "account", "contact", "stage", "need_type", "owner", "division", "mood")),
            (
                "Amounts and dates",
                ("amount", "currency", "amount_base", "probability", "budget", "close_date", "closed_on"),
            ),
            ("BANT", ("budget", "bant_budget", "bant_need", "bant_timeframe")),
            ("More", ("customer_kind", "description")),
        ),
        detail_tabs=(
            DetailTab("products", "Products", (details.PRODUCTS,)),
            DetailTab("people", "Contacts and competitors", (details.CONTACTS, details.COMPETITORS)),
            DetailTab("history", "Stages", (details.STAGES,)),
        ),
        panels=(panels.stage_bar(), action_panel()),
        cards=(
            panels.funnel_card(),
            profile_card("account", ("type", "phone", "web", "city")),
            profile_card("contact", ("job_title", "mobile_phone", "email")),
        ),
        after_save=services.opportunity_saved,
        record_actions=(("opportunities:select_products", "Add products"), ("orders:from_opportunity", "Create order")),
        views=(
            ("opportunities:kanban", "Pipeline", "bi-kanban"),
            ("opportunities:analytics", "Analytics", "bi-bar-chart"),
        ),
        import_columns=("name", "account", "contact", "stage", "need_type", "budget", "close_date", "owner"),
        # a deal from another system comes with the amount and the date it had there; `opportunities_imported`
        # writes what the process would have (closed on, the stage history, the amount in the base currency)
        import_derived_fields=("amount", "created_at"),
        import_value_aliases={"stage": process.stage_aliases()},
        after_import=services.opportunities_imported,
        # the lines make the amount; the pipeline's cards, column sums and analytics add it up
        derived_values={
            "amount": ("amount_base", *LINE_AMOUNTS, "weighted_amount", "kanban.amount", "analytics.amount"),
        },
        analytics_fields=("stage", "owner", "need_type", "division", "close_date", "created_at"),
        duplicate_keys=("name",),
    )
)

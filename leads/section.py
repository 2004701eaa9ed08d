"""The Leads section's declaration."""

from activities.processes import action_panel
from crm.sections.details import DetailTab, profile_card
from crm.sections.registry import RecordTab, Section, register, register_record_tab

from . import details, panels, services
from .models import Lead

section = register(
    Section(
        name="leads",
        model=Lead,
        title="Leads",
        title_singular="lead",
        icon="bi-funnel",
        position=45,
        list_columns=(
            "need",
            "contact_name",
            "account_name",
            "stage",
            "maturity",
            "source",
            "channel",
            "owner",
            "created_at",
        ),
        default_sort="-created_at",
        search_fields=("need", "contact_name", "account_name", "email", "mobile_phone"),
        filter_fields=(
            "stage",
            "maturity",
            "need_type",
            "source",
            "channel",
            "owner",
            "division",
            "created_at",
            "decision_date",
        ),
        form_fields=(
            "need",
            "need_type",
            "contact_name",
            "account_name",
            "job_title",
            "email",
            "mobile_phone",
            "business_phone",
            "web",
            "country",
            "city",
            "contact",
            "account",
            "owner",
            "division",
            "maturity",
            "budget",
            "decision_date",
            "meeting_at",
            "channel",
            "source",
            "referrer",
            "landing",
            "utm_source",
            "utm_medium",
            "utm_campaign",
            "utm_term",
            "utm_content",
            "description",
        ),
        detail_fields=(
            ("Lead", ("need", "need_type", "stage", "maturity", "owner", "division", "disqualification_reason")),
            (
                "Customer",
                ("contact_name", "account_name", "job_title", "email", "mobile_phone", "business_phone", "web"),
            ),
            ("Customer need details", ("budget", "decision_date", "meeting_at", "opportunity", "description")),
            (
                "Lead engagement",
                ("channel", "source", "referrer", "landing", "utm_source", "utm_medium", "utm_campaign", "gclid"),
            ),
        ),
        detail_tabs=(
            DetailTab("products", "Products", (details.PRODUCTS,)),
            DetailTab("stages", "Stages", (details.STAGES,)),
        ),
        panels=(panels.stage_bar(), action_panel()),
        cards=(
            profile_card("contact", ("job_title", "mobile_phone", "email"), title="Contact profile"),
            profile_card("account", ("type", "phone", "web", "city"), title="Account profile"),
            panels.opportunity_card(),
            panels.registration_card(),
        ),
        after_save=services.lead_saved,
        record_actions=(
            ("leads:qualify", "Qualify"),
            ("leads:distribute", "Distribute"),
            ("leads:select_products", "Add products"),
        ),
        record_action_rules={
            "leads:qualify": services.may_qualify,
            "leads:distribute": services.may_distribute,
        },
        extra_actions=(("leads:quick", "Quick entry"),),
        views=(("leads:analytics", "Analytics", "bi-bar-chart"),),
        import_keys=("email",),
        import_columns=("need", "contact_name", "account_name", "email", "mobile_phone", "need_type", "owner"),
        analytics_fields=("stage", "maturity", "source", "channel", "owner", "need_type", "created_at"),
        duplicate_keys=("email", "mobile_phone"),
    )
)


def _similar_leads_tab(request, section, record):
    from .views import similar_leads

    return similar_leads(request, section, record)


register_record_tab(
    RecordTab("similar_leads", "Similar leads", _similar_leads_tab, position=40, applies_to=lambda s: s.name == "leads")
)

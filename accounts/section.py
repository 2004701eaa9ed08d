"""The Accounts section's declaration."""

from crm.imports.details import AddressColumns, CombinedExtras, CommunicationColumns
from crm.sections.details import DetailTab, completeness_card, profile_card
from crm.sections.registry import Section, Tab, register

from . import details, services
from .models import Account, AccountCompletenessWeight

section = register(
    Section(
        name="accounts",
        model=Account,
        title="Accounts",
        title_singular="account",
        icon="bi-building",
        position=10,
        list_columns=("name", "code", "type", "category", "industry", "phone", "city", "owner", "created_at"),
        default_sort="name",
        search_fields=("name", "code", "also_known_as", "phone", "email", "web"),
        filter_fields=(
            "type",
            "category",
            "industry",
            "owner",
            "city",
            "country",
            "created_at",
            "modified_at",
        ),
        form_fields=(
            "name",
            "logo",
            "type",
            "category",
            "industry",
            "owner",
            "web",
            "phone",
            "email",
            "city",
            "country",
            "also_known_as",
            "primary_contact",
            "parent",
            "employees",
            "business_entity",
            "annual_revenue",
            "price_list",
            "notes",
        ),
        detail_fields=(
            ("Profile", ("logo", "name", "code", "type", "category", "industry", "owner", "primary_contact")),
            ("Communication", ("web", "phone", "email", "city", "country")),
            ("Categorisation", ("employees", "business_entity", "annual_revenue")),
            ("More", ("also_known_as", "parent", "price_list", "notes")),
        ),
        detail_tabs=(
            DetailTab(
                "general",
                "General information",
                (details.COMMUNICATION_OPTIONS, details.ADDRESSES, details.BANKING_DETAILS, details.NOTEWORTHY_EVENTS),
            ),
            DetailTab("structure", "Organisation structure", (details.ORGANISATION_STRUCTURE,)),
            DetailTab("connections", "Connected to", (details.RELATIONSHIPS,)),
        ),
        cards=(
            completeness_card(AccountCompletenessWeight),
            profile_card("primary_contact", ("job_title", "business_phone", "mobile_phone", "email")),
        ),
        after_save=services.account_saved,
        after_import=services.accounts_imported,
        import_extras=CombinedExtras(
            AddressColumns("accounts.AccountAddress"),
            CommunicationColumns("accounts.AccountCommunication", mirrors=services.MIRRORS),
        ),
        tabs=(
            Tab(
                "contacts",
                "Contacts",
                "contacts.Contact",
                "account",
                ("full_name", "job_title", "email", "mobile_phone"),
            ),
            Tab("subsidiaries", "Subsidiaries", "accounts.Account", "parent", ("name", "code", "type", "city")),
        ),
        number_field="code",
        number_sequence="account",
        duplicate_keys=("name", "web", "phone", "email"),
        import_keys=("name",),
        import_creatable_by_name="name",
        import_columns=("name", "type", "category", "industry", "web", "phone", "email", "city", "country"),
        analytics_fields=("type", "category", "industry", "owner", "created_at"),
    )
)

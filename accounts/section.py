"""The Accounts section's declaration."""

from crm.sections.registry import Section, Tab, register

from .models import Account

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
            "notes",
        ),
        detail_fields=(
            ("Profile", ("name", "code", "type", "category", "industry", "owner", "primary_contact")),
            ("Communication", ("web", "phone", "email", "city", "country")),
            ("More", ("also_known_as", "parent", "notes")),
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
        import_columns=("name", "type", "category", "industry", "web", "phone", "email", "city", "country"),
        analytics_fields=("type", "category", "industry", "owner", "created_at"),
    )
)

"""The Contacts section's declaration."""

from crm.sections.registry import Section, register

from .models import Contact

section = register(
    Section(
        name="contacts",
        model=Contact,
        title="Contacts",
        title_singular="contact",
        icon="bi-person-lines-fill",
        position=20,
        list_columns=(
            "full_name",
            "account",
            "job_title",
            "email",
            "mobile_phone",
            "type",
            "owner",
            "created_at",
        ),
        default_sort="full_name",
        search_fields=("full_name", "email", "mobile_phone", "business_phone", "account__name"),
        filter_fields=("type", "account", "gender", "owner", "job_title", "birth_date", "created_at"),
        form_fields=(
            "given_name",
            "middle_name",
            "surname",
            "full_name",
            "type",
            "account",
            "job_title",
            "department",
            "email",
            "mobile_phone",
            "business_phone",
            "gender",
            "birth_date",
            "owner",
            "notes",
        ),
        detail_fields=(
            ("Profile", ("full_name", "type", "account", "job_title", "department", "owner")),
            ("Communication", ("email", "mobile_phone", "business_phone")),
            ("Personal", ("given_name", "middle_name", "surname", "gender", "birth_date", "notes")),
        ),
        duplicate_keys=("full_name", "email", "mobile_phone", "business_phone"),
        import_columns=(
            "given_name",
            "surname",
            "full_name",
            "account",
            "job_title",
            "email",
            "mobile_phone",
        ),
        analytics_fields=("type", "account", "owner", "created_at"),
    )
)

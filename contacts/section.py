"""The Contacts section's declaration."""

from crm.imports.details import AddressColumns, CombinedExtras, CommunicationColumns, DayMonthColumn, PhotoColumn
from crm.sections.details import Card, DetailTab, completeness_card, profile_card
from crm.sections.registry import Section, register

from . import details, selectors, services
from .models import Contact, ContactCompletenessWeight

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
        filter_fields=(
            "type",
            "account",
            "gender",
            "owner",
            "job_title",
            "birth_date",
            "do_not_use_email",
            "do_not_use_phone",
            "created_at",
        ),
        form_fields=(
            "salutation",
            "given_name",
            "middle_name",
            "surname",
            "full_name",
            "type",
            "account",
            "job_title",
            "department",
            "decision_role",
            "email",
            "mobile_phone",
            "business_phone",
            "gender",
            "birth_date",
            "language",
            "owner",
            "user",
            "notes",
        ),
        detail_fields=(
            (
                "Profile",
                ("full_name", "type", "account", "job_title", "department", "decision_role", "owner", "user"),
            ),
            ("Communication", ("email", "mobile_phone", "business_phone")),
            ("Communication channels", ("do_not_use_email", "do_not_use_phone", "do_not_use_sms", "do_not_use_mail")),
            (
                "Personal",
                ("salutation", "given_name", "middle_name", "surname", "gender", "birth_date", "language", "notes"),
            ),
        ),
        detail_tabs=(
            DetailTab(
                "general",
                "General information",
                (details.COMMUNICATION_OPTIONS, details.ADDRESSES, details.NOTEWORTHY_EVENTS),
            ),
            DetailTab("career", "Job experience", (details.CAREER,)),
            DetailTab("connections", "Connected to", (details.RELATIONSHIPS,)),
        ),
        cards=(
            completeness_card(ContactCompletenessWeight),
            Card("contacts/_contact_age_card.html", selectors.age_card),
            profile_card("account", ("type", "phone", "web", "city", "owner")),
        ),
        record_actions=(("contacts:vcard", "vCard", "export"),),
        bulk_actions=(("contacts:vcard_export", "Export vCards", "export"),),
        extra_actions=(("contacts:vcard_import", "Import vCards"),),
        after_save=services.contact_saved,
        after_import=services.contacts_imported,
        import_complete=services.complete_imported_row,
        import_extras=CombinedExtras(
            AddressColumns("contacts.ContactAddress"),
            CommunicationColumns("contacts.ContactCommunication", mirrors=services.MIRRORS),
            PhotoColumn(),
            DayMonthColumn(
                name="birthday_day_month",
                label="Birthday (day and month)",
                event_model="contacts.ContactEvent",
                owner="contact",
                event_type="Birthday",
                date_field="birth_date",
            ),
        ),
        duplicate_keys=("full_name", "email", "mobile_phone", "business_phone"),
        import_keys=("email",),
        import_columns=(
            "given_name",
            "surname",
            "full_name",
            "account",
            "job_title",
            "email",
            "mobile_phone",
        ),
        # the age card and the birthday among the noteworthy events tell the birthdate
        derived_values={"birth_date": ("age", "noteworthy_events.date")},
        analytics_fields=("type", "account", "owner", "created_at"),
    )
)

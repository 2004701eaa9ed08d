"""The Documents section's declaration."""

from crm.sections.details import Card, DetailTab, profile_card
from crm.sections.registry import Section, register

from . import details
from .forms import DocumentForm
from .models import Document


def _latest_file(user, record: Document) -> dict | None:
    latest = record.latest_file
    return None if latest is None else {"file": latest, "versions": record.files.count()}


section = register(
    Section(
        name="documents",
        model=Document,
        title="Documents",
        title_singular="document",
        icon="bi-file-earmark",
        position=65,
        list_columns=("number", "subject", "type", "status", "date", "account", "contact", "owner"),
        default_sort="-created_at",
        search_fields=("number", "subject", "account__name"),
        filter_fields=("type", "status", "owner", "account", "contact", "date", "created_at"),
        form_fields=("subject", "type", "status", "date", "owner", "account", "contact", "description"),
        detail_fields=(
            ("Document", ("number", "subject", "type", "status", "date", "owner")),
            ("General information", ("account", "contact", "description")),
        ),
        form_class=DocumentForm,
        number_field="number",
        number_sequence="document",
        detail_tabs=(DetailTab("connections", "Connected to", (details.LINKS, details.RELATED)),),
        cards=(
            Card("documents/_latest_file_card.html", _latest_file),
            profile_card("account", ("phone", "web", "city")),
            profile_card("contact", ("job_title", "mobile_phone", "email")),
        ),
        import_columns=("subject", "type", "status", "date", "account", "contact", "owner"),
        analytics_fields=("type", "status", "owner", "date", "created_at"),
        duplicate_keys=("number",),
    )
)

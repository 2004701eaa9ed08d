"""The Activities section's declaration."""

from crm.sections.registry import Section, register

from .forms import ActivityForm
from .models import Activity

section = register(
    Section(
        name="activities",
        model=Activity,
        title="Activities",
        title_singular="activity",
        icon="bi-calendar-check",
        position=30,
        list_columns=(
            "title",
            "type",
            "category",
            "status",
            "priority",
            "start",
            "due",
            "duration",
            "account",
            "contact",
            "owner",
        ),
        default_sort="-start",
        search_fields=("title", "account__name", "contact__full_name"),
        filter_fields=(
            "start",
            "owner",
            "status",
            "category",
            "type",
            "priority",
            "account",
            "contact",
            "show_in_calendar",
            "due",
        ),
        form_fields=(
            "title",
            "type",
            "category",
            "status",
            "priority",
            "owner",
            "start",
            "due",
            "account",
            "contact",
            "connected_type",
            "connected_id",
            "show_in_calendar",
            "remind_at",
            "remind_owner",
            "remind_author",
            "result",
            "result_details",
            "notes",
        ),
        form_class=ActivityForm,
        detail_fields=(
            ("Activity", ("title", "type", "category", "status", "priority", "owner", "created_by")),
            ("When", ("start", "due", "duration", "show_in_calendar")),
            ("Connected to", ("account", "contact")),
            ("Result", ("result", "result_details")),
            ("Reminder", ("remind_owner", "remind_author", "remind_at", "reminded_at")),
            ("Description", ("notes",)),
        ),
        detail_models=("activities.Participant",),
        views=(("activities:calendar", "Calendar", "bi-calendar3"),),
        import_columns=("title", "type", "category", "status", "priority", "start", "due", "account", "contact"),
        analytics_fields=("type", "category", "status", "priority", "owner", "start", "account"),
    )
)

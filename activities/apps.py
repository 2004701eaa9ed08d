from django.apps import AppConfig


class ActivitiesConfig(AppConfig):
    name = "activities"
    verbose_name = "Activities"

    def ready(self) -> None:
        # The Activities tab and the "Activities" timeline items on every record page, the Participants tab.
        from crm.sections.registry import GenericReference, register_generic_reference

        from . import record_tabs  # noqa: F401

        # An activity connected to a record keeps that record from being deleted (it would be orphaned).
        register_generic_reference(
            GenericReference("activities.Activity", "connected_type", "connected_id", "protect", "activities")
        )

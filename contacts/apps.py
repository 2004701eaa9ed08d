from django.apps import AppConfig


class ContactsConfig(AppConfig):
    name = "contacts"
    verbose_name = "Contacts"

    def ready(self) -> None:
        # the "Career" items of contacts' and accounts' timelines
        from crm.core.events import register_event_model

        from . import timeline  # noqa: F401

        # birthdays and other events of contacts reach their owners' bell on the day
        register_event_model("contacts.ContactEvent", "contact")

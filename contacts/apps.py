from django.apps import AppConfig


class ContactsConfig(AppConfig):
    name = "contacts"
    verbose_name = "Contacts"

    def ready(self) -> None:
        # the "Career" items of contacts' and accounts' timelines
        from . import timeline  # noqa: F401

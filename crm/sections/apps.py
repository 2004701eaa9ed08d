from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class SectionsConfig(AppConfig):
    name = "crm.sections"
    label = "sections"
    verbose_name = "Sections"

    def ready(self) -> None:
        # Each section app declares itself in its section.py; importing it registers the section.
        autodiscover_modules("section")
        from . import related  # noqa: F401 - the timeline's "Connected records"

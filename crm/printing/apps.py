from django.apps import AppConfig


class PrintingConfig(AppConfig):
    name = "crm.printing"
    label = "printing"
    verbose_name = "Print forms"

    def ready(self) -> None:
        from crm.sections.registry import RecordTab, register_record_tab

        from . import selectors, views

        register_record_tab(
            RecordTab(name="print", title="Print", view=views.record_tab, position=70, applies_to=selectors.has_forms)
        )

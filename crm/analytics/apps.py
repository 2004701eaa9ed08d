from django.apps import AppConfig


class AnalyticsConfig(AppConfig):
    name = "crm.analytics"
    label = "analytics"
    verbose_name = "Analytics"

    def ready(self) -> None:
        # the generic tile kinds, then those the section apps register in their `tiles` modules
        from django.utils.module_loading import autodiscover_modules

        from crm.sections.registry import ListMode, register_list_mode

        from . import record_tab, tiles, views  # noqa: F401

        autodiscover_modules("tiles")
        register_list_mode(ListMode("dashboards", "Dashboards", "bi-speedometer", views.section_dashboards))

from django.apps import AppConfig


class AnalyticsConfig(AppConfig):
    name = "crm.analytics"
    label = "analytics"
    verbose_name = "Analytics"

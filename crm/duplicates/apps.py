from django.apps import AppConfig


class DuplicatesConfig(AppConfig):
    name = "crm.duplicates"
    label = "duplicates"
    verbose_name = "Duplicates"

from django.apps import AppConfig


class AccessConfig(AppConfig):
    name = "crm.access"
    label = "access"
    verbose_name = "Users, roles and access rights"

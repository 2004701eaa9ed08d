from django.apps import AppConfig


class AccessConfig(AppConfig):
    name = "crm.access"
    label = "access"
    verbose_name = "Users, roles and access rights"

    def ready(self) -> None:
        from crm.sections.registry import RecordTab, register_record_tab

        from . import signals
        from .views.records import access_tab

        signals.connect()
        register_record_tab(
            RecordTab(name="access", title="Access", view=access_tab, position=90, applies_to=_uses_record_rights)
        )


def _uses_record_rights(section) -> bool:
    from .snapshot import snapshot

    return section.name in snapshot().record_rights

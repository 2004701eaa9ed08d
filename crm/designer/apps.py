from django.apps import AppConfig


class DesignerConfig(AppConfig):
    name = "crm.designer"
    label = "designer"
    verbose_name = "System designer"

    def ready(self) -> None:
        from django.core.signals import request_started
        from django.db.models.signals import post_delete, post_save

        from crm.sections import services as section_services

        from . import custom_sections, fields, lookups, rules
        from .models import BusinessRule, DetailDefinition, FieldDefinition, PageLayout

        # definitions are read once per request (or task), and again at once after one of them changes
        request_started.connect(fields.forget, dispatch_uid="designer_forget_on_request")
        request_started.connect(lookups.forget, dispatch_uid="designer_forget_lookups_on_request")
        # a section made in another process is served from this one's next request on
        request_started.connect(custom_sections.refresh, dispatch_uid="designer_custom_sections_on_request")
        post_save.connect(fields.forget, sender=FieldDefinition, dispatch_uid="designer_forget_on_save")
        post_delete.connect(fields.forget, sender=FieldDefinition, dispatch_uid="designer_forget_on_delete")
        for model in (BusinessRule, PageLayout, DetailDefinition):
            post_save.connect(fields.forget, sender=model, dispatch_uid=f"designer_forget_{model.__name__}_save")
            post_delete.connect(fields.forget, sender=model, dispatch_uid=f"designer_forget_{model.__name__}_delete")
        # business rules hold on every write path of every section
        section_services.register_record_validator(rules.enforce)
        from crm.sections import registry

        from . import details_wizard, layouts

        registry.register_record_tab_provider(layouts.record_tabs)
        registry.register_record_tab_provider(details_wizard.record_tabs)
        try:
            from celery.signals import task_prerun
        except ImportError:  # pragma: no cover - Celery is a dependency; kept for the embedded default's sake
            return
        task_prerun.connect(fields.forget, weak=False, dispatch_uid="designer_forget_on_task")
        task_prerun.connect(lookups.forget, weak=False, dispatch_uid="designer_forget_lookups_on_task")
        task_prerun.connect(custom_sections.refresh, weak=False, dispatch_uid="designer_custom_sections_on_task")

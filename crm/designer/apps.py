from django.apps import AppConfig


class DesignerConfig(AppConfig):
    name = "crm.designer"
    label = "designer"
    verbose_name = "System designer"

    def ready(self) -> None:
        from django.core.signals import request_started
        from django.db.models.signals import post_delete, post_save

        from . import fields
        from .models import FieldDefinition

        # definitions are read once per request (or task), and again at once after one of them changes
        request_started.connect(fields.forget, dispatch_uid="designer_forget_on_request")
        post_save.connect(fields.forget, sender=FieldDefinition, dispatch_uid="designer_forget_on_save")
        post_delete.connect(fields.forget, sender=FieldDefinition, dispatch_uid="designer_forget_on_delete")
        try:
            from celery.signals import task_prerun
        except ImportError:  # pragma: no cover - Celery is a dependency; kept for the embedded default's sake
            return
        task_prerun.connect(fields.forget, weak=False, dispatch_uid="designer_forget_on_task")

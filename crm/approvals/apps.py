from django.apps import AppConfig


class ApprovalsConfig(AppConfig):
    name = "crm.approvals"
    label = "approvals"
    verbose_name = "Approvals"

    def ready(self) -> None:
        from activities.processes import ProcessTask, register_task
        from crm.sections.registry import GenericReference, RecordTab, register_generic_reference, register_record_tab
        from crm.sections.services import register_edit_guard

        from . import guards, registry, views

        register_edit_guard(guards.refuse_while_pending)
        register_record_tab(
            RecordTab(
                name="approvals",
                title="Approvals",
                view=views.record_tab,
                position=60,
                applies_to=lambda section: registry.is_registered(section.name),
            )
        )
        # a record's approval history goes with it (a pending one prevents deleting it: see guards)
        register_generic_reference(
            GenericReference("approvals.Approval", "content_type", "object_id", on_delete="cascade")
        )
        register_task(ProcessTask(key=guards.REVISE_TASK, title="Revise and send again"))

from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "documents"
    verbose_name = "Documents"

    def ready(self) -> None:
        # The Files tab; a document's links to other records go when those records are deleted.
        from crm.sections.registry import GenericReference, register_generic_reference

        from . import record_tabs  # noqa: F401

        register_generic_reference(
            GenericReference("documents.DocumentLink", "content_type", "object_id", "cascade", "document links")
        )
        from crm import approvals

        from . import services

        # sent for approval, the record waits; approved, its status moves on (rejected: a task to revise it)
        approvals.register("documents", on_approved=services.approved, on_rejected=services.rejected)

from django.apps import AppConfig


class KnowledgeConfig(AppConfig):
    name = "knowledge"
    verbose_name = "Knowledge base"

    def ready(self) -> None:
        # the tab on every other record page; an article's links go with the records they are on
        from crm.sections.registry import GenericReference, register_generic_reference

        from . import record_tabs, search  # noqa: F401

        search.connect()

        register_generic_reference(
            GenericReference("knowledge.ArticleLink", "content_type", "object_id", "cascade", "article links")
        )

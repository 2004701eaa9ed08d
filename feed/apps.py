from django.apps import AppConfig


class FeedConfig(AppConfig):
    name = "feed"
    verbose_name = "Feed"

    def ready(self) -> None:
        # The Feed tab on every record page and the "Feed posts" timeline provider.
        from crm.sections.registry import GenericReference, register_generic_reference

        from . import record_tab  # noqa: F401

        # Posts about a record and its followers go with the record.
        register_generic_reference(GenericReference("feed.Post", "content_type", "object_id", "cascade", "feed posts"))
        register_generic_reference(GenericReference("feed.Follow", "content_type", "object_id", "cascade", "followers"))

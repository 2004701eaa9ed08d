"""The Knowledge base section's declaration."""

from crm.sections.details import Card
from crm.sections.registry import Section, register

from . import search, services
from .forms import ArticleForm
from .models import Article


def _reading_panel(user, record: Article) -> dict:
    return {"article": record, "body_hidden": not search.body_readable(user)}


section = register(
    Section(
        name="knowledge",
        model=Article,
        title="Knowledge base",
        title_singular="article",
        icon="bi-journal-text",
        position=90,
        list_columns=("name", "type", "group", "owner", "view_count", "helpful_count", "modified_at"),
        default_sort="-modified_at",
        search_fields=("name", "summary"),
        filter_fields=("type", "group", "owner", "modified_at", "created_at"),
        form_fields=("name", "type", "group", "owner", "summary", "body"),
        detail_fields=(
            ("Article", ("name", "type", "group", "owner", "summary")),
            ("Reading", ("view_count", "helpful_count", "not_helpful_count")),
        ),
        form_class=ArticleForm,
        panels=(Card("knowledge/_reading_panel.html", _reading_panel),),
        styles=("css/knowledge.css",),  # the panel shows the article's text as the reading page does
        record_actions=(("knowledge:read", "Read"), ("knowledge:history", "History")),
        # the body is written in the editor: an import brings the article's heading, the text comes after
        import_columns=("name", "type", "group", "summary", "owner"),
        analytics_fields=("type", "group", "owner", "created_at", "modified_at"),
        after_save=services.after_save,
        after_import=services.after_import,
        search_hits=search.global_hits,
        search_passages=search.global_passages,
    )
)

"""`article_html`: an article body as it is shown, put through the allow-list again (whatever the stored text), its
tables in wrappers that scroll."""

from django import template
from django.utils.safestring import SafeString, mark_safe

from ..html import for_reading

register = template.Library()


@register.filter
def article_html(value: str) -> SafeString:
    return mark_safe(for_reading(value or ""))  # noqa: S308 - sanitised against the allow-list

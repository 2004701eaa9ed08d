"""`article_html`: an article body as it is shown, put through the allow-list again (whatever the stored text)."""

from django import template
from django.utils.safestring import SafeString, mark_safe

from ..html import sanitise

register = template.Library()


@register.filter
def article_html(value: str) -> SafeString:
    return mark_safe(sanitise(value or ""))  # noqa: S308 - sanitised against the allow-list

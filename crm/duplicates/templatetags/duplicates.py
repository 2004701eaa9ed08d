"""`{% can_search_duplicates section as flag %}`: whether the list offers "Find duplicates" and "Merge"."""

from django import template

from crm.duplicates.services import can_search

register = template.Library()


@register.simple_tag(takes_context=True)
def can_search_duplicates(context, section) -> bool:
    request = context.get("request")
    return bool(request and section and can_search(request.user, section))

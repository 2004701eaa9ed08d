"""Template tags of activities: the home page's "my activities today" card."""

from django import template
from django.urls import reverse

from crm import access

from .. import selectors

register = template.Library()


@register.inclusion_tag("activities/_today.html", takes_context=True)
def my_activities_today(context):
    """The current user's open activities of today and the overdue ones (nothing without the right to read)."""
    user = context["request"].user
    if not access.can(user, "read", selectors.section()):
        return {"allowed": False}
    return {
        "allowed": True,
        "activities": selectors.activities_today(user),
        "calendar_url": reverse("activities:calendar") + "?view=day",
        "new_url": reverse("activities:create") if access.can(user, "create", selectors.section()) else "",
    }

"""Template helpers of the access screens: `user|may:"manage_users"` and a role's indentation in the tree."""

from django import template

from crm import access

register = template.Library()


@register.filter
def may(user, operation: str) -> bool:
    """Whether `user` may do a system operation (export, manage_users, ...)."""
    return access.can(user, operation)


@register.filter
def administers(user) -> bool:
    """Whether `user` is an administrator: they alone change object, record and column rights."""
    return access.is_administrator(user)


INDENTS = ("ps-0", "ps-3", "ps-4", "ps-5")


@register.filter
def indent(depth: int) -> str:
    """The Bootstrap class indenting a role of the tree by its depth (CSP forbids style attributes)."""
    return INDENTS[min(int(depth), len(INDENTS) - 1)]


@register.simple_tag
def access_screens():
    """The tabs of the access screens: (URL name, title)."""
    from crm.access.views.common import SCREENS

    return SCREENS

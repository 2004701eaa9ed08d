"""Template helpers for the generic section pages: cell values, field values, sort and page links."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal

from django import template
from django.db.models import CharField, DecimalField, EmailField, FileField, ImageField, URLField
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from crm.core import formats

from .. import registry

register = template.Library()

# constant markup (format_html without arguments is deprecated)
EMPTY = mark_safe('<span class="text-secondary">—</span>')  # noqa: S308
YES = mark_safe('<i class="bi bi-check-lg text-success" aria-label="Yes"></i>')  # noqa: S308
NO = mark_safe('<i class="bi bi-dash text-secondary" aria-label="No"></i>')  # noqa: S308


def is_phone_field(field) -> bool:
    """A phone number is kept in a text field named `phone` or `..._phone` (an account's phone, a contact's
    mobile phone): no field class says so."""
    name = getattr(field, "name", "") or ""
    return isinstance(field, CharField) and (name == "phone" or name.endswith("_phone"))


EXTENSION = re.compile(r"\s*(?:x|ext\.?)\s*", re.IGNORECASE)


def phone_link(value):
    """A phone number as a tel: link (digits and a leading +; an extension as ;ext=), or text without digits."""
    parts = EXTENSION.split(str(value), maxsplit=1)
    number, extension = parts[0], (parts[-1] if len(parts) > 1 else "")
    digits = "".join(c for c in number if c.isdigit())
    if len(digits) < 3:
        return str(value)
    target = ("+" if number.strip().startswith("+") else "") + digits
    extension_digits = "".join(c for c in extension if c.isdigit())
    if extension_digits:
        target += f";ext={extension_digits}"
    return format_html('<a href="tel:{}">{}</a>', target, value)


def email_link(value):
    """An email address as a mailto: link; what is no address (no @, spaces) stays text."""
    text = str(value)
    if "@" not in text or any(c.isspace() for c in text):
        return text
    return format_html('<a href="mailto:{}">{}</a>', text, text)


def _display(value, field=None):
    if value is None or value == "":
        return EMPTY
    if field is not None and getattr(field, "choices", None) and not field.is_relation:
        return dict(field.flatchoices).get(value, value)
    if isinstance(value, bool):
        return YES if value else NO
    if isinstance(value, datetime.datetime):
        return formats.short_datetime(value)
    if isinstance(value, datetime.date):
        return formats.short_date(value)
    if isinstance(value, Decimal):
        if isinstance(field, DecimalField) and field.decimal_places != 2:
            return formats.number(value)  # a quantity (3 places) is a number: "3 months", not "3.00 months"
        return formats.money(value)
    if hasattr(value, "get_full_name"):
        return value.get_full_name() or value.get_username()
    if hasattr(value, "_meta"):
        section = registry.for_model(value)
        if section is not None:
            try:
                return format_html('<a href="{}">{}</a>', reverse(f"{section.name}:detail", args=[value.pk]), value)
            except NoReverseMatch:
                pass
        return str(value)
    if isinstance(field, URLField):  # get_internal_type() says CharField for both
        # a link only to the web: a value that reached the database by another path (javascript:, data:) is text
        if not str(value).lower().startswith(("http://", "https://", "ftp://", "ftps://")):
            return str(value)
        return format_html('<a href="{}" rel="noopener noreferrer" target="_blank">{}</a>', value, value)
    if isinstance(field, EmailField):
        return email_link(value)
    if is_phone_field(field):
        return phone_link(value)
    return value


@register.filter
def tel(value):
    """`{{ contact.mobile_phone|tel }}`: a phone number shown anywhere as a tel: link."""
    return phone_link(value) if value else EMPTY


@register.filter
def mailto(value):
    """`{{ contact.email|mailto }}`: an email address shown anywhere as a mailto: link."""
    return email_link(value) if value else EMPTY


def _communication_value(row):
    """A communication option's value linked as its type's kind says (phone, email, web), else None."""
    kind = getattr(getattr(row, "type", None), "kind", None)
    if kind == "phone":
        return phone_link(row.value)
    if kind == "email":
        return email_link(row.value)
    return None


@register.simple_tag
def cell(obj, column):
    """The value of a list column for one row (relations are select_related by the section's queryset)."""
    if column.path == "__str__":
        return str(obj)
    if column.is_custom:
        return _display(column.field.value_from_object(obj), column.field.model_field)
    value = obj
    for part in column.path.split("__"):
        value = getattr(value, part, None)
        if value is None:
            break
    return _display(value, column.field)


@register.simple_tag
def field_value(obj, field):
    if getattr(field, "is_custom", False):
        return _display(field.value_from_object(obj), field.model_field)
    value = getattr(obj, field.name, None)
    if isinstance(field, FileField):
        return _file_display(obj, field, value)
    return _display(value, field)


def _file_display(obj, field, value):
    """A file kept in a field goes out through the permission-checked view; an image is shown."""
    if not value:
        return _display(None, field)
    section = registry.for_model(obj)
    url = reverse(f"{section.name}:field_file", args=[obj.pk, field.name]) if section else ""
    if isinstance(field, ImageField):
        return format_html(
            '<img class="img-thumbnail record-image" src="{}" alt="{}" width="96">', url, field.verbose_name
        )
    return format_html('<a href="{}">{}</a>', url, value.name.rsplit("/", 1)[-1])


@register.simple_tag
def column_value(obj, path):
    if path == "__str__":
        return str(obj)
    if path == "value" and getattr(obj, "value", "") and hasattr(obj, "normalized"):
        linked = _communication_value(obj)
        if linked is not None:
            return linked
    value = obj
    for part in path.split("__"):
        value = getattr(value, part, None)
        if value is None:
            break
    field = None
    try:
        field = obj._meta.get_field(path.split("__")[0])
    except Exception:  # noqa: BLE001 - a computed attribute
        field = None
    return _display(value, field if "__" not in path else None)


@register.simple_tag(takes_context=True)
def query_with(context, **changes):
    """The current query string with some parameters replaced (None or "" removes them)."""
    params = context["request"].GET.copy()
    for key, value in changes.items():
        if value in (None, ""):
            params.pop(key, None)
        else:
            params[key] = value
    return params.urlencode()


@register.simple_tag
def sort_param(current: str, path: str) -> str:
    """Clicking a column header sorts by it, then reverses it."""
    return f"-{path}" if current == path else path


@register.filter
def get_item(mapping, key):
    """`mapping[key]`, or None: a value a view computed per name (a tab's count)."""
    return mapping.get(key) if mapping else None


@register.filter
def getattr_(obj, name):
    return getattr(obj, name, None)


@register.filter
def model_name(obj):
    return obj._meta.verbose_name


@register.filter
def allowed_for(actions, user):
    """A section's record or bulk actions as (URL name, label), less those needing an operation right `user` lacks
    (the vCard of a contact is an export)."""
    from crm.access import api as access

    return [(action[0], action[1]) for action in actions if len(action) < 3 or access.can(user, action[2])]


@register.simple_tag
def total_cell(totals: dict, column):
    """A list's total of one money column, a line per currency ("12,450.00 EUR"); nothing for other columns."""
    amounts = totals.get(column.path)
    if amounts is None:
        return ""
    if not amounts:
        return EMPTY
    return format_html_join("", "<div>{} {}</div>", ((_display(amount), currency) for currency, amount in amounts))

"""Reads of print forms: which forms a section has, and the context a record is printed with."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils import timezone

from crm import access
from crm.sections.registry import AUDIT_FIELDS, Section

from .models import PrintForm
from .registry import context_providers, shared_context_providers


def forms_for(section_name: str):
    return PrintForm.objects.active().for_section(section_name)


def has_forms(section: Section) -> bool:
    return forms_for(section.name).exists()


def _value(record, field: models.Field):
    """A field's value for a template: text for choices, relations and booleans, the value itself for numbers
    and dates (so that `floatformat` and `date` apply)."""
    value = getattr(record, field.name, None)
    if value is None:
        return ""
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if hasattr(value, "get_full_name"):  # a person is printed by name ("Prepared by: Alice Archer", not "alice")
        return value.get_full_name() or value.get_username()
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, models.fields.files.FieldFile):
        return value.name or ""
    return value


def record_context(user, section: Section, record) -> dict:
    """The record as a dictionary of the fields the user may read (hidden fields are present and empty): a
    template gets text and numbers, never model instances it could walk to other records from."""
    readable = section.readable_fields(user)
    values = {"pk": record.pk, "title": str(record)}
    for field in section.opts.concrete_fields:
        if field.primary_key:
            continue
        values[field.name] = _value(record, field) if field.name in readable | AUDIT_FIELDS else ""
    if section.number_field:
        values["number"] = values.get(section.number_field, "")
    # custom fields by code ({{ record.custom.credit_limit }}); hidden ones present and empty, like the others
    values["custom"] = {}
    for custom in section.custom_fields():
        value = custom.value_from_object(record) if custom.name in readable else None
        values["custom"][custom.code] = "" if value is None else value
    return values


def product_lines(record) -> list[dict]:
    """The product lines of a record that has a `lines` manager (orders, invoices, contracts, opportunities)."""
    manager = getattr(record, "lines", None)
    if manager is None or not hasattr(manager, "all"):
        return []
    lines = []
    for line in manager.all().select_related("product", "unit"):
        lines.append(
            {
                "position": getattr(line, "position", ""),
                "product": str(getattr(line, "product", "")),
                "quantity": getattr(line, "quantity", Decimal(0)),
                "unit": str(getattr(line, "unit", "") or ""),
                "price": getattr(line, "price", Decimal(0)),
                "discount_percent": getattr(line, "discount_percent", Decimal(0)),
                "discount_amount": getattr(line, "discount_amount", Decimal(0)),
                "tax_rate": getattr(line, "tax_rate", Decimal(0)),
                "tax_amount": getattr(line, "tax_amount", Decimal(0)),
                "subtotal": getattr(line, "subtotal", Decimal(0)),
                "total": getattr(line, "total", Decimal(0)),
            }
        )
    return lines


def _totals(lines: list[dict]) -> dict:
    totals = {"subtotal": Decimal("0.00"), "discount_amount": Decimal("0.00"), "tax_amount": Decimal("0.00")}
    totals["total"] = Decimal("0.00")
    for line in lines:
        for name in totals:
            totals[name] += line[name]
    return totals


def print_context(user, section: Section, record) -> dict:
    """What a print form is filled in with. The record's fields, its lines and the names the section's provider
    adds, each empty where the user may not see it: a hidden field, or a value derived from one (a line's total
    when the amount is hidden: `Section.derived_values`)."""
    lines = product_lines(record)
    context = {
        "record": record_context(user, section, record),
        "lines": lines,
        "totals": _totals(lines),
        "company": {
            "name": getattr(settings, "PRINT_COMPANY_NAME", "OpenCRM"),
            "address": getattr(settings, "PRINT_COMPANY_ADDRESS", ""),
            "tax_id": getattr(settings, "PRINT_COMPANY_TAX_ID", ""),
        },
        "customer": {},
        "today": timezone.localdate(),
        "section": {"name": section.name, "title": section.title, "title_singular": str(section.title_singular)},
    }
    for shared in shared_context_providers():
        context.update(shared(user=user, record=record))
    provider = context_providers().get(section.name)
    if provider is not None:
        context.update(provider(user=user, record=record))
    return _without_hidden_values(access.fields_for(user, section, "read"), context)


def visible_lines(fields: access.FieldAccess, lines: list[dict]) -> list[dict]:
    """Product lines with the amounts `fields` hides emptied ("products.total" and the like)."""
    return [
        {key: value if fields.can_read_value(f"products.{key}") else "" for key, value in line.items()}
        for line in lines
    ]


def _without_hidden_values(fields: access.FieldAccess, context: dict) -> dict:
    """The context with the derived values `fields` hides emptied: a line's amounts ("products.total"), the
    totals ("totals"), and the provider's names ("paid", "remaining"); a print form renders them empty."""
    lines = visible_lines(fields, context["lines"])
    reference_lines = visible_lines(fields, context.get("reference_lines", []))
    context = {name: "" if name in fields.hidden_values else value for name, value in context.items()}
    context["lines"] = lines
    context["reference_lines"] = reference_lines
    if not fields.can_read_value("totals"):
        context["totals"] = {}
    return context

"""The template filters for money, numbers and dates (`{{ order.amount|money }}`, `{{ line.quantity|number }}`,
`{{ step.due_date|short_date }}`): builtins of every template and of print forms, so no page formats on its own."""

from django import template

from crm.core import formats

register = template.Library()

register.filter("ago", formats.ago, is_safe=True)
register.filter("money", formats.money, is_safe=True)
register.filter("number", formats.number, is_safe=True)
register.filter("short_date", formats.short_date, is_safe=True)
register.filter("short_datetime", formats.short_datetime, is_safe=True)
register.filter("short_time", formats.short_time, is_safe=True)

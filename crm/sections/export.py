"""Export what a list shows to .xlsx or .csv. Cells that a spreadsheet would run as a formula are neutralised,
headers included; every other spreadsheet the product writes uses `neutralise` too."""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Iterable, Iterator
from decimal import Decimal

from django.utils import timezone
from openpyxl import Workbook

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
EXPORT_MAX_ROWS = 100_000


def neutralise(value):
    """Text that starts like a formula is prefixed with a quote, so it stays text (CSV/formula injection)."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def unneutralise(value: str) -> str:
    """The text `neutralise` wrote, as it was (for an exported file imported again)."""
    if value.startswith("'") and value[1:2] and value[1] in FORMULA_PREFIXES:
        return value[1:]
    return value


def cell_value(obj, column):
    if column.path == "__str__":
        return str(obj)
    if column.is_custom:
        value = column.field.value_from_object(obj)
        if value is None:
            return ""
        if isinstance(value, datetime.datetime) and timezone.is_aware(value):
            return timezone.localtime(value).replace(tzinfo=None)
        return value if isinstance(value, bool | int | Decimal | datetime.date) else str(value)
    value = obj
    for part in column.path.split("__"):
        value = getattr(value, part, None)
        if value is None:
            return ""
    field = column.field
    if field is not None and field.choices and not column.is_relation:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    if isinstance(value, bool | int | float | Decimal | datetime.date):
        return value
    if hasattr(value, "get_full_name"):
        return value.get_full_name() or value.get_username()
    return str(value)


def rows(queryset, columns) -> Iterator[list]:
    yield [neutralise(str(c.label)) for c in columns]  # a label is user-entered too (custom fields)
    for obj in queryset[:EXPORT_MAX_ROWS].iterator(chunk_size=2000):
        yield [neutralise(cell_value(obj, c)) for c in columns]


class _Echo:
    def write(self, value):
        return value


def csv_stream(table: Iterable[list]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield "\ufeff"  # so that Excel opens UTF-8 correctly
    for row in table:
        yield writer.writerow(["" if v is None else v for v in row])


def xlsx_bytes(table: Iterable[list], title: str) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31] or "Export")
    for row in table:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()

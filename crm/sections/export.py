"""Export what a list shows to .xlsx or .csv. No cell runs as a formula, headers included: in .xlsx every text is a
text cell (a phone number "+49 30 ..." stays as it was), in .csv text that starts like a formula is neutralised
with a quote; the other spreadsheets the product writes use `neutralise` too."""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Callable, Iterable, Iterator
from decimal import Decimal

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
EXPORT_MAX_ROWS = 100_000
CHUNK_SIZE = 2000


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


def _moment(value: datetime.datetime) -> datetime.datetime:
    """A moment as a spreadsheet shows it: local time, to the second (microseconds are noise to a reader)."""
    if timezone.is_aware(value):
        value = timezone.localtime(value).replace(tzinfo=None)
    return value.replace(microsecond=0)


def cell_value(obj, column):
    if column.path == "__str__":
        return str(obj)
    if column.is_custom:
        value = column.field.value_from_object(obj)
        if value is None:
            return ""
        if isinstance(value, datetime.datetime):
            return _moment(value)
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
        return _moment(value)
    if isinstance(value, bool | int | float | Decimal | datetime.date):
        return value
    if hasattr(value, "get_full_name"):
        return value.get_full_name() or value.get_username()
    return str(value)


def rows(queryset, columns, *, tags: Callable[[list[int]], dict[int, str]] | None = None) -> Iterator[list]:
    """The header and the values, as they are: `csv_stream` and `xlsx_bytes` each keep them from running.
    `tags(ids) -> {id: "VIP, Hot lead"}` adds a last column, Tags: the tags the exporting user sees."""
    yield [str(c.label) for c in columns] + (["Tags"] if tags else [])  # a label is user-entered too (custom fields)
    chunk: list = []
    for obj in queryset[:EXPORT_MAX_ROWS].iterator(chunk_size=CHUNK_SIZE):
        chunk.append(obj)
        if len(chunk) == CHUNK_SIZE:
            yield from _chunk_rows(chunk, columns, tags)
            chunk = []
    yield from _chunk_rows(chunk, columns, tags)


def _chunk_rows(chunk: list, columns, tags) -> Iterator[list]:
    names = tags([obj.pk for obj in chunk]) if tags and chunk else {}
    for obj in chunk:
        yield [cell_value(obj, c) for c in columns] + ([names.get(obj.pk, "")] if tags else [])


class _Echo:
    def write(self, value):
        return value


def csv_stream(table: Iterable[list]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield "\ufeff"  # so that Excel opens UTF-8 correctly
    for row in table:
        yield writer.writerow(["" if v is None else neutralise(v) for v in row])


def _cell(sheet, value):
    """Text as a text cell, never a formula, and marked as typed text (Excel's leading quote, which it does not
    show), so that editing the cell does not run it either."""
    if not isinstance(value, str):
        return value
    cell = WriteOnlyCell(sheet, value)
    cell.data_type = "s"
    cell.quotePrefix = True
    return cell


def xlsx_bytes(table: Iterable[list], title: str) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31] or "Export")
    for row in table:
        sheet.append([_cell(sheet, value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()

"""The download of an import's refused rows, to fix and import again: the rows as the file had them with the
reason, and a sheet of the values imported rows were left without."""

from __future__ import annotations

import io
import re

from crm.sections import registry
from crm.sections.export import neutralise

from . import reader
from .fields import importable_fields
from .models import ImportJob, RefusedRow, RowWarning


def refused_workbook(job: ImportJob) -> bytes:
    """The refused rows as .xlsx: the original header and cells, the reason in a last column; then a sheet
    "Warnings" with a line per value an imported row was left without (row, column, the value as in the file,
    why). Every cell is neutralised: text that starts like a formula stays text."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Refused rows")
    sheet.append([neutralise(v) for v in [*job.headers, "Reason"]])
    for row in RefusedRow.objects.filter(job=job).iterator(chunk_size=2000):
        values = list(row.values) + [""] * (len(job.headers) - len(row.values))
        sheet.append([neutralise(v) for v in [*values, row.reason]])
    warnings = workbook.create_sheet("Warnings")
    warnings.append([neutralise(v) for v in ("Row", "Column", "Value", "Reason")])
    columns = _warned_columns(job)
    for warning in RowWarning.objects.filter(job=job).iterator(chunk_size=2000):
        for header, position, reason in _left_empty(warning.message, columns):
            value = warning.values[position] if position is not None and position < len(warning.values) else ""
            warnings.append([warning.row_number, *(neutralise(v) for v in (header, value, reason))])
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def _warned_columns(job: ImportJob) -> list[tuple[str, str, int]]:
    """(field label, the file's header, column position) of the job's mapped columns, longest label first (the
    engine's warnings start with the label)."""
    labels = {spec.name: spec.label for spec in importable_fields(registry.get(job.section), job.created_by)}
    columns = [
        (labels[name], reader.as_text(job.headers[int(index)]) if int(index) < len(job.headers) else "", int(index))
        for index, name in job.mapping.items()
        if name in labels
    ]
    return sorted(columns, key=lambda column: -len(column[0]))


def _left_empty(message: str, columns: list[tuple[str, str, int]]) -> list[tuple[str, int | None, str]]:
    """A warning's message ("Label: why; left empty." for each value left out) as (header, position, why)."""
    parts = [part for part in re.split(r"(?<=; left empty\.)\s+", message.strip()) if part]
    found = []
    for part in parts:
        column = next((c for c in columns if part.startswith(f"{c[0]}: ")), None)
        if column is None:  # not the engine's usual words: the whole message, under no column
            found.append(("", None, part))
            continue
        label, header, position = column
        found.append((header, position, part[len(label) + 2 :]))
    return found

"""Helpers to write the files an import reads: .xlsx with openpyxl, .csv in any encoding and delimiter."""

import csv
import io
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook


def xlsx_bytes(rows: list[list], *, sheet: str = "Sheet1", extra_sheets: dict | None = None) -> bytes:
    workbook = Workbook()
    worksheet = workbook.active
    worksheet.title = sheet
    for row in rows:
        worksheet.append(row)
    for name, sheet_rows in (extra_sheets or {}).items():
        other = workbook.create_sheet(name)
        for row in sheet_rows:
            other.append(row)
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def csv_bytes(rows: list[list], *, encoding: str = "utf-8", delimiter: str = ",") -> bytes:
    output = io.StringIO()
    csv.writer(output, delimiter=delimiter).writerows(rows)
    return output.getvalue().encode(encoding)


def upload(content: bytes, name: str = "contacts.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def rewrite_xlsx(content: bytes, part: str, change) -> bytes:
    """Change one XML part of an .xlsx (to build hostile files)."""
    source = zipfile.ZipFile(io.BytesIO(content))
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == part:
                data = change(data)
            target.writestr(item, data)
    return output.getvalue()


@pytest.fixture
def tmp_file(tmp_path):
    def write(content: bytes, name: str) -> Path:
        path = tmp_path / name
        path.write_bytes(content)
        return path

    return write

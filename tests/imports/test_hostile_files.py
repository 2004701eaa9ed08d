"""Hostile or broken files get a clear refusal before a row is read, never a crash or a hang."""

import io
import zipfile

import pytest

from crm.imports import reader
from crm.imports.reader import UnreadableFile

from .conftest import csv_bytes, rewrite_xlsx, xlsx_bytes

GOOD = xlsx_bytes([["Name", "Email"], ["Ann", "ann@x.example"]])


def refusal(tmp_file, content: bytes, name: str = "file.xlsx") -> str:
    with pytest.raises(UnreadableFile) as error:
        path = tmp_file(content, name)
        source = reader.inspect(path, name)
        if source.kind == "xlsx":
            reader.check_sheet(path, source.sheets[0])
        list(reader.rows(path, source))
    return str(error.value)


def test_a_good_workbook_is_read(tmp_file):
    path = tmp_file(GOOD, "good.xlsx")
    source = reader.inspect(path, "good.xlsx")

    assert (source.kind, source.sheets) == ("xlsx", ("Sheet1",))
    assert list(reader.rows(path, source)) == [["Name", "Email"], ["Ann", "ann@x.example"]]


def test_a_binary_file_that_is_no_spreadsheet_is_refused(tmp_file):
    assert "not a spreadsheet" in refusal(tmp_file, bytes(range(256)) * 40, "photo.csv")


def test_a_damaged_xlsx_is_refused(tmp_file):
    assert "damaged" in refusal(tmp_file, GOOD[:300], "broken.xlsx")


def test_an_old_xls_is_refused_with_what_to_do(tmp_file):
    assert "save it as .xlsx" in refusal(tmp_file, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "old.xls")


def test_a_zip_bomb_is_refused_without_unpacking_it(tmp_file):
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as part:
            chunk = b"\0" * (1024 * 1024)
            for _ in range(24):  # 24 MB of zeros in a few kB: the ratio gives it away
                part.write(chunk)

    assert "zip bomb" in refusal(tmp_file, output.getvalue(), "bomb.xlsx")


def test_an_xml_entity_declaration_is_refused(tmp_file):
    evil = rewrite_xlsx(
        GOOD,
        "xl/workbook.xml",
        lambda data: b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>' + data,
    )

    assert "entity declarations" in refusal(tmp_file, evil)


def test_a_formula_cell_without_a_stored_value_is_refused(tmp_file):
    content = xlsx_bytes([["Name", "Total"], ["Ann", "=1+1"]])

    assert "cell B2 holds a formula without a stored value" in refusal(tmp_file, content)


def test_merged_cells_are_refused(tmp_file):
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.append(["Name", "Email"])
    workbook.active.append(["Ann", "a@x.example"])
    workbook.active.merge_cells("A2:B2")
    output = io.BytesIO()
    workbook.save(output)

    assert "merged cells" in refusal(tmp_file, output.getvalue())


def test_hidden_rows_are_refused(tmp_file):
    from openpyxl import Workbook

    workbook = Workbook()
    for row in (["Name"], ["Ann"], ["Secret"]):
        workbook.active.append(row)
    workbook.active.row_dimensions[3].hidden = True
    output = io.BytesIO()
    workbook.save(output)

    assert "hidden rows" in refusal(tmp_file, output.getvalue())


def test_a_million_columns_are_refused(tmp_file, settings):
    settings.IMPORT_MAX_COLUMNS = 200
    wide = ",".join(f"c{i}" for i in range(1_000_000)).encode()

    assert "more than 200 columns" in refusal(tmp_file, wide + b"\n", "wide.csv")


def test_a_wide_sheet_is_refused(tmp_file, settings):
    settings.IMPORT_MAX_COLUMNS = 20
    content = xlsx_bytes([[f"c{i}" for i in range(30)]])

    assert "more than 20 columns" in refusal(tmp_file, content)


def test_a_file_over_the_limit_is_refused_before_reading(tmp_file, settings):
    settings.IMPORT_MAX_BYTES = 1024 * 1024
    big = csv_bytes([["Name"]] + [["x" * 100]] * 20000)

    assert "the limit is 1 MB" in refusal(tmp_file, big, "big.csv")


def test_an_empty_file_is_refused(tmp_file):
    assert "empty" in refusal(tmp_file, b"", "empty.csv")

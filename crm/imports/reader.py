"""Reading an uploaded spreadsheet safely: .xlsx (python-calamine, a Rust reader), .csv (encoding and
delimiter detected) and vCard .vcf (a card a row, see vcard.py), one row at a time, so memory does not grow with
the file.

Hostile files are refused with a message before a row is read: not a spreadsheet, over the size limit, a zip
bomb, XML with a DOCTYPE or entities (XXE), too many columns. The sheet to import is checked when it is chosen
(`check_sheet`): merged or hidden rows, and formula cells without a stored value (a formula's stored value is
what is read); the workbook's other sheets do not matter.
"""

from __future__ import annotations

import codecs
import csv
import html
import posixpath
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from crm.sections.export import unneutralise

from . import vcard

#: an .xlsx whose parts unpack to more than this, or more than RATIO times their packed size, is a zip bomb
MAX_UNPACKED_BYTES = 1024 * 1024 * 1024
MAX_RATIO = 200
SAMPLE_BYTES = 64 * 1024


class UnreadableFile(Exception):
    """The file cannot be imported; the message says why, in words for the user."""


class BadRow(list):
    """A row the reader could not read whole (a broken vCard): the engine refuses it with `reason`, and the other
    rows go in. Its cells are what could be read (the card's name, say), to show beside the reason."""

    def __init__(self, cells=(), reason: str = ""):
        super().__init__(cells)
        self.reason = reason

    def __bool__(self) -> bool:  # never taken for a blank row, even with no cell read
        return True


def max_bytes() -> int:
    return int(getattr(settings, "IMPORT_MAX_BYTES", 50 * 1024 * 1024))


def max_columns() -> int:
    return int(getattr(settings, "IMPORT_MAX_COLUMNS", 200))


def max_cell_chars() -> int:
    """The longest cell: Excel's own limit, far above any field, so a longer one is a broken or hostile file."""
    return int(getattr(settings, "IMPORT_MAX_CELL_CHARS", 32_767))


def column_letter(index: int) -> str:
    """0 -> "A", 26 -> "AA": the column as a spreadsheet names it."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters


def _check_cells(row: list, number: int, limit: int) -> None:
    """Refuse a cell longer than `limit` (`max_cell_chars`, read once per file)."""
    for index, cell in enumerate(row):
        if isinstance(cell, str) and len(cell) > limit:
            raise UnreadableFile(
                f"Row {number}, column {column_letter(index)}: the cell holds {len(cell):,} characters; a cell may "
                f"hold at most {limit:,}. Shorten it and upload the file again."
            )


@dataclass(frozen=True)
class Source:
    """What the reader found out about a file: its kind, the sheets, the CSV dialect."""

    kind: str  # "xlsx", "csv" or "vcf"
    sheets: tuple[str, ...] = ()
    encoding: str = ""
    delimiter: str = ""


def inspect(path: str | Path, name: str = "") -> Source:
    """Check the file and tell what it is. Raises UnreadableFile."""
    path = Path(path)
    size = path.stat().st_size
    limit = max_bytes()
    if size > limit:
        raise UnreadableFile(f"The file is {size / 1048576:.1f} MB; the limit is {limit / 1048576:.0f} MB.")
    if size == 0:
        raise UnreadableFile("The file is empty.")
    with path.open("rb") as handle:
        head = handle.read(8)
    if head.startswith(b"PK\x03\x04"):
        return Source(kind="xlsx", sheets=_check_xlsx(path))
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise UnreadableFile("This is an old Excel (.xls) file: save it as .xlsx or .csv and upload it again.")
    lowered = name.lower()
    if lowered.endswith((".xlsx", ".xlsm", ".xls", ".ods")):
        raise UnreadableFile("The file is not a readable spreadsheet: it may be damaged or mislabelled.")
    encoding = vcard.sniff(path)
    if encoding:
        return Source(kind="vcf", encoding=encoding)
    if lowered.endswith((".vcf", ".vcard")):
        raise UnreadableFile("The file is not a vCard file: it does not start with BEGIN:VCARD.")
    encoding, delimiter = _sniff_csv(path)
    return Source(kind="csv", encoding=encoding, delimiter=delimiter)


# --- xlsx ----------------------------------------------------------------------------------------------------

_DANGEROUS_XML = re.compile(rb"<!DOCTYPE|<!ENTITY", re.IGNORECASE)
_FORMULA = re.compile(rb"<(?:\w+:)?f[\s>/]")
_MERGED = re.compile(rb"<(?:\w+:)?mergeCell[\s>/]")
_HIDDEN_ROW = re.compile(rb"<(?:\w+:)?row\b[^>]*\bhidden=\"(?:1|true)\"")
_DIMENSION = re.compile(rb"<(?:\w+:)?dimension ref=\"[A-Z]+\d+:([A-Z]+)\d+\"")


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters.decode():
        number = number * 26 + ord(letter) - 64
    return number


def _check_xlsx(path: Path) -> tuple[str, ...]:
    try:
        archive = zipfile.ZipFile(path)
    except zipfile.BadZipFile:
        raise UnreadableFile("The file is not a readable spreadsheet: the .xlsx archive is damaged.")
    with archive:
        members = archive.infolist()
        names = {m.filename for m in members}
        if "xl/workbook.xml" not in names:
            raise UnreadableFile("The file is a zip archive but not an Excel workbook.")
        packed = sum(m.compress_size for m in members) or 1
        unpacked = sum(m.file_size for m in members)
        limit = int(getattr(settings, "IMPORT_MAX_UNPACKED_BYTES", MAX_UNPACKED_BYTES))
        if unpacked > limit or (unpacked / packed > MAX_RATIO and unpacked > 10 * 1024 * 1024):
            raise UnreadableFile("The file unpacks to far more than its size (a zip bomb): it was not read.")
        for member in members:
            if not member.filename.endswith((".xml", ".rels")):
                continue
            with archive.open(member) as part:
                _scan_part(part)
    try:
        from python_calamine import CalamineWorkbook

        return tuple(CalamineWorkbook.from_path(str(path)).sheet_names)
    except Exception as error:  # noqa: BLE001 - any reader failure is a damaged file for the user
        raise UnreadableFile(f"The workbook cannot be read: {error.__class__.__name__}.")


def _scan_part(part) -> None:
    """Stream one XML part looking for entity declarations; chunks overlap so a tag split between them is seen."""
    tail = b""
    while chunk := part.read(1024 * 1024):
        data = tail + chunk
        if _DANGEROUS_XML.search(data):
            raise UnreadableFile("The workbook holds XML entity declarations (a known attack): it was not read.")
        tail = data[-256:]


_SHEET = re.compile(rb"<(?:\w+:)?sheet\b[^>]*>")
_ATTRIBUTE = re.compile(rb"([\w:]+)=\"([^\"]*)\"")
_RELATIONSHIP = re.compile(rb"<(?:\w+:)?Relationship\b[^>]*>")
_CELL_OPENING = re.compile(rb"<(?:\w+:)?c\b([^>]*)>")
_CELL_CLOSING = re.compile(rb"</(?:\w+:)?c>")
_CELL_REFERENCE = re.compile(rb"\br=\"([A-Z]+\d+)\"")
_STORED_VALUE = re.compile(rb"<(?:\w+:)?v>[^<]")


def _attributes(tag: bytes) -> dict[str, str]:
    """A tag's attributes, the namespace prefix dropped (r:id is id), XML escapes resolved."""
    return {
        name.decode().rpartition(":")[2]: html.unescape(value.decode("utf-8", "replace"))
        for name, value in _ATTRIBUTE.findall(tag)
    }


def _sheet_part(archive: zipfile.ZipFile, sheet: str) -> str:
    """The archive member that holds `sheet` (xl/worksheets/sheetN.xml), by xl/workbook.xml and its relations."""
    relation = next(
        (
            attributes.get("id", "")
            for tag in _SHEET.findall(archive.read("xl/workbook.xml"))
            if (attributes := _attributes(tag)).get("name") == sheet
        ),
        None,
    )
    if relation is None:
        raise UnreadableFile(f"The workbook has no sheet “{sheet}”.")
    try:
        relations = archive.read("xl/_rels/workbook.xml.rels")
    except KeyError:
        raise UnreadableFile("The workbook is damaged: it does not say where its sheets are.")
    for tag in _RELATIONSHIP.findall(relations):
        attributes = _attributes(tag)
        if attributes.get("Id") == relation:
            target = attributes.get("Target", "")
            return target.lstrip("/") if target.startswith("/") else posixpath.normpath(f"xl/{target}")
    raise UnreadableFile(f"The workbook is damaged: sheet “{sheet}” has no part.")


def check_sheet(path: str | Path, sheet: str) -> None:
    """Refuse the sheet to import when it cannot be read as it looks: a formula without a stored value (one with
    a value is read as that value), merged cells, hidden rows, too many columns. Other sheets are not looked at.
    Raises UnreadableFile; the archive as a whole was checked by `inspect`."""
    try:
        archive = zipfile.ZipFile(path)
    except zipfile.BadZipFile:
        raise UnreadableFile("The file is not a readable spreadsheet: the .xlsx archive is damaged.")
    with archive:
        name = _sheet_part(archive, sheet)
        try:
            part = archive.open(name)
        except KeyError:
            raise UnreadableFile(f"The workbook is damaged: sheet “{sheet}” is missing.")
        with part:
            _scan_sheet(sheet, part)


def _scan_sheet(sheet: str, part) -> None:
    """Stream a sheet's XML, in chunks that overlap so a tag split between them is seen."""
    tail = b""
    first = True
    while chunk := part.read(1024 * 1024):
        data = tail + chunk
        if first and (match := _DIMENSION.search(data)) and _column_number(match.group(1)) > max_columns():
            raise UnreadableFile(f"The sheet “{sheet}” has more than {max_columns()} columns.")
        if _MERGED.search(data):
            raise UnreadableFile(f"The sheet “{sheet}” has merged cells: unmerge them so each row stands alone.")
        if _HIDDEN_ROW.search(data):
            raise UnreadableFile(
                f"The sheet “{sheet}” has hidden rows: show or delete them, so you import what you see."
            )
        carry = _check_formulas(sheet, data)
        first = False
        start = len(data) - 2048 if carry is None else min(carry, len(data) - 2048)
        tail = data[max(0, start) :]


#: how far before its formula a cell's opening tag may start, and after it the cell's end (a formula and a stored
#: text each hold at most 32,767 characters, escaped)
_CELL_OPENING_WINDOW = 1024
_CELL_CONTENT_WINDOW = 512 * 1024


def _check_formulas(sheet: str, data: bytes) -> int | None:
    """Refuse a formula cell without a stored value. Returns where to carry on from in the next chunk when the
    last formula cell is cut by the chunk's end."""
    checked = 0
    for formula in _FORMULA.finditer(data):
        position = formula.start()
        if position < checked:
            continue
        window = max(0, position - _CELL_OPENING_WINDOW)
        # the cell's opening tag: the last one before the formula
        opening = next(reversed(list(_CELL_OPENING.finditer(data, window, position))), None)
        closing = _CELL_CLOSING.search(data, position, position + _CELL_CONTENT_WINDOW)
        if closing is None:
            if len(data) - position < _CELL_CONTENT_WINDOW:
                return opening.start() if opening else window
            continue  # no cell around it: not a value the reader takes
        if opening is None:
            continue
        attributes, content = opening.group(1), data[opening.end() : closing.start()]
        if not _STORED_VALUE.search(content) and b't="str"' not in attributes:
            reference = _CELL_REFERENCE.search(attributes)
            where = f"cell {reference.group(1).decode()}" if reference else "a cell"
            raise UnreadableFile(
                f"Sheet “{sheet}”, {where} holds a formula without a stored value: open the file in Excel, "
                "save it, and upload it again."
            )
        checked = closing.end()
    return None


# --- csv ------------------------------------------------------------------------------------------------------


def _sniff_csv(path: Path) -> tuple[str, str]:
    with path.open("rb") as handle:
        sample = handle.read(SAMPLE_BYTES)
    if b"\x00" in sample and not sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise UnreadableFile("The file is not a spreadsheet or a CSV text file.")
    encoding = ""
    for candidate, bom in (
        ("utf-8-sig", codecs.BOM_UTF8),
        ("utf-16", codecs.BOM_UTF16_LE),
        ("utf-16", codecs.BOM_UTF16_BE),
    ):
        if sample.startswith(bom):
            encoding = candidate
            break
    if not encoding:
        try:
            # a cut multi-byte character at the end of the sample is not an error
            sample.decode("utf-8")
            encoding = "utf-8"
        except UnicodeDecodeError as error:
            encoding = "utf-8" if error.start >= len(sample) - 3 else "cp1252"
    text = sample.decode(encoding, errors="replace")
    lines = text.splitlines()[:50]
    if not lines:
        raise UnreadableFile("The file is empty.")
    try:
        delimiter = csv.Sniffer().sniff("\n".join(lines), delimiters=",;\t|").delimiter
    except csv.Error:
        delimiter = max(",;\t|", key=lambda d: lines[0].count(d)) if any(d in lines[0] for d in ",;\t|") else ","
    if lines[0].count(delimiter) + 1 > max_columns():
        raise UnreadableFile(f"The file has more than {max_columns()} columns.")
    return encoding, delimiter


# --- rows -----------------------------------------------------------------------------------------------------


def rows(path: str | Path, source: Source, sheet: str = "") -> Iterator[list]:
    """Every row of the file (the header first) as a list of cell values: str, int, float, bool, date or
    datetime from .xlsx; str from .csv. Rows are trimmed of empty trailing cells, so a blank row is an empty list
    (kept, so that row numbers stay those of the file)."""
    if source.kind == "xlsx":
        yield from _xlsx_rows(path, sheet or source.sheets[0])
    elif source.kind == "vcf":
        yield list(vcard.HEADERS)
        for cells, reason in vcard.cards(path, source.encoding):
            yield BadRow(cells, reason) if reason else cells
    else:
        yield from _csv_rows(path, source)


def _xlsx_rows(path, sheet: str) -> Iterator[list]:
    from python_calamine import CalamineWorkbook

    workbook = CalamineWorkbook.from_path(str(path))
    if sheet not in workbook.sheet_names:
        raise UnreadableFile(f"The workbook has no sheet “{sheet}”.")
    limit, cell_limit = max_columns(), max_cell_chars()
    for number, row in enumerate(workbook.get_sheet_by_name(sheet).iter_rows(), start=1):
        while row and row[-1] in ("", None):
            row.pop()
        if len(row) > limit:
            raise UnreadableFile(f"The sheet has more than {limit} columns.")
        _check_cells(row, number, cell_limit)
        yield row


def _csv_rows(path, source: Source) -> Iterator[list]:
    limit, cell_limit = max_columns(), max_cell_chars()
    # the file's size bounds a cell here; _check_cells then refuses a long one naming its row and column
    csv.field_size_limit(max(max_bytes(), cell_limit + 1))
    with open(path, encoding=source.encoding, errors="replace", newline="") as handle:
        try:
            for number, row in enumerate(csv.reader(handle, delimiter=source.delimiter), start=1):
                while row and not row[-1].strip():
                    row.pop()
                if len(row) > limit:
                    raise UnreadableFile(f"The file has more than {limit} columns.")
                _check_cells(row, number, cell_limit)
                yield row
        except csv.Error as error:
            raise UnreadableFile(f"The CSV file is malformed: {error}.")


def preview(path, source: Source, sheet: str = "", count: int = 6) -> list[list]:
    result = []
    for row in rows(path, source, sheet):
        if not row:
            continue
        result.append(row)
        if len(result) >= count:
            break
    return result


def as_text(value) -> str:
    """A cell as the user typed it: 12.0 -> "12", True -> "TRUE", None -> ""."""
    if type(value) is str:  # most cells: the checks below are for the others
        return unneutralise(value.strip())
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return unneutralise(str(value).strip())  # an exported "'+1 555" is the phone number +1 555


def check_cells(path, source: Source, sheet: str = "") -> None:
    """Read every row once, so that a cell over the limit is refused on upload, not on the mapping page or half
    way through the import. Raises UnreadableFile."""
    for _row in rows(path, source, sheet):
        pass


def count_rows(path, source: Source, sheet: str = "") -> int:
    """Data rows: the rows after the header (the first non-blank row), blank ones included, as row numbers go."""
    total, seen_header = 0, False
    for row in rows(path, source, sheet):
        if seen_header:
            total += 1
        seen_header = seen_header or bool(row)
    return total


__all__ = [
    "BadRow",
    "Source",
    "UnreadableFile",
    "as_text",
    "check_cells",
    "check_sheet",
    "count_rows",
    "inspect",
    "preview",
    "rows",
]

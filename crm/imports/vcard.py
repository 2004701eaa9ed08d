"""Reading vCard files (.vcf, versions 2.1, 3.0 and 4.0) as rows: one card a row, under a fixed header in the
style of an Outlook CSV export, so that the columns map to a contact's fields as such an export does.

The file is read a line at a time (memory stays flat): folded lines and quoted-printable soft line breaks are
joined, each value is decoded in the charset it declares (else the file's), and escapes are undone. A card that
cannot be read comes back with the reason, and the cards around it are read as usual.
"""

from __future__ import annotations

import base64
import binascii
import codecs
import datetime
import quopri
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings

HEADERS = (
    "First Name",
    "Middle Name",
    "Last Name",
    "Title",
    "Full Name",
    "Company",
    "Department",
    "Job Title",
    "E-mail Address",
    "E-mail 2 Address",
    "E-mail 3 Address",
    "Mobile Phone",
    "Home Phone",
    "Business Phone",
    "Business Fax",
    "Other Phone",
    "Home Street",
    "Home City",
    "Home State",
    "Home Postal Code",
    "Home Country/Region",
    "Business Street",
    "Business City",
    "Business State",
    "Business Postal Code",
    "Business Country/Region",
    "Web Page",
    "Birthday",
    "Birthday (day and month)",
    "Notes",
    "Photo",
)
COLUMN = {header: index for index, header in enumerate(HEADERS)}
EMAIL_COLUMNS = ("E-mail Address", "E-mail 2 Address", "E-mail 3 Address")
ADDRESS_PARTS = ("Street", "City", "State", "Postal Code", "Country/Region")

SAMPLE_BYTES = 64 * 1024
_BEGIN = re.compile(r"\s*BEGIN\s*:\s*VCARD\b", re.IGNORECASE)
_NAME = re.compile(rb"^(?:[A-Za-z0-9-]+\.)?[A-Za-z0-9-]+$")
#: 2.1 writes parameters bare (TEL;CELL;ENCODING is implied for these)
_ENCODINGS = {"QUOTED-PRINTABLE", "BASE64", "B", "8BIT", "7BIT"}
_IMAGE_TYPES = {"JPEG": "image/jpeg", "JPG": "image/jpeg", "PNG": "image/png", "GIF": "image/gif", "BMP": "image/bmp"}
_MAGIC = ((b"\xff\xd8", "image/jpeg"), (b"\x89PNG", "image/png"), (b"GIF8", "image/gif"), (b"BM", "image/bmp"))
_DATA_URI = re.compile(r"^data:([\w.+-]+/[\w.+-]+)?((?:;[^,;]*)*?);base64,(.*)$", re.IGNORECASE | re.DOTALL)
_DATE = re.compile(r"^(\d{4})-?(\d{2})-?(\d{2})(?:T.*)?$")
_YEARLESS = re.compile(r"^--(\d{2})-?(\d{2})$")


class BadCard(Exception):
    """This card cannot be read; the message says why, for the user."""


def sniff(path: str | Path) -> str:
    """The encoding of a vCard file ("utf-16", "utf-8-sig", "utf-8" or "cp1252"), or "" when it is no vCard."""
    with open(path, "rb") as handle:
        sample = handle.read(SAMPLE_BYTES)
    encoding = _encoding(sample)
    text = sample.decode(encoding.replace("-sig", ""), errors="replace").lstrip("\ufeff")
    return encoding if _BEGIN.match(text) else ""


def _encoding(sample: bytes) -> str:
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if sample.startswith(b"B\x00E\x00G\x00I\x00N\x00"):
        return "utf-16-le"
    if sample.startswith(b"\x00B\x00E\x00G\x00I\x00N"):
        return "utf-16-be"
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    try:
        sample.decode("utf-8")
    except UnicodeDecodeError as error:
        # a multi-byte character cut by the end of the sample is not an error
        return "utf-8" if error.start >= len(sample) - 3 else "cp1252"
    return "utf-8"


def max_line_bytes() -> int:
    """A logical line longer than this is not kept whole: a photo over the attachment limit, in base64."""
    return settings.ATTACHMENT_MAX_BYTES * 4 // 3 + 64 * 1024


# --- lines ----------------------------------------------------------------------------------------------------


def _raw_lines(path: str | Path, encoding: str) -> Iterator[bytes]:
    """The file's lines as bytes in an ASCII-compatible encoding: UTF-16 is re-encoded as UTF-8 on the way."""
    if encoding.startswith("utf-16"):
        with open(path, encoding=encoding, errors="replace", newline="") as handle:
            for line in handle:
                yield line.lstrip("\ufeff").encode("utf-8")
        return
    with open(path, "rb") as handle:
        first = True
        for line in handle:
            if first and line.startswith(codecs.BOM_UTF8):
                line = line[len(codecs.BOM_UTF8) :]
            first = False
            yield line


@dataclass
class Line:
    """A logical line: folded lines and quoted-printable soft breaks joined. `cut` when it was too long to keep."""

    data: bytes
    cut: bool = False


def _is_quoted_printable(head: bytes) -> bool:
    return b"QUOTED-PRINTABLE" in head.partition(b":")[0].upper()


def logical_lines(raw_lines: Iterable[bytes]) -> Iterator[Line]:
    limit = max_line_bytes()
    parts: list[bytes] = []
    size, cut, soft_break = 0, False, False
    for raw in raw_lines:
        line = raw.rstrip(b"\r\n")
        if parts and (soft_break or line[:1] in (b" ", b"\t")):
            piece = line if soft_break else line[1:]
            if size + len(piece) > limit:
                cut = True
            else:
                parts.append(piece)
                size += len(piece)
        else:
            if parts:
                yield Line(b"".join(parts), cut)
            parts, size, cut = [line], len(line), False
        # quoted-printable (2.1) breaks a long value with "=" at the line's end, the next line not indented
        soft_break = line.endswith(b"=") and _is_quoted_printable(parts[0])
        if soft_break:
            parts[-1] = parts[-1][:-1]
    if parts:
        yield Line(b"".join(parts), cut)


# --- properties -----------------------------------------------------------------------------------------------


@dataclass
class Property:
    group: str
    name: str
    types: set[str] = field(default_factory=set)
    params: dict[str, str] = field(default_factory=dict)
    raw: bytes = b""
    cut: bool = False

    @property
    def pref(self) -> bool:
        return "PREF" in self.types or "PREF" in self.params

    @property
    def encoding(self) -> str:
        return self.params.get("ENCODING", "").upper()


def _split_unquoted(data: bytes, separator: bytes) -> list[bytes]:
    parts, current, quoted = [], bytearray(), False
    for byte in data:
        char = bytes((byte,))
        if char == b'"':
            quoted = not quoted
        if char == separator and not quoted:
            parts.append(bytes(current))
            current = bytearray()
        else:
            current.append(byte)
    parts.append(bytes(current))
    return parts


def parse_property(line: Line) -> Property:
    """`[group.]NAME[;PARAM...]:value`. Raises BadCard for a line that is none."""
    head, colon, value = line.data.partition(b":")
    if b'"' in head:  # a quoted parameter value may hold a colon (4.0)
        head, colon, value = _head_with_quotes(line.data)
    if not colon:
        pieces = [b""]
    else:
        pieces = _split_unquoted(head, b";") if b'"' in head else head.split(b";")
    name = pieces[0].strip()
    if not colon or not _NAME.match(name):
        shown = line.data[:40].decode("utf-8", "replace")
        raise BadCard(f"A line of the card is not a vCard property: “{shown}”.")
    group, _, name = name.decode("ascii").upper().rpartition(".")
    result = Property(group=group, name=name, raw=value, cut=line.cut)
    for piece in pieces[1:]:
        key, equals, param = piece.decode("latin-1").partition("=")
        key = key.strip().upper()
        if not equals:  # 2.1: a bare value
            key, param = ("ENCODING", key) if key in _ENCODINGS else ("TYPE", key)
        values = [v.strip().strip('"') for v in param.split(",")]
        if key == "TYPE":
            result.types.update(v.upper() for v in values if v)
        else:
            result.params[key] = ",".join(values)
    return result


def _head_with_quotes(data: bytes) -> tuple[bytes, bytes, bytes]:
    quoted = False
    for index, byte in enumerate(data):
        if byte == 0x22:
            quoted = not quoted
        elif byte == 0x3A and not quoted:
            return data[:index], b":", data[index + 1 :]
    return data, b"", b""


def _decode(prop: Property, default_charset: str) -> str:
    """The property's value as text: quoted-printable undone, in its declared charset (else the file's).

    `default_charset` "utf-16" is a UTF-16 file, whose lines were re-encoded as UTF-8: a CHARSET it declares
    holds only for the bytes of a quoted-printable value."""
    data = prop.raw
    quoted = prop.encoding in ("QUOTED-PRINTABLE", "QP")
    if quoted:
        data = quopri.decodestring(data)
    declared = prop.params.get("CHARSET") if quoted or default_charset != "utf-16" else None
    for charset in (declared, default_charset.replace("utf-16", "utf-8"), "utf-8"):
        if not charset:
            continue
        try:
            return data.decode(charset)
        except (LookupError, UnicodeDecodeError):
            continue
    return data.decode("cp1252", errors="replace")


_ESCAPE = re.compile(r"\\(.)", re.DOTALL)
_UNESCAPED_SEMICOLON = re.compile(r"(?<!\\);")
_WHITESPACE = re.compile(rb"\s+")


def unescape(text: str) -> str:
    r"""\\ \; \, \n as the text they stand for."""
    if "\\" not in text:
        return text
    return _ESCAPE.sub(lambda m: "\n" if m.group(1) in "nN" else m.group(1), text)


def components(text: str) -> list[str]:
    """A structured value (N, ADR, ORG) split on its unescaped semicolons, each part unescaped."""
    if "\\" not in text:
        return [part.strip() for part in text.split(";")]
    parts = _UNESCAPED_SEMICOLON.split(text.replace("\\\\", "\0"))
    return [unescape(part.replace("\0", "\\\\")).strip() for part in parts]


# --- cards ----------------------------------------------------------------------------------------------------


def cards(path: str | Path, encoding: str) -> Iterator[tuple[list[str], str]]:
    """(cells under HEADERS, "") for each card read, (what was read, the reason) for a card that cannot be."""
    charset = "utf-16" if encoding.startswith("utf-16") else encoding.removesuffix("-sig")
    lines: list[Line] | None = None
    for line in logical_lines(_raw_lines(path, encoding)):
        text = line.data.strip()
        if not text:
            continue
        upper = text.upper()
        if upper.startswith(b"BEGIN:VCARD"):
            if lines is not None:
                yield _broken(lines, charset, "The card has no END:VCARD line.")
            lines = []
        elif upper.startswith(b"END:VCARD") and lines is not None:
            yield _card(lines, charset)
            lines = None
        elif lines is not None:
            lines.append(line)
    if lines is not None:
        yield _broken(lines, charset, "The card has no END:VCARD line: the file may be cut short.")


def _card(lines: list[Line], charset: str) -> tuple[list[str], str]:
    try:
        return Card(charset).read(lines).cells(), ""
    except BadCard as error:
        return _broken(lines, charset, str(error))


def _broken(lines: list[Line], charset: str, reason: str) -> tuple[list[str], str]:
    """What can be read of a card refused: its names, for the user to know which card it was."""
    card = Card(charset)
    for line in lines:
        try:
            prop = parse_property(line)
        except BadCard:
            continue
        if prop.name in ("N", "FN", "EMAIL"):
            try:
                card.add(prop)
            except BadCard:
                continue
    card.place()
    return card.cells(), reason


class Card:
    """The cells of one card, filled property by property."""

    def __init__(self, charset: str):
        self.charset = charset
        self.values = [""] * len(HEADERS)
        self.emails: list[tuple[bool, str]] = []
        self.phones: list[Property] = []
        self.addresses: list[Property] = []
        self.labels: dict[str, str] = {}  # Apple's item1.X-ABLabel names the type of item1.TEL

    def read(self, lines: list[Line]) -> Card:
        properties = [parse_property(line) for line in lines]
        self.labels = {
            p.group: _decode(p, self.charset).strip("_$!<>").upper() for p in properties if p.name == "X-ABLABEL"
        }
        for prop in properties:
            self.add(prop)
        self.place()
        if not any(self.values):
            raise BadCard("The card is empty: no name, e-mail or phone.")
        return self

    def set(self, header: str, value: str) -> None:
        if value and not self.values[COLUMN[header]]:
            self.values[COLUMN[header]] = value.strip()

    def add(self, prop: Property) -> None:
        if prop.group in self.labels and not prop.types - {"PREF", "INTERNET", "VOICE"}:
            prop.types.add(self.labels[prop.group])
        name = prop.name
        if name == "PHOTO":
            self.set("Photo", photo(prop, self.charset))
            return
        if name not in ("N", "FN", "ORG", "TITLE", "EMAIL", "TEL", "ADR", "URL", "BDAY", "NOTE"):
            return
        text = _decode(prop, self.charset)
        if name == "N":
            family, given, middle, prefix = ([*components(text), "", "", "", ""])[:4]
            self.set("Last Name", family)
            self.set("First Name", given)
            self.set("Middle Name", middle)
            self.set("Title", prefix)
        elif name == "FN":
            self.set("Full Name", unescape(text))
        elif name == "ORG":
            company, department = ([*components(text), ""])[:2]
            self.set("Company", company)
            self.set("Department", department)
        elif name == "TITLE":
            self.set("Job Title", unescape(text))
        elif name == "EMAIL":
            address = unescape(text).strip().removeprefix("mailto:")
            if address:
                self.emails.append((prop.pref, address))
        elif name == "TEL":
            prop.params["VALUE"] = unescape(text).strip().removeprefix("tel:")
            if prop.params["VALUE"]:
                self.phones.append(prop)
        elif name == "ADR":
            prop.params["VALUE"] = text
            self.addresses.append(prop)
        elif name == "URL":
            self.set("Web Page", unescape(text))
        elif name == "BDAY":
            self._birthday(prop, unescape(text).strip())
        elif name == "NOTE":
            note = unescape(text).strip()
            current = self.values[COLUMN["Notes"]]
            self.values[COLUMN["Notes"]] = f"{current}\n{note}" if current and note else current or note

    def _birthday(self, prop: Property, text: str) -> None:
        omitted_year = prop.params.get("X-APPLE-OMIT-YEAR", "")  # Apple writes a year-less birthday as 1604-04-15
        if match := _DATE.match(text):
            year, month, day = match.groups()
            if year == omitted_year:
                text = f"--{month}{day}"
            else:
                try:
                    self.set("Birthday", datetime.date(int(year), int(month), int(day)).isoformat())
                except ValueError:
                    self.set("Birthday", text)  # the value's check refuses it with its reason
                return
        if match := _YEARLESS.match(text):
            self.set("Birthday (day and month)", f"--{match.group(1)}-{match.group(2)}")
        elif text:
            self.set("Birthday", text)

    def place(self) -> None:
        """E-mails, phones and addresses into their columns by type, the preferred ones first."""
        free = [h for h in EMAIL_COLUMNS if not self.values[COLUMN[h]]]
        for (_, address), header in zip(sorted(self.emails, key=lambda e: not e[0]), free, strict=False):
            self.set(header, address)
        only = len(self.phones) == 1
        for prop in sorted(self.phones, key=lambda p: not p.pref):
            header = _phone_column(prop.types, only)
            if self.values[COLUMN[header]]:
                header = "Other Phone"
            self.set(header, prop.params["VALUE"])
        for prop in sorted(self.addresses, key=lambda p: not p.pref):
            kind = "Business" if "WORK" in prop.types else "Home"
            if self.values[COLUMN[f"{kind} Street"]] or self.values[COLUMN[f"{kind} City"]]:
                if prop.types & {"HOME", "WORK"}:
                    continue
                kind = "Business"
            pobox, extended, street, city, region, postcode, country = ([*components(prop.params["VALUE"])] + [""] * 7)[
                :7
            ]
            for part, value in zip(
                ADDRESS_PARTS,
                (", ".join(v for v in (street, extended, pobox) if v), city, region, postcode, country),
                strict=True,
            ):
                self.set(f"{kind} {part}", value)

    def cells(self) -> list[str]:
        values = list(self.values)
        while values and not values[-1]:
            values.pop()
        return values


def _phone_column(types: set[str], only: bool) -> str:
    if types & {"FAX"}:
        return "Business Fax"
    if types & {"CELL", "MOBILE", "IPHONE"}:
        return "Mobile Phone"
    if "HOME" in types:
        return "Home Phone"
    if "WORK" in types:
        return "Business Phone"
    return "Mobile Phone" if only and not types - {"PREF", "VOICE"} else "Other Phone"


def photo(prop: Property, charset: str) -> str:
    """An inline photo as a data: URI; "" for a remote one (never fetched) or one over the attachment limit (the
    contact is imported without it; the import stores the photo as an attachment, within the same limits)."""
    if prop.cut:
        return ""
    if prop.encoding in ("BASE64", "B"):
        data, media = prop.raw, ""
        media = _IMAGE_TYPES.get(next((t for t in prop.types if t in _IMAGE_TYPES), ""), "")
    else:
        value = _decode(prop, charset).strip()
        match = _DATA_URI.match(value)
        if not match:
            return ""  # a URL: we never fetch
        media, data = (match.group(1) or "").lower(), match.group(3).encode("ascii", "replace")
    try:
        content = base64.b64decode(_WHITESPACE.sub(b"", data), validate=True)
    except (binascii.Error, ValueError):
        raise BadCard("The card's photo is not valid base64: the card may be damaged.")
    if not content or len(content) > settings.ATTACHMENT_MAX_BYTES:
        return ""
    media = next((kind for magic, kind in _MAGIC if content.startswith(magic)), media or "image/jpeg")
    return f"data:{media};base64,{base64.b64encode(content).decode('ascii')}"

"""vCard files: writing vCard 3.0 (RFC 2426) and reading vCard 2.1, 3.0 and 4.0 (RFC 6350), with no dependency.

Writing escapes text values and folds lines at 75 octets. Reading unfolds lines, parses parameters and structured
values, and refuses what is not a vCard or is built to hurt (too big, too many cards or properties, binary or
malformed content) with a message that names the line. This module knows the format only; creating contacts
from parsed cards is `contacts.services.import_vcards`.
"""

from __future__ import annotations

import datetime
import quopri
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

MAX_BYTES = 2 * 1024 * 1024
MAX_CARDS = 500
MAX_PROPERTIES = 300
MAX_LINE = 20_000
FOLD_AT = 75
VERSIONS = ("2.1", "3.0", "4.0")
_NAME = re.compile(r"^[A-Za-z0-9-]+$")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class VCardError(ValueError):
    """The file is not a vCard we can read; the message says why and where."""

    def __init__(self, message: str, line: int | None = None):
        self.line = line
        super().__init__(f"Line {line}: {message}" if line else message)


# --- writing ----------------------------------------------------------------------------------------------


def escape(text: str) -> str:
    """A text value with backslash, comma, semicolon and line breaks escaped."""
    text = (text or "").replace("\\", "\\\\").replace(",", "\\,").replace(";", "\\;")
    return text.replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n")


def fold(line: str) -> str:
    """Fold a content line into lines of at most 75 octets, never inside a UTF-8 character."""
    encoded = line.encode()
    if len(encoded) <= FOLD_AT:
        return line
    pieces, current, limit = [], b"", FOLD_AT
    for char in line:
        octets = char.encode()
        if len(current) + len(octets) > limit:
            pieces.append(current.decode())
            current, limit = b"", FOLD_AT - 1  # continuation lines start with a space
        current += octets
    pieces.append(current.decode())
    return "\r\n ".join(pieces)


def content_line(name: str, value: str, types: Iterable[str] = ()) -> str:
    types = [t for t in types if t]
    params = f";TYPE={','.join(types)}" if types else ""
    return fold(f"{name}{params}:{value}")


@dataclass
class Option:
    """A communication option as a vCard sees it: what it is (kind and our type name), its value and primacy."""

    kind: str
    type_name: str
    value: str
    preferred: bool = False


@dataclass
class Address:
    type_name: str = ""
    street: str = ""
    city: str = ""
    region: str = ""
    zip_code: str = ""
    country: str = ""
    preferred: bool = False


@dataclass
class Card:
    """One person as read from, or written to, a vCard."""

    full_name: str = ""
    surname: str = ""
    given_name: str = ""
    middle_name: str = ""
    prefix: str = ""
    organisation: str = ""
    department: str = ""
    title: str = ""
    note: str = ""
    birthday: datetime.date | None = None
    options: list[Option] = field(default_factory=list)
    addresses: list[Address] = field(default_factory=list)
    line: int = 0


PHONE_TYPES = {"Mobile phone": "CELL", "Home phone": "HOME,VOICE", "Business phone": "WORK,VOICE", "Fax": "FAX"}
ADDRESS_TYPES = {"Home": "HOME", "Work": "WORK"}


def _option_line(option: Option) -> str | None:
    preferred = ["PREF"] if option.preferred else []
    if option.kind == "email":
        return content_line("EMAIL", escape(option.value), ["INTERNET", *preferred])
    if option.kind == "phone":
        return content_line("TEL", escape(option.value), [PHONE_TYPES.get(option.type_name, "VOICE"), *preferred])
    if option.kind == "web":
        return content_line("URL", escape(option.value))
    if option.kind == "skype":
        return content_line("X-SKYPE", escape(option.value))
    if option.kind == "social":
        return content_line("X-SOCIALPROFILE", escape(option.value), [re.sub(r"[^A-Za-z0-9-]", "", option.type_name)])
    return None


def render_card(card: Card) -> str:
    lines = ["BEGIN:VCARD", "VERSION:3.0", "PRODID:-//OpenCRM//Contacts//EN"]
    name = [card.surname, card.given_name, card.middle_name, card.prefix, ""]
    lines.append(fold("N:" + ";".join(escape(part) for part in name)))
    lines.append(fold(f"FN:{escape(card.full_name)}"))
    if card.organisation or card.department:
        department = f";{escape(card.department)}" if card.department else ""
        lines.append(fold(f"ORG:{escape(card.organisation)}{department}"))
    if card.title:
        lines.append(fold(f"TITLE:{escape(card.title)}"))
    for option in card.options:
        line = _option_line(option)
        if line:
            lines.append(line)
    for address in card.addresses:
        parts = ["", "", address.street, address.city, address.region, address.zip_code, address.country]
        types = [ADDRESS_TYPES.get(address.type_name, ""), "PREF" if address.preferred else ""]
        lines.append(content_line("ADR", ";".join(escape(p) for p in parts), types))
    if card.birthday:
        lines.append(f"BDAY:{card.birthday.isoformat()}")
    if card.note:
        lines.append(fold(f"NOTE:{escape(card.note)}"))
    lines.append("END:VCARD")
    return "\r\n".join(lines) + "\r\n"


def render(cards: Iterable[Card]) -> str:
    return "".join(render_card(card) for card in cards)


# --- reading ----------------------------------------------------------------------------------------------


@dataclass
class Property:
    name: str
    params: dict[str, list[str]]
    value: str
    line: int

    @property
    def types(self) -> set[str]:
        return {t.upper() for t in self.params.get("TYPE", [])}

    @property
    def preferred(self) -> bool:
        return "PREF" in self.types or "PREF" in self.params

    def text(self) -> str:
        return unescape(self.value)

    def parts(self) -> list[str]:
        return [unescape(part) for part in split_unescaped(self.value, ";")]


def unescape(value: str) -> str:
    out, chars = [], iter(value)
    for char in chars:
        if char == "\\":
            following = next(chars, "")
            out.append("\n" if following in ("n", "N") else following)
        else:
            out.append(char)
    return "".join(out)


def split_unescaped(value: str, separator: str) -> list[str]:
    parts, current, escaped = [], [], False
    for char in value:
        if escaped:
            current.append("\\" + char)
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == separator:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    parts.append("".join(current))
    return parts


def _decode(data: bytes | str) -> str:
    if isinstance(data, str):
        text = data
        if len(text.encode()) > MAX_BYTES:
            raise VCardError(f"The file is larger than {MAX_BYTES // 1024 // 1024} MB.")
    else:
        if len(data) > MAX_BYTES:
            raise VCardError(f"The file is larger than {MAX_BYTES // 1024 // 1024} MB.")
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise VCardError("The file is not UTF-8 text: export the vCards again as UTF-8.")
    if _CONTROL.search(text):
        raise VCardError("The file holds binary data; it is not a vCard.")
    return text


def logical_lines(text: str) -> list[tuple[int, str]]:
    """Unfold the physical lines (a line starting with a space or tab continues the one before; a quoted-printable
    line ending with "=" runs on) into (first line number, content line)."""
    result: list[tuple[int, str]] = []
    soft_break = False
    for number, raw in enumerate(re.split(r"\r\n|\n|\r", text), start=1):
        if result and (soft_break or raw[:1] in (" ", "\t")):
            start, previous = result[-1]
            addition = raw if soft_break else raw[1:]
            result[-1] = (start, previous + addition)
        elif raw.strip():
            result.append((number, raw))
        else:
            soft_break = False
            continue
        start, current = result[-1]
        if len(current) > MAX_LINE:
            raise VCardError("A line is too long.", start)
        soft_break = "QUOTED-PRINTABLE" in current.split(":", 1)[0].upper() and current.endswith("=")
        if soft_break:
            result[-1] = (start, current[:-1])
    return result


def parse_line(number: int, line: str) -> Property:
    """NAME;PARAM=a,b;BARE:value (a group prefix such as item1. is dropped)."""
    head, quoted, colon = [], False, -1
    for index, char in enumerate(line):
        if char == '"':
            quoted = not quoted
        elif char == ":" and not quoted:
            colon = index
            break
        head.append(char)
    if colon < 0:
        raise VCardError(f"“{line[:40]}” is not a vCard property (NAME:value).", number)
    pieces = split_unescaped("".join(head), ";")
    name = pieces[0].split(".")[-1].upper()
    if not _NAME.match(name):
        raise VCardError(f"“{pieces[0][:40]}” is not a property name.", number)
    params: dict[str, list[str]] = {}
    for piece in pieces[1:]:
        key, has_value, values = piece.partition("=")
        key = key.strip().upper()
        if not has_value:  # vCard 2.1: TEL;CELL;PREF:...
            params.setdefault("TYPE", []).append(key)
            continue
        params.setdefault(key, []).extend(v.strip().strip('"') for v in values.split(",") if v.strip())
    value = line[colon + 1 :]
    if "QUOTED-PRINTABLE" in {v.upper() for v in params.get("ENCODING", [])}:
        charset = (params.get("CHARSET") or ["utf-8"])[0]
        try:
            value = quopri.decodestring(value.encode()).decode(charset)
        except (LookupError, UnicodeDecodeError):
            raise VCardError("The quoted-printable value cannot be decoded.", number)
    return Property(name=name, params=params, value=value, line=number)


def parse_date(prop: Property) -> datetime.date:
    text = prop.text().strip()
    digits = text.split("T")[0].replace("-", "")
    if len(digits) == 8 and digits.isdigit():
        try:
            return datetime.date(int(digits[:4]), int(digits[4:6]), int(digits[6:8]))
        except ValueError:
            pass
    raise VCardError(f"The birthday “{text[:40]}” is not a date (YYYY-MM-DD).", prop.line)


def _card_from(properties: list[Property], start: int) -> Card:
    card = Card(line=start)
    version = next((p.text().strip() for p in properties if p.name == "VERSION"), "")
    if version not in VERSIONS:
        raise VCardError(f"Unsupported vCard version “{version[:10] or 'none'}”: use 2.1, 3.0 or 4.0.", start)
    for prop in properties:
        if prop.name == "FN":
            card.full_name = " ".join(prop.text().split())
        elif prop.name == "N":
            parts = [" ".join(p.split()) for p in prop.parts()] + [""] * 5
            card.surname, card.given_name, card.middle_name, card.prefix = parts[:4]
        elif prop.name == "ORG":
            parts = prop.parts() + [""]
            card.organisation, card.department = parts[0].strip(), parts[1].strip()
        elif prop.name == "TITLE":
            card.title = prop.text().strip()
        elif prop.name == "NOTE":
            card.note = prop.text().strip()
        elif prop.name == "BDAY":
            card.birthday = parse_date(prop)
        elif prop.name == "EMAIL":
            card.options.append(Option("email", "Email", prop.text().strip().removeprefix("mailto:"), prop.preferred))
        elif prop.name == "TEL":
            types = prop.types
            kind = next((name for name, code in PHONE_TYPES.items() if code.split(",")[0] in types), "Business phone")
            value = prop.text().strip().removeprefix("tel:")
            card.options.append(Option("phone", kind, value, prop.preferred))
        elif prop.name == "URL":
            card.options.append(Option("web", "Web", prop.text().strip(), prop.preferred))
        elif prop.name == "X-SKYPE" or (prop.name == "IMPP" and prop.text().lower().startswith("skype:")):
            card.options.append(Option("skype", "Skype", prop.text().strip().removeprefix("skype:"), prop.preferred))
        elif prop.name == "X-SOCIALPROFILE":
            network = next(iter(prop.params.get("TYPE", [])), "")
            card.options.append(Option("social", network, prop.text().strip(), prop.preferred))
        elif prop.name == "ADR":
            parts = [" ".join(p.split()) for p in prop.parts()] + [""] * 7
            extended, street = parts[1], parts[2]
            type_name = "Home" if "HOME" in prop.types else "Work"
            card.addresses.append(
                Address(
                    type_name=type_name,
                    street=", ".join(p for p in (street, extended) if p),
                    city=parts[3],
                    region=parts[4],
                    zip_code=parts[5],
                    country=parts[6],
                    preferred=prop.preferred,
                )
            )
    if not card.full_name and not (card.given_name or card.surname):
        raise VCardError("The card has no name (FN or N).", start)
    return card


def parse(data: bytes | str) -> list[Card]:
    """All cards of a .vcf file, or VCardError for the first problem found."""
    cards: list[Card] = []
    properties: list[Property] | None = None
    start = 0
    for number, line in logical_lines(_decode(data)):
        prop = parse_line(number, line)
        if prop.name == "BEGIN":
            if prop.text().strip().upper() != "VCARD":
                raise VCardError(f"Unexpected BEGIN:{prop.text()[:20]}.", number)
            if properties is not None:
                raise VCardError("A card begins inside another card (END:VCARD missing).", number)
            if len(cards) >= MAX_CARDS:
                raise VCardError(f"The file holds more than {MAX_CARDS} cards; split it.", number)
            properties, start = [], number
        elif prop.name == "END":
            if properties is None or prop.text().strip().upper() != "VCARD":
                raise VCardError("END without a matching BEGIN:VCARD.", number)
            cards.append(_card_from(properties, start))
            properties = None
        elif properties is None:
            raise VCardError("Content outside BEGIN:VCARD … END:VCARD.", number)
        else:
            if len(properties) >= MAX_PROPERTIES:
                raise VCardError(f"The card has more than {MAX_PROPERTIES} properties.", start)
            properties.append(prop)
    if properties is not None:
        raise VCardError("The last card is not closed with END:VCARD.", start)
    if not cards:
        raise VCardError("The file holds no vCard (BEGIN:VCARD … END:VCARD).")
    return cards

"""Values as files write them: dates in ISO, ISO basic, day-first and month-first forms, spreadsheet serials and
date-times with offsets; numbers with thousands separators, decimal commas, currencies and percent signs; the
yes/no words of several languages. Each parser returns the value or raises `ValueError` with no message (the
converter says what was expected)."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal, InvalidOperation

from django.conf import settings

#: how a date whose day and month could be swapped (03/04/2026) is read
DATE_ORDERS = ("dmy", "mdy", "ymd")
EXCEL_EPOCH = datetime.date(1899, 12, 30)
#: an 8-digit number in this range is a date written YYYYMMDD, not a spreadsheet serial
ISO_BASIC_RANGE = (18000101, 21001231)

TRUE = frozenset(
    {"1", "yes", "y", "true", "t", "x", "on", "checked", "✓", "✔", "ja", "j", "oui", "si", "sí", "да", "tak", "sim"}
)
FALSE = frozenset({"0", "no", "n", "false", "f", "off", "unchecked", "nein", "non", "нет", "nie", "não", "nao"})

MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}
_NUMERIC_DATE = re.compile(r"^(\d{1,4})([./-])(\d{1,2})\2(\d{1,4})$")
_ISO_BASIC = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_DAY_MONTH_YEAR = re.compile(r"^(?:[a-z]+,?\s+)?(\d{1,2})\.?[\s-]+([a-z]+)\.?,?[\s-]+(\d{2,4})$")  # 29 Nov 2026
_MONTH_DAY_YEAR = re.compile(r"^(?:[a-z]+,?\s+)?([a-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})$")  # Nov 29, 2026
_TIME = re.compile(
    r"^(?P<date>.+?)(?:[T\s]+(?P<hour>\d{1,2}):(?P<minute>\d{2})(?::(?P<second>\d{2})(?:[.,](?P<fraction>\d{1,6})\d*)?)?"
    r"\s*(?P<half>[ap]\.?m\.?)?\s*(?P<zone>z|utc|gmt|[+-]\d{2}(?::?\d{2})?)?)$",
    re.IGNORECASE,
)


def default_date_order() -> str:
    """IMPORT_DATE_ORDER, else what the installation's language writes: month first in US English, day first
    elsewhere."""
    order = getattr(settings, "IMPORT_DATE_ORDER", "")
    if order in DATE_ORDERS:
        return order
    return "mdy" if settings.LANGUAGE_CODE.lower() == "en-us" else "dmy"


def date_examples(order: str) -> str:
    """The forms accepted, for a refusal message."""
    slashed = "11/29/2026" if order == "mdy" else "29/11/2026"
    return f"2026-11-29, 20261129, 29.11.2026, {slashed} or 29 Nov 2026"


def _is_number(cell) -> bool:
    return isinstance(cell, (int, float, Decimal)) and not isinstance(cell, bool)


def _iso_basic(number) -> datetime.date | None:
    if number != int(number) or not ISO_BASIC_RANGE[0] <= number <= ISO_BASIC_RANGE[1]:
        return None
    match = _ISO_BASIC.match(str(int(number)))
    try:
        return datetime.date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return None


def _year(text: str) -> int:
    year = int(text)
    if len(text) == 2:  # as strptime's %y: 69-99 the 1900s, 00-68 the 2000s
        return year + (1900 if year >= 69 else 2000)
    if len(text) != 4:
        raise ValueError
    return year


def parse_date(cell, text: str, order: str) -> datetime.date:
    """A date from a cell: a date the reader gives, an 8-digit number YYYYMMDD, a spreadsheet serial, or text."""
    if isinstance(cell, datetime.datetime):
        return cell.date()
    if isinstance(cell, datetime.date):
        return cell
    if _is_number(cell):
        iso = _iso_basic(cell)
        if iso is not None:
            return iso
        if 1 < cell < 200000:
            return EXCEL_EPOCH + datetime.timedelta(days=int(cell))
        raise ValueError
    match = _TIME.match(text.strip())
    if match:  # a date with a time of day: the date as written
        text = match["date"]
    return _date_text(text.strip().casefold(), order)


def _date_text(text: str, order: str) -> datetime.date:
    match = _ISO_BASIC.match(text)
    if match:
        date = _iso_basic(int(text))
        if date is None:
            raise ValueError
        return date
    match = _NUMERIC_DATE.match(text)
    if match:
        first, separator, second, third = match.groups()
        if len(first) == 4:  # 2026-11-29, 2026/11/29
            return datetime.date(int(first), int(second), int(third))
        if order == "ymd" and len(first) == 2 and len(third) == 2 and separator != ".":  # 26/11/29
            return datetime.date(_year(first), int(second), int(third))
        year, a, b = _year(third), int(first), int(second)
        # dots are written day first; slashes and dashes by the order, unless only one reading is a date
        month_first = order == "mdy" and separator != "."
        if month_first and a > 12 >= b:
            month_first = False
        elif not month_first and b > 12 >= a:
            month_first = True
        return datetime.date(year, a, b) if month_first else datetime.date(year, b, a)
    match = _DAY_MONTH_YEAR.match(text)
    if match and match[2] in MONTHS:
        return datetime.date(_year(match[3]), MONTHS[match[2]], int(match[1]))
    match = _MONTH_DAY_YEAR.match(text)
    if match and match[1] in MONTHS:
        return datetime.date(int(match[3]), MONTHS[match[1]], int(match[2]))
    raise ValueError


def parse_datetime(cell, text: str, order: str) -> datetime.datetime:
    """A date-time: naive unless the file gives an offset ("+01:00", "Z"); a date alone is its midnight."""
    if isinstance(cell, datetime.datetime):
        return cell
    if isinstance(cell, datetime.date):
        return datetime.datetime.combine(cell, datetime.time())
    if _is_number(cell):
        if _iso_basic(cell) is None and 1 < cell < 200000:  # a serial: days, and the time as a fraction of one
            return datetime.datetime.combine(EXCEL_EPOCH, datetime.time()) + datetime.timedelta(days=float(cell))
        return datetime.datetime.combine(parse_date(cell, text, order), datetime.time())
    text = text.strip()
    match = _TIME.match(text)
    if not match:
        return datetime.datetime.combine(_date_text(text.casefold(), order), datetime.time())
    date = _date_text(match["date"].strip().casefold(), order)
    hour = int(match["hour"])
    if match["half"]:
        if not 1 <= hour <= 12:
            raise ValueError
        hour = hour % 12 + (12 if match["half"].lower().startswith("p") else 0)
    fraction = (match["fraction"] or "").ljust(6, "0")
    value = datetime.datetime.combine(
        date, datetime.time(hour, int(match["minute"]), int(match["second"] or 0), int(fraction or 0))
    )
    zone = (match["zone"] or "").lower()
    if zone in ("z", "utc", "gmt"):
        return value.replace(tzinfo=datetime.UTC)
    if zone:
        digits = zone[1:].replace(":", "").ljust(4, "0")
        offset = datetime.timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))
        return value.replace(tzinfo=datetime.timezone(offset if zone[0] == "+" else -offset))
    return value


#: spaces and apostrophes that group thousands: space, no-break space, narrow no-break and thin spaces, ' and ’
_GROUPING = re.compile(r"[\s\u00a0\u202f\u2009'’]")
_SYMBOLS = "[$€£¥₽₹₩₺₴₪฿₫₦₱¢]"
#: a currency symbol ("€", "US$") or code ("EUR", "zł") before or after the number
_CURRENCY = re.compile(
    rf"^(?:[a-z]{{0,3}}{_SYMBOLS}|[a-zł]{{2,3}}\.?(?![a-z]))|(?:{_SYMBOLS}|(?<![a-z])[a-zł]{{2,3}}\.?)$"
)


def parse_number(text: str, *, whole: bool = False) -> Decimal:
    """A number as files write it: "1,234.56", "1.234,56", "1 234,56", "1'234.56", "€ 1.234,50", "1 234,50 EUR",
    "(1,234.00)" (negative), "-5", "15%" (15). A separator met once is the decimal point ("1.5", "1,5"), except
    that for a whole number (`whole`) a comma followed by exactly three digits groups thousands ("1,234");
    repeated ("1,234,567") or beside the other one ("1.234,56") it groups thousands."""
    value = text.strip().casefold()
    negative = False
    if value.startswith("(") and value.endswith(")"):
        negative, value = True, value[1:-1].strip()
    value = value.removesuffix("%").strip()
    for _ in range(2):  # a currency and a sign, in either order, either side
        value = _CURRENCY.sub("", value).strip()
        if value[:1] in ("-", "−", "+") or value[-1:] in ("-", "−"):
            sign = value[0] if value[:1] in ("-", "−", "+") else value[-1]
            negative = negative or sign != "+"
            value = (value[1:] if value[:1] == sign else value[:-1]).strip()
    value = _GROUPING.sub("", value)
    if re.fullmatch(r"[0-9]+(?:\.[0-9]+)?e[+-]?[0-9]+", value):  # 1.5E+06, as spreadsheets write large numbers
        number = Decimal(value)
        return -number if negative else number
    if not re.fullmatch(r"[0-9]+(?:[.,][0-9]+)*|[0-9]*[.,][0-9]+", value):
        raise ValueError
    dots, commas = value.count("."), value.count(",")
    if dots and commas:
        decimal = "." if value.rfind(".") > value.rfind(",") else ","
        grouping = "," if decimal == "." else "."
        whole_part, _, fraction = value.rpartition(decimal)
        if whole_part.count(decimal) or fraction.count(grouping):
            raise ValueError
        value = _ungrouped(whole_part, grouping) + "." + fraction
    elif dots > 1 or commas > 1:
        value = _ungrouped(value, "." if dots else ",")
    elif commas and whole and re.fullmatch(r"[0-9]{1,3},[0-9]{3}", value):
        value = value.replace(",", "")
    else:
        value = value.replace(",", ".")
    try:
        number = Decimal(value)
    except InvalidOperation:
        raise ValueError
    return -number if negative else number


def _ungrouped(value: str, grouping: str) -> str:
    """Digits grouped by thousands ("1,234,567") without their separators; anything else is no number."""
    groups = value.split(grouping)
    if not 1 <= len(groups[0]) <= 3 or any(len(group) != 3 for group in groups[1:]):
        raise ValueError
    return "".join(groups)


def parse_boolean(text: str) -> bool:
    lowered = text.strip().casefold()
    if lowered in TRUE:
        return True
    if lowered in FALSE:
        return False
    raise ValueError

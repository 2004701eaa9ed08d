"""How values are standardised before they are compared: one function per kind of value, and the blocking keys
that let fuzzy comparison look only at records sharing a key (near-linear work, not quadratic)."""

from __future__ import annotations

import datetime
import re

import phonenumbers
from django.conf import settings
from django.db import models
from unidecode import unidecode


class Kind(models.TextChoices):
    """What a compared value is; it decides its normalisation, blocking keys and similarity measure."""

    TEXT = "text", "Text"
    NAME = "name", "Person's name (any order)"
    COMPANY = "company", "Organisation's name (any order, legal form ignored)"
    EMAIL = "email", "Email"
    PHONE = "phone", "Phone"
    WEB = "web", "Web site (domain)"
    DATE = "date", "Date (day and month swapped or one digit off count as similar)"
    YEAR = "year", "Year of a date"


_NOT_WORD = re.compile(r"[^a-z0-9]+")
_NOT_ALNUM = re.compile(r"[^a-z0-9]")
#: legal forms and filler words that do not tell two organisations apart
LEGAL_FORMS = frozenset(
    "ltd limited inc incorporated llc llp plc corp corporation co company gmbh ag sa sas sarl srl spa bv nv oy ab as"
    " kg ohg pty pvt oü ooo zao oao the and".split()
)
#: second-level labels under which organisations register (acme.co.uk): the domain keeps one label more
_SECOND_LEVEL = frozenset("co com net org gov ac edu ltd plc ne or go".split())


def fold(value: str) -> str:
    """Lower case, accents folded to ASCII (José -> jose, Müller -> muller, Łukasz -> lukasz)."""
    return unidecode(value or "").lower()


def words(value: str) -> list[str]:
    return [w for w in _NOT_WORD.split(fold(value)) if w]


def normalise_text(value: str) -> str:
    """Lower case, accents folded, spaces and punctuation removed."""
    return _NOT_ALNUM.sub("", fold(value))


def normalise_name(value: str) -> str:
    """A person's name whatever the order of its parts: "Smith, John" and "john SMITH" give "john smith"."""
    return " ".join(sorted(words(value)))


def normalise_company(value: str) -> str:
    """An organisation's name without its legal form: "ACME Ltd." and "Acme Limited" give "acme"."""
    parts = [w for w in words(value) if w not in LEGAL_FORMS]
    return " ".join(sorted(parts or words(value)))


def normalise_email(value: str) -> str:
    """Lower case, spaces removed; only letters, digits, "@", ".", "_", "+" and "-" are kept."""
    value = fold(value).strip()
    value = re.sub(r"[^a-z0-9@._+\-]", "", value)
    return value if value.count("@") == 1 and not value.startswith("@") and not value.endswith("@") else ""


def e164(value: str, region: str | None = None) -> str:
    """The number in E.164 (+4971155501000) when phonenumbers can read it, with DUPLICATES_PHONE_REGION for
    national numbers; else its digits. An extension is ignored."""
    number_part = re.split(r"x|ext", (value or "").strip(), maxsplit=1, flags=re.IGNORECASE)[0]
    digits = "".join(c for c in number_part if c.isdigit())
    if len(digits) < 5:
        return ""
    region = region or getattr(settings, "DUPLICATES_PHONE_REGION", None) or "US"
    try:
        parsed = phonenumbers.parse(number_part, region)
        if phonenumbers.is_possible_number(parsed):
            return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
    except phonenumbers.NumberParseException:
        pass
    return digits


def normalise_phone(value: str, region: str | None = None) -> str:
    """The number's national significant digits (at most the last 10), so that national and international
    writings meet: "+44 20 7946 0958", "020 7946 0958" and "0044 (20) 7946-0958" all give "2079460958".

    An international number is read with phonenumbers (its country code dropped); a national one loses its trunk
    prefix (the leading zeros).
    """
    number_part = re.split(r"x|ext", (value or "").strip(), maxsplit=1, flags=re.IGNORECASE)[0].strip()
    digits = "".join(c for c in number_part if c.isdigit())
    if len(digits) < 5:
        return ""
    if number_part.startswith(("+", "00")):
        international = "+" + digits.removeprefix("00") if number_part.startswith("00") else number_part
        try:
            parsed = phonenumbers.parse(international, None)
            national = str(parsed.national_number)
            if len(national) >= 5:
                return national[-10:]
        except phonenumbers.NumberParseException:
            pass
    return digits.lstrip("0")[-10:]


def normalise_web(value: str) -> str:
    """A web address reduced to its registrable domain: https://www.shop.acme.co.uk/about -> acme.co.uk."""
    value = fold(value).strip()
    if not value:
        return ""
    host = value.split("://", 1)[-1].split("/", 1)[0].split("?", 1)[0].split("#", 1)[0]
    host = host.rsplit("@", 1)[-1].split(":", 1)[0].strip(".")
    labels = [label for label in host.split(".") if label]
    if len(labels) < 2:
        return "".join(labels)
    keep = 3 if len(labels) >= 3 and labels[-2] in _SECOND_LEVEL and len(labels[-1]) == 2 else 2
    return ".".join(labels[-keep:])


_DATE_DIGITS = re.compile(r"^(\d{4})-?(\d{2})-?(\d{2})")


def normalise_date(value) -> str:
    """A date as its eight digits YYYYMMDD: a date, "1956-04-09", "19560409" and "1956-04-09T10:00" give
    "19560409"; anything else gives "" (nothing to compare)."""
    if isinstance(value, datetime.date):
        return value.strftime("%Y%m%d")
    found = _DATE_DIGITS.match(str(value).strip())
    return "".join(found.groups()) if found else ""


def normalise_year(value) -> str:
    """The year of a date ("1956"), for blocking people by birth year."""
    return normalise_date(value)[:4]


_NORMALISERS = {
    Kind.TEXT: normalise_text,
    Kind.NAME: normalise_name,
    Kind.COMPANY: normalise_company,
    Kind.EMAIL: normalise_email,
    Kind.PHONE: normalise_phone,
    Kind.WEB: normalise_web,
    Kind.DATE: normalise_date,
    Kind.YEAR: normalise_year,
}


def normalise(kind: str, value) -> str:
    """The value of `kind` standardised for comparison; "" when nothing comparable is left."""
    if value is None:
        return ""
    if isinstance(value, datetime.date):
        return _NORMALISERS[Kind(kind)](value) if kind in (Kind.DATE, Kind.YEAR) else ""
    return _NORMALISERS[Kind(kind)](str(value))


def blocking_keys(kind: str, normalised: str) -> set[str]:
    """Keys two values likely to be similar share, so that fuzzy comparison looks only within a block.

    Names: each word with the initials of the others (a typo in one word, or words in another order, keep a key
    in common). Other values: their first and last four characters.
    """
    if not normalised:
        return set()
    if kind in (Kind.NAME, Kind.COMPANY):
        parts = normalised.split()
        if len(parts) == 1:
            # one word ("Acme"): its start and end, so that a typo keeps one of them
            return {f"<{parts[0][:4]}", f">{parts[0][-4:]}"}
        keys = set()
        for index, part in enumerate(parts):
            initials = "".join(sorted(p[0] for i, p in enumerate(parts) if i != index))
            keys.add(f"{part}|{initials}")
        return keys
    compact = normalised.replace(" ", "")
    return {f"<{compact[:4]}", f">{compact[-4:]}"}

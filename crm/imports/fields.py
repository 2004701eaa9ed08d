"""The fields a section's import can fill, and how a cell becomes a field value.

A converter turns a cell (as the reader gives it) into a Python value or raises `RefusedValue` with a message
for the user. Lookups (classifications users extend) are resolved by name, case and space insensitive, and may be
created; other records (an account named in a contacts file) are found by their name among the records the user
may see, and never created.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.contrib.auth import get_user_model
from django.core import validators as django_validators
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.core.validators import URLValidator
from django.db import models
from django.db.models.functions import Upper
from django.utils import timezone
from django.utils.text import capfirst

from crm import access
from crm.core import bulk  # noqa: F401 - registers the any_of lookup
from crm.core.communication import validate_email
from crm.core.models import Lookup
from crm.designer.fields import CustomField

from . import values as parse
from .reader import as_text


class RefusedValue(Exception):
    pass


def normalise_name(value: str) -> str:
    """For matching names: case, accents and repeated spaces do not count."""
    value = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode() or value
    return re.sub(r"\s+", " ", value).strip().casefold()


def header_key(value: str) -> str:
    return re.sub(r"[^a-z0-9]", "", normalise_name(value))


@dataclass
class FieldSpec:
    name: str
    label: str
    field: models.Field
    kind: str  # text, integer, decimal, date, datetime, boolean, choice, lookup, record, user, email, url
    #: set for a custom field (`name` is `custom__<code>`, `field` its `model_field`): its value goes to `custom`
    custom: CustomField | None = None
    #: a column of the section's `import_extras` (not a field of the record: its value goes to a detail row)
    extra: bool = False

    @property
    def required(self) -> bool:
        if self.extra:  # a detail row's value: a record is whole without it
            return False
        return not self.field.blank and not self.field.has_default() and self.kind not in ("user",)


def importable_fields(section, user) -> list[FieldSpec]:
    """The section's form fields the user may write, in form order (files and many-to-many left out), then its
    custom fields the user may write."""
    writable = access.fields_for(user, section, "write").writable
    names = list(dict.fromkeys([*section.form_fields, *section.import_columns]))
    specs = []
    for name in names:
        if name not in writable:
            continue
        try:
            field = section.opts.get_field(name)
        except FieldDoesNotExist:  # a declared name that is no field (a form-only one) is not importable
            continue
        if isinstance(field, models.FileField) or field.many_to_many or not field.editable:
            continue
        specs.append(FieldSpec(name, capfirst(str(field.verbose_name)), field, _kind(field)))
    for custom in section.custom_fields():
        if custom.name in writable:
            field = custom.model_field
            specs.append(FieldSpec(custom.name, capfirst(custom.label), field, _kind(field), custom=custom))
    if section.import_extras is not None:
        specs.extend(section.import_extras.specs(user))
    return specs


class ImportExtras:
    """Columns of a file that go to detail rows of the record rather than to its fields (a product's price in
    each price list). A section declares one as `import_extras`; the import engine converts the cells by the
    specs (`extra=True`), compares with what records hold, writes per batch and restores on rollback. Values
    are compared and kept (for rollback) as JSON: what `as_json` gives."""

    def specs(self, user) -> list[FieldSpec]:
        raise NotImplementedError

    def owns(self, name: str) -> bool:
        raise NotImplementedError

    def as_json(self, value) -> object:
        return str(value) if isinstance(value, Decimal) else value

    def current(self, objs: list) -> dict[int, dict[str, object]]:
        """Record id -> {column name: the value it holds now, as JSON} for existing records `objs`."""
        raise NotImplementedError

    def write(self, *, user, rows: list[tuple[object, dict[str, object]]]) -> None:
        """Give each record of `rows` the values named (records saved: they have ids), in bulk."""
        raise NotImplementedError

    def restore(self, *, user, obj, previous: dict[str, object]) -> None:
        """Put back the JSON values `current` gave before an import changed them (None: there was none)."""
        raise NotImplementedError


def _kind(field: models.Field) -> str:
    if field.is_relation:
        model = field.related_model
        if model is get_user_model():
            return "user"
        if issubclass(model, Lookup):
            return "lookup"
        return "record"
    if field.choices:
        return "choice"
    for cls, kind in (
        (models.EmailField, "email"),
        (models.URLField, "url"),
        (models.BooleanField, "boolean"),
        (models.DateTimeField, "datetime"),
        (models.DateField, "date"),
        (models.DecimalField, "decimal"),
        (models.IntegerField, "integer"),
        (models.FloatField, "decimal"),
    ):
        if isinstance(field, cls):
            return kind
    return "text"


#: what spreadsheets commonly call a field, by field name (tried after the exact names and labels); a header
#: goes to the first of its fields the section has and the user may write
SYNONYMS: dict[str, tuple[str, ...]] = {
    "company": ("account", "name", "account_name"),
    "companyname": ("account", "name", "account_name"),
    "organisation": ("account", "name", "account_name"),
    "organization": ("account", "name", "account_name"),
    "customer": ("account",),
    "client": ("account",),
    "firstname": ("given_name",),
    "forename": ("given_name",),
    "christianname": ("given_name",),
    "lastname": ("surname",),
    "familyname": ("surname",),
    "name": ("full_name", "contact_name"),
    "contact": ("contact", "full_name", "contact_name"),
    "mail": ("email",),
    "emailaddress": ("email",),
    "mobile": ("mobile_phone",),
    "cell": ("mobile_phone",),
    "cellphone": ("mobile_phone",),
    "mobilenumber": ("mobile_phone",),
    "phone": ("business_phone", "phone"),
    "telephone": ("business_phone", "phone"),
    "tel": ("business_phone", "phone"),
    "workphone": ("business_phone", "phone"),
    "officephone": ("business_phone", "phone"),
    "phonenumber": ("business_phone", "phone"),
    "website": ("web", "url"),
    "site": ("web", "url"),
    "homepage": ("web", "url"),
    "url": ("web", "url"),
    "position": ("job_title",),
    "role": ("job_title",),
    "dob": ("birth_date",),
    "dateofbirth": ("birth_date",),
    "birthday": ("birth_date",),
    "sex": ("gender",),
    "language": ("language",),
    "headcount": ("employees",),
    "staff": ("employees",),
    "revenue": ("annual_revenue",),
    "turnover": ("annual_revenue",),
    "sku": ("code",),
    "article": ("code",),
    "articlenumber": ("code",),
    "itemcode": ("code",),
    "productcode": ("code",),
    "partnumber": ("code",),
    "productname": ("name",),
    "product": ("name",),
    "item": ("name",),
    "listprice": ("price",),
    "unitprice": ("price",),
    "uom": ("unit",),
    "unitofmeasure": ("unit",),
    "vat": ("tax",),
    "manufacturer": ("brand",),
    "group": ("category",),
    "productgroup": ("category",),
    "comments": ("notes", "comment", "description"),
    "remarks": ("notes", "comment", "description"),
}


def _words(value: str) -> frozenset[str]:
    return frozenset(re.findall(r"[a-z0-9]+", normalise_name(value)))


def suggest_mapping(headers: list[str], specs: list[FieldSpec], earlier: dict[str, str] | None = None) -> dict:
    """Column index -> field name; each field at most once. A header is matched, in this order of trust:
    by an earlier import's choice for the same header, by a field's name, label or custom code, by what
    spreadsheets commonly call the field (`SYNONYMS`: "Company", "Cell", "SKU"), and last by words: a header
    whose words are all in one field's label, or that holds all of one field's label ("Mobile" -> mobile
    phone, "Email address" -> email), when that field is the only one."""
    names = {spec.name for spec in specs}
    by_key = {}
    for spec in specs:
        by_key.setdefault(header_key(spec.name), spec.name)
        by_key.setdefault(header_key(spec.label), spec.name)
        if spec.custom is not None:
            by_key.setdefault(header_key(spec.custom.code), spec.name)
    earlier = {header_key(k): v for k, v in (earlier or {}).items()}
    keys = {str(index): header_key(as_text(header)) for index, header in enumerate(headers)}
    mapping, used = {}, set()

    def take(index: str, name: str | None) -> None:
        if name and name in names and name not in used and index not in mapping:
            mapping[index] = name
            used.add(name)

    for index, key in keys.items():
        take(index, earlier.get(key) or by_key.get(key))
    for index, key in keys.items():
        take(index, next((n for n in SYNONYMS.get(key, ()) if n in names and n not in used), None))
    labels = [(spec.name, _words(spec.label)) for spec in specs]
    for index, header in enumerate(headers):
        words = _words(as_text(header))
        if str(index) in mapping or not words:
            continue
        fits = [name for name, label in labels if name not in used and label and (words <= label or label <= words)]
        if len(fits) == 1:
            take(str(index), fits[0])
    return dict(sorted(mapping.items(), key=lambda item: int(item[0])))


# --- converters -----------------------------------------------------------------------------------------------


#: validators whose rules converting a cell already applies (and faster)
CHECKED_BY_CONVERTING = (
    django_validators.MaxLengthValidator,
    django_validators.EmailValidator,
    django_validators.URLValidator,
    django_validators.DecimalValidator,
    django_validators.ProhibitNullCharactersValidator,
)


class Converter:
    """Turns cells into values for one field; lookups and records are resolved in bulk per batch."""

    def __init__(self, spec: FieldSpec, *, user, create_lookups: bool, date_order: str = ""):
        self.spec = spec
        self.user = user
        self.create_lookups = create_lookups
        #: how a date that reads both ways (03/04/2026) is read: "dmy", "mdy" or "ymd"
        self.date_order = date_order or parse.default_date_order()
        self.cache: dict[str, object] = {}
        self.by_text: dict[str, object] = {}  # the cell as written -> the value found
        self.max_length = getattr(spec.field, "max_length", None)
        if spec.kind == "choice":
            self.choices = {}
            for value, label in spec.field.flatchoices:
                self.choices[normalise_name(str(value))] = value
                self.choices[normalise_name(str(label))] = value
        self._url = URLValidator()
        #: the field's own rules beyond what converting checks (a price not below 0, an integer the column holds)
        self.validators = (
            []
            if spec.kind in ("lookup", "record", "user")
            else [v for v in spec.field.validators if not isinstance(v, CHECKED_BY_CONVERTING)]
        )

    # Relations are looked up for a whole batch at once (one query per column per batch).
    def prepare(self, cells: list) -> None:
        if self.spec.kind not in ("lookup", "record", "user"):
            return
        wanted = {normalise_name(as_text(c)) for c in cells} - {""} - set(self.cache)
        if not wanted:
            return
        model = self.spec.field.related_model
        if self.spec.kind == "user":
            users = get_user_model().objects.filter(is_active=True)
            for user in users:
                for name in (user.get_username(), user.get_full_name(), user.email):
                    if name and normalise_name(name) in wanted:
                        self.cache[normalise_name(name)] = user
            return
        name_field = "full_name" if hasattr(model, "full_name") else "name"
        queryset = model._default_manager.all()
        if self.spec.kind == "record":
            queryset = access.visible(self.user, queryset)
        else:
            queryset = queryset.filter(is_active=True)
        originals = sorted({as_text(c) for c in cells if normalise_name(as_text(c)) in wanted})
        found: dict[str, dict] = {}

        def collect(rows) -> None:
            for pk, name in rows:
                found.setdefault(normalise_name(name), {})[pk] = name

        # The names as written first (an indexed IN), then case- and space-insensitively for what is left.
        for chunk in _chunks(originals, 5000):
            collect(queryset.filter(**{f"{name_field}__any_of": chunk}).values_list("pk", name_field))
        left = sorted({o for o in originals if normalise_name(o) not in found})
        for chunk in _chunks(left, 5000):
            uppers = sorted({v.upper() for v in chunk} | {re.sub(r"\s+", " ", v).strip().upper() for v in chunk})
            collect(
                queryset.annotate(_import_name=Upper(name_field))
                .filter(_import_name__any_of=uppers)
                .values_list("pk", name_field)
            )
        # what no name matched may be a code ("EUR" for the currency Euro, an account's or a product's code)
        code = _code_field(model)
        left = sorted({o for o in originals if normalise_name(o) not in found})
        if code and left:
            for chunk in _chunks(left, 5000):
                # as written or in capitals (codes are unique, so their index answers)
                codes = sorted({v.strip() for v in chunk} | {v.strip().upper() for v in chunk})
                collect(queryset.filter(**{f"{code}__any_of": codes}).values_list("pk", code))
        for key in wanted:
            matches = found.get(key, {})
            if len(matches) == 1:
                self.cache[key] = model(pk=next(iter(matches)))
            elif len(matches) > 1:
                self.cache[key] = RefusedValue(
                    f"{len(matches)} {model._meta.verbose_name_plural} are named “{key}”: which one is meant?"
                )

    def __call__(self, cell):
        value = self._convert(cell)
        if self.validators and value is not None:
            try:
                for validator in self.validators:
                    validator(value)
            except ValidationError as error:
                raise RefusedValue(" ".join(error.messages))
        return value

    def _convert(self, cell):
        text = as_text(cell)
        kind = self.spec.kind
        if text == "":
            return None
        if kind == "text":
            if self.max_length and len(text) > self.max_length:
                raise RefusedValue(f"At most {self.max_length} characters.")
            return text
        if kind == "email":
            text = text.lower()
            try:
                validate_email(text)
            except ValidationError:
                raise RefusedValue(f"“{text}” is not an email address.")
            return text
        if kind == "url":
            if not re.match(r"^[a-z]+://", text, re.I):
                text = f"https://{text}"
            try:
                self._url(text)
            except ValidationError:
                raise RefusedValue(f"“{text}” is not a web address.")
            return text[: self.max_length] if self.max_length else text
        if kind == "boolean":
            if isinstance(cell, bool):
                return cell
            try:
                return parse.parse_boolean(text)
            except ValueError:
                raise RefusedValue(f"“{text}” is not yes or no (yes/no, true/false, 1/0, x or empty, on/off).")
        if kind == "integer":
            try:
                number = (
                    Decimal(cell)
                    if isinstance(cell, int) and not isinstance(cell, bool)
                    else parse.parse_number(text, whole=True)
                )
            except ValueError:
                raise RefusedValue(f"“{text}” is not a whole number.")
            if number != number.to_integral_value():
                raise RefusedValue(f"“{text}” is not a whole number.")
            return int(number)
        if kind == "decimal":
            return self._decimal(cell, text)
        if kind == "date":
            return self._date(cell, text)
        if kind == "datetime":
            value = self._datetime(cell, text)
            return timezone.make_aware(value) if timezone.is_naive(value) else value
        if kind == "choice":
            value = self.choices.get(normalise_name(text))
            if value is None:
                labels = ", ".join(str(label) for _, label in self.spec.field.flatchoices)
                raise RefusedValue(f"“{text}” is not one of: {labels}.")
            return value
        return self._relation(text)

    def _decimal(self, cell, text: str) -> Decimal:
        if isinstance(cell, (int, float)) and not isinstance(cell, bool):
            number = Decimal(str(cell))
        else:
            try:
                number = parse.parse_number(text)
            except ValueError:
                raise RefusedValue(f"“{text}” is not a number.")
        if not number.is_finite():
            raise RefusedValue(f"“{text}” is not a number.")
        places = getattr(self.spec.field, "decimal_places", None)
        if places is not None:
            digits = self.spec.field.max_digits
            try:  # a number beyond the decimal context (1e30 to cents) cannot even be rounded
                number = number.quantize(Decimal(1).scaleb(-places))
            except InvalidOperation:
                raise RefusedValue(f"“{text}” is too large.")
            if len(number.as_tuple().digits) > digits:
                raise RefusedValue(f"“{text}” is too large.")
        return number

    def _date(self, cell, text: str) -> datetime.date:
        try:
            return parse.parse_date(cell, text, self.date_order)
        except ValueError:
            raise RefusedValue(f"“{text}” is not a date (write it as {parse.date_examples(self.date_order)}).")

    def _datetime(self, cell, text: str) -> datetime.datetime:
        try:
            return parse.parse_datetime(cell, text, self.date_order)
        except ValueError:
            raise RefusedValue(
                f"“{text}” is not a date and time (write it as 2026-11-29 10:00, 2026-11-29T10:00:00+01:00 "
                f"or 29.11.2026 10:00)."
            )

    def _relation(self, text: str):
        value = self.by_text.get(text)
        if value is not None:
            return value
        key = normalise_name(text)
        value = self.cache.get(key)
        if value is not None and not isinstance(value, RefusedValue):
            self.by_text[text] = value
        if isinstance(value, RefusedValue):
            raise value
        if value is not None:
            return value
        model = self.spec.field.related_model
        creatable = getattr(model, "created_by_imports", True)
        if self.spec.kind == "lookup" and self.create_lookups and creatable:
            value, _ = model._default_manager.get_or_create(name=text[:150])
            self.cache[key] = value
            return value
        noun = model._meta.verbose_name
        if self.spec.kind == "lookup" and not creatable:
            plural = model._meta.verbose_name_plural
            raise RefusedValue(f"There is no {noun} “{text}” (new {plural} are added by an administrator).")
        if self.spec.kind == "lookup":
            raise RefusedValue(f"There is no {noun} “{text}” (allow creating missing values to add it).")
        raise RefusedValue(f"There is no {noun} “{text}” that you may see.")


def _code_field(model) -> str:
    """The model's `code` text field, by which a record is also named in files (an ISO currency code, an
    account's or a product's code), or ""."""
    try:
        field = model._meta.get_field("code")
    except FieldDoesNotExist:
        return ""
    return "code" if isinstance(field, models.CharField) else ""


def _chunks(items: list, size: int):
    for start in range(0, len(items), size):
        yield items[start : start + size]

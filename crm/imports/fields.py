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
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from decimal import Decimal, InvalidOperation

from django.contrib.auth import get_user_model
from django.core import validators as django_validators
from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.db import models, transaction
from django.db.models import Q
from django.db.models.functions import Upper
from django.utils import timezone
from django.utils.text import capfirst

from crm import access
from crm.core import bulk  # noqa: F401 - registers the any_of lookup
from crm.core.communication import validate_email
from crm.core.models import Lookup
from crm.designer.fields import CustomField

from . import headers
from . import values as parse
from .reader import as_text


class RefusedValue(Exception):
    pass


#: what a file value may be mapped to besides one of ours (`ImportJob.value_map`): nothing, or a new lookup value
EMPTY, CREATE = "__empty__", "__create__"
_NOT_MAPPED = object()


def required_parents(model: type[models.Model]) -> list[models.ForeignKey]:
    """The foreign keys to other lookups without which a value of lookup `model` cannot be saved (a product
    type's category)."""
    return [
        field
        for field in model._meta.concrete_fields
        if field.many_to_one and not field.null and not field.has_default() and issubclass(field.related_model, Lookup)
    ]


@dataclass
class PendingValue:
    """A lookup value to create that needs a parent (a product type its category): made by `make` once the row's
    other values are known, with the parent the row names."""

    converter: Converter
    text: str

    def make(self, row: Iterable[object]):
        converter = self.converter
        model = converter.spec.related_model
        key = normalise_name(self.text)
        made = converter.cache.get(key)
        if isinstance(made, models.Model):
            return made
        parents = {}
        for parent_field in required_parents(model):
            parent = next((value for value in row if isinstance(value, parent_field.related_model)), None)
            if parent is None:
                noun, parent_noun = model._meta.verbose_name, parent_field.verbose_name
                raise RefusedValue(
                    f"A {noun} needs its {parent_noun}: map the {capfirst(str(parent_noun))} column or choose an "
                    f"existing {noun}."
                )
            parents[parent_field.attname] = parent.pk
        value, created = model._default_manager.get_or_create(name=self.text[:150], defaults=parents)
        if created:
            converter.created.append(value)
        converter.cache[key] = value
        return value


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
    #: what other systems write for our values (`Section.import_value_aliases`), by `header_key`: our name or code
    aliases: dict[str, str] = field(default_factory=dict)
    #: an extra's own conversion of a cell's (non-empty) text, raising RefusedValue (a phone number normalised)
    convert: Callable[[str], object] | None = None
    #: an extra whose conversion depends on whether the import creates missing values (tags): called with that,
    #: it gives `convert`
    converter_for: Callable[[bool], Callable[[str], object]] | None = None

    @property
    def related_model(self):
        """The model a lookup or record column names: a custom lookup field's target (its `field` keeps an id)."""
        return self.custom.related_model if self.custom is not None else self.field.related_model

    @property
    def required(self) -> bool:
        if self.extra:  # a detail row's value: a record is whole without it
            return False
        return not self.field.blank and not self.field.has_default() and self.kind not in ("user",)


def importable_fields(section, user) -> list[FieldSpec]:
    """The section's form fields the user may write, in form order (files and many-to-many left out), then its
    custom fields the user may write. The section's derived fields (`import_derived_fields`) are importable
    though no form edits them; a system one (the creation date) is outside column rights."""
    writable = access.fields_for(user, section, "write").writable
    derived = set(section.import_derived_fields)
    system = set(getattr(section.model, "SYSTEM_FIELDS", ()))
    names = list(dict.fromkeys([*section.form_fields, *section.import_columns, *section.import_derived_fields]))
    specs = []
    for name in names:
        if name not in writable and not (name in derived and name in system):
            continue
        try:
            field = section.opts.get_field(name)
        except FieldDoesNotExist:  # a declared name that is no field (a form-only one) is not importable
            continue
        if isinstance(field, models.FileField) or field.many_to_many or not (field.editable or name in derived):
            continue
        aliases = {header_key(k): v for k, v in section.import_value_aliases.get(name, {}).items()}
        specs.append(FieldSpec(name, capfirst(str(field.verbose_name)), field, _kind(field), aliases=aliases))
    for custom in section.custom_fields():
        if custom.name in writable:
            kind = _custom_kind(custom)
            if kind:
                specs.append(FieldSpec(custom.name, capfirst(custom.label), custom.model_field, kind, custom=custom))
    from .tags import extras_of  # the section's own extras and the tags every section has

    specs.extend(extras_of(section, user).specs(user))
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

    def changes(self, held: dict[str, object], values: dict[str, object]) -> dict[str, tuple[object, object]]:
        """The values of a row (name -> converted value) that differ from what the record `held` (as `current`
        gave it): name -> (the JSON value to restore on rollback, the new value). By default a column differs
        when its JSON value does; extras whose columns combine (an address from its parts) compare otherwise."""
        return {
            name: (held.get(name), value) for name, value in values.items() if held.get(name) != self.as_json(value)
        }

    def write(self, *, user, rows: list[tuple[object, dict[str, object]]]) -> None:
        """Give each record of `rows` the values named (records saved: they have ids), in bulk."""
        raise NotImplementedError

    def restore(self, *, user, obj, previous: dict[str, object]) -> None:
        """Put back the JSON values `current` gave before an import changed them (None: there was none)."""
        raise NotImplementedError


def _custom_kind(custom: CustomField) -> str:
    """How a custom field's cells are read: a lookup names a record of a section (found among those the user may
    see) or a value of a lookup table, as a built-in foreign key does; "" for a lookup whose target is gone."""
    if custom.kind != "lookup":
        return _kind(custom.model_field)
    from crm.designer.custom_sections import target_section

    if custom.related_model is None:
        return ""
    return "record" if target_section(custom.target) is not None else "lookup"


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


#: what spreadsheets and exports commonly call a field (kept under its old name: the table lives in `headers`)
SYNONYMS = headers.HEADERS


def _words(value: str) -> frozenset[str]:
    return frozenset(re.findall(r"[a-z0-9]+", normalise_name(value)))


def suggest_mapping(headers_: list[str], specs: list[FieldSpec], earlier: dict[str, str] | None = None) -> dict:
    """Column index -> field name; each field at most once. A header is matched, in this order of trust:
    by an earlier import's choice for the same header, by a custom field's label or code (the administrator
    named it so), by what it means beside the file's other headers (`headers.CONTEXTUAL`: Outlook's "Title"
    beside "Job Title"), by a field's name or label, by what exports and spreadsheets commonly call the field
    (`headers.HEADERS`: "Company", "E-mail 2 Address", "Home Street"), and last by words: a header whose words
    are all in one field's label, or that holds all of one field's label ("Mobile" -> mobile phone), when that
    field is the only one (one that fits two fields is left for the user). A qualifier column ("E-mail 1 -
    Type") and a part of a date ("Birth Day") are never taken for a field."""
    names = {spec.name for spec in specs}
    by_key = {}
    for spec in specs:
        by_key.setdefault(header_key(spec.name), spec.name)
        by_key.setdefault(header_key(spec.label), spec.name)
        if spec.custom is not None:
            by_key.setdefault(header_key(spec.custom.code), spec.name)
    earlier = {header_key(k): v for k, v in (earlier or {}).items()}
    texts = {str(index): as_text(header) for index, header in enumerate(headers_)}
    keys = {index: header_key(text) for index, text in texts.items()}
    ordered_words = {index: re.findall(r"[a-z0-9]+", normalise_name(text)) for index, text in texts.items()}
    file_keys = set(keys.values())
    mapping, used = {}, set()
    #: columns matched by nothing but an earlier choice: qualifiers, date parts, a header whose meaning the
    #: file's other headers settle
    settled = {
        index
        for index in keys
        if headers.is_qualifier(texts[index], ordered_words[index]) or headers.not_a_field(ordered_words[index])
    }

    def take(index: str, name: str | None) -> None:
        if name and name in names and name not in used and index not in mapping:
            mapping[index] = name
            used.add(name)

    def first_free(choices: tuple[str, ...]) -> str | None:
        return next((n for n in choices if n in names and n not in used), None)

    #: a custom field's own label or code: the administrator named it so, before what a header usually means
    custom_keys = {}
    for spec in specs:
        if spec.custom is not None:
            custom_keys.setdefault(header_key(spec.label), spec.name)
            custom_keys.setdefault(header_key(spec.custom.code), spec.name)
    for index, key in keys.items():
        take(index, earlier.get(key))
        if index in mapping or index in settled:
            continue
        take(index, custom_keys.get(key))
        if index in mapping:
            continue
        meant = headers.contextual(key, file_keys - {key})
        if meant is not None:
            settled.add(index)
            take(index, first_free(meant))
        else:
            take(index, by_key.get(key))
    for index, key in keys.items():
        if index not in settled:
            take(index, first_free(SYNONYMS.get(key, ())))
    labels = [(spec.name, _words(spec.label)) for spec in specs]
    extras = {spec.name for spec in specs if spec.extra}
    for index, header in enumerate(headers_):
        words = _words(as_text(header))
        if str(index) in mapping or str(index) in settled or not words or keys[str(index)] in SYNONYMS:
            continue
        fits = [name for name, label in labels if name not in used and label and (words <= label or label <= words)]
        if len(fits) > 1:  # a record's own field before a detail row's column ("Business" -> business phone)
            fits = [name for name in fits if name not in extras] or fits
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
        if spec.converter_for is not None:
            spec = replace(spec, convert=spec.converter_for(create_lookups))
        self.spec = spec
        self.user = user
        self.create_lookups = create_lookups
        #: how a date that reads both ways (03/04/2026) is read: "dmy", "mdy" or "ymd"
        self.date_order = date_order or parse.default_date_order()
        self.cache: dict[str, object] = {}
        #: records made for names the file gives that did not exist yet (an account for a contact's company):
        #: (section name, id), taken by the engine after each batch to be rolled back with the import
        self.created_records: list[tuple[str, int]] = []
        #: a custom lookup names existing records only (it is no form of the target section's own)
        creates = create_lookups and spec.kind == "record" and spec.custom is None
        self._creatable = _creatable_section(spec) if creates else None
        self._similar: dict[str, object] = {}  # the name as the section's duplicate rules compare it -> record
        self.by_text: dict[str, object] = {}  # the cell as written -> the value found
        #: what the user said file values mean (normalised value -> ours, EMPTY or CREATE): `map_values`
        self.value_map: dict[str, object] = {}
        #: lookup values this converter created and the engine has not settled yet (kept or removed per batch)
        self.created: list[models.Model] = []
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
        # each distinct text once (a column of a batch names few values many times: a category, a currency)
        texts = {text: normalise_name(text) for text in {as_text(c) for c in cells}}
        wanted = set(texts.values()) - {""} - set(self.cache)
        if not wanted:
            return
        model = self.spec.related_model
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
        originals = sorted(text for text, key in texts.items() if key in wanted)
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
        # what is still unknown may be how another system names one of ours ("Closed Won"): the section's aliases
        aliased = {o: self.spec.aliases.get(header_key(o)) for o in originals if normalise_name(o) not in found}
        targets = sorted({target for target in aliased.values() if target})
        if targets:
            by_target: dict[str, set] = {}
            condition = Q(**{f"{name_field}__in": targets}) | (Q(**{f"{code}__in": targets}) if code else Q())
            for pk, *names in queryset.filter(condition).values_list("pk", name_field, *([code] if code else [])):
                for name in names:
                    by_target.setdefault(name, set()).add(pk)
            for original, target in aliased.items():
                for pk in by_target.get(target, ()):
                    found.setdefault(normalise_name(original), {})[pk] = original
        # a lookup value is kept whole (lookup tables are small): the model's clean() of each row may read it (a
        # product type's category, a stage's probability) and must not query for it; a record is named by its id
        single = {key: next(iter(found[key])) for key in wanted if len(found.get(key, {})) == 1}
        rows = queryset.in_bulk(set(single.values())) if self.spec.kind == "lookup" and single else {}
        for key in wanted:
            matches = found.get(key, {})
            if len(matches) == 1:
                self.cache[key] = rows.get(single[key]) or model(pk=single[key])
            elif len(matches) > 1:
                self.cache[key] = RefusedValue(
                    f"{len(matches)} {model._meta.verbose_name_plural} are named “{key}”: which one is meant?"
                )

    def __call__(self, cell):
        if self.value_map:
            mapped = self._mapped(cell)
            if mapped is not _NOT_MAPPED:
                return mapped
        if self.spec.convert is not None:
            text = as_text(cell)
            return self.spec.convert(text) if text != "" else None
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
            if value is None and header_key(text) in self.spec.aliases:  # how another system names one of ours
                value = self.choices.get(normalise_name(self.spec.aliases[header_key(text)]))
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
        model = self.spec.related_model
        creatable = getattr(model, "created_by_imports", True)
        value = self._create(text, key)
        if value is not None:
            return value
        if self._creatable is not None:
            value = self._found_or_created(text)
            self.cache[key] = value
            return value
        noun = model._meta.verbose_name
        if self.spec.kind == "lookup" and not creatable:
            plural = model._meta.verbose_name_plural
            raise RefusedValue(f"There is no {noun} “{text}” (new {plural} are added by an administrator).")
        if self.spec.kind == "lookup":
            raise RefusedValue(f"There is no {noun} “{text}” (allow creating missing values to add it).")
        raise RefusedValue(f"There is no {noun} “{text}” that you may see.")

    def _create(self, text: str, key: str, *, asked: bool = False):
        """A new lookup value named `text` (None when this column may not create one): made now, or pending when
        it needs a parent the row names. `asked`: the user's value map says to create it."""
        model = self.spec.related_model
        if self.spec.kind != "lookup" or not getattr(model, "created_by_imports", True):
            return None
        if not (self.create_lookups or asked):
            return None
        if required_parents(model):
            return PendingValue(self, text)
        value, created = model._default_manager.get_or_create(name=text[:150])
        if created:
            self.created.append(value)
        self.cache[key] = value
        return value

    def map_values(self, value_map: dict[str, object]) -> None:
        """Take what the user said the column's file values mean (checked by `resolve_value_map`)."""
        model = self.spec.related_model if self.spec.kind == "lookup" else None
        choices = {str(value): value for value, _ in self.spec.field.flatchoices} if self.spec.kind == "choice" else {}
        wanted = {int(t) for t in value_map.values() if t not in (EMPTY, CREATE)} if model is not None else set()
        rows = model._default_manager.in_bulk(wanted) if wanted else {}  # whole, as `prepare` keeps them
        for text, target in value_map.items():
            if target not in (EMPTY, CREATE):
                if model is not None:
                    target = rows.get(int(target)) or model(pk=int(target))
                else:
                    target = choices.get(str(target), target)
            self.value_map[normalise_name(text)] = target

    def _mapped(self, cell):
        text = as_text(cell)
        target = self.value_map.get(normalise_name(text), _NOT_MAPPED) if text else _NOT_MAPPED
        if isinstance(target, str) and target == EMPTY:
            return None
        if isinstance(target, str) and target == CREATE:
            key = normalise_name(text)
            found = self.cache.get(key)
            return found if isinstance(found, models.Model) else self._create(text, key, asked=True)
        return target

    def forget(self, values: list[models.Model]) -> None:
        """Drop lookup values deleted again (made for rows refused after all) from what this converter found."""
        gone = {(type(value), value.pk) for value in values}
        for store in (self.cache, self.by_text):
            for key in [k for k, v in store.items() if isinstance(v, models.Model) and (type(v), v.pk) in gone]:
                del store[key]

    def _found_or_created(self, text: str):
        """The record of the creatable section that the section's duplicate rules take `text` to name ("ACME GmbH"
        for "Acme", among the records the user may see or this import made), else a new one the user owns; a
        user who may not create there has the value refused with the reason."""
        from crm.sections.services import create_record

        section, name_field, kind = self._creatable
        similar = _compared(kind, text)
        value = self._similar.get(similar)
        if value is not None:
            return value
        longest = max(similar.split(), key=len, default="")
        if longest:
            candidates = access.visible(
                self.user, section.model._default_manager.filter(**{f"{name_field}__icontains": longest})
            )
            for pk, name in candidates.values_list("pk", name_field)[:1000]:
                self._similar.setdefault(_compared(kind, name), section.model(pk=pk))
            value = self._similar.get(similar)
            if value is not None:
                return value
        noun = section.model._meta.verbose_name
        try:
            with transaction.atomic():
                value = create_record(section=section, user=self.user, data={name_field: text[:250]})
        except PermissionDenied:
            raise RefusedValue(f"There is no {noun} “{text}”, and you may not create {section.title.lower()}.")
        except ValidationError as error:
            raise RefusedValue(f"The {noun} “{text}” cannot be created: {' '.join(error.messages)}")
        self.created_records.append((section.name, value.pk))
        self._similar[similar] = value
        return value


def default_fields(specs: list[FieldSpec]) -> list[FieldSpec]:
    """The fields a job may give a default to: every required field, then the lookups, choices, users and the
    other fields of the record itself (not custom fields nor detail rows)."""
    own = [spec for spec in specs if spec.custom is None and not spec.extra]
    return [spec for spec in own if spec.required] + [spec for spec in own if not spec.required]


def resolve_defaults(defaults: dict, specs: dict[str, FieldSpec], user) -> dict[str, object]:
    """The job's defaults (as the field's form posts them: a pk for lookups, records and users, a choice value,
    text) as values for the records, checked once per import: a field that cannot take one, a value that does
    not exist, is inactive or is not visible to `user` raise ValidationError."""
    allowed = {spec.name: spec for spec in default_fields(list(specs.values()))}
    resolved = {}
    for name, posted in defaults.items():
        spec = allowed.get(name)
        if spec is None:
            raise ValidationError(f"“{name}” cannot take a default value.")
        if posted in (None, ""):
            continue
        if spec.kind in ("lookup", "record", "user"):
            queryset = spec.related_model._default_manager.all()
            if spec.kind == "record":
                queryset = access.visible(user, queryset)
            else:
                queryset = queryset.filter(is_active=True)
            value = queryset.filter(pk=int(posted)).first() if str(posted).isdigit() else None
            if value is None:
                raise ValidationError(f"{spec.label}: the default value is not one you may choose.")
        else:
            try:
                value = Converter(spec, user=user, create_lookups=False)(posted)
            except RefusedValue as error:
                raise ValidationError(f"{spec.label}: {error}")
        resolved[name] = value
    return resolved


def resolve_value_map(value_map: dict, columns: dict[int, FieldSpec]) -> dict[int, dict[str, object]]:
    """The job's value map for its mapped lookup and choice columns (others' entries are left out: the column was
    mapped elsewhere since), checked: a value of ours that does not exist, or creating where the lookup is not
    created by imports, raise ValidationError."""
    resolved = {}
    for index, meanings in value_map.items():
        spec = columns.get(int(index))
        if spec is None or spec.kind not in ("lookup", "choice") or not meanings:
            continue
        if spec.kind == "lookup":
            model = spec.related_model
            ours = {str(pk) for pk in model._default_manager.filter(is_active=True).values_list("pk", flat=True)}
            allowed = ours | {EMPTY} | ({CREATE} if getattr(model, "created_by_imports", True) else set())
        else:
            allowed = {str(value) for value, _ in spec.field.flatchoices} | {EMPTY}
        wrong = sorted(text for text, target in meanings.items() if str(target) not in allowed)
        if wrong:
            raise ValidationError(f"{spec.label}: choose what these values mean again: {', '.join(wrong)}.")
        resolved[int(index)] = meanings
    return resolved


def _creatable_section(spec: FieldSpec):
    """(section, name field, duplicate kind) when the records `spec` names may be created by an import (their
    section's `import_creatable_by_name`), else None. The kind is what the section's active duplicate rules
    compare that field as (an organisation's name without its legal form), plain text without rules."""
    from crm.duplicates.models import RuleAttribute
    from crm.duplicates.normalisation import Kind
    from crm.sections import registry

    section = registry.for_model(spec.related_model)
    name_field = getattr(section, "import_creatable_by_name", "") if section is not None else ""
    if not name_field:
        return None
    kind = (
        RuleAttribute.objects.filter(rule__section=section.name, rule__is_active=True, attribute=name_field)
        .values_list("kind", flat=True)
        .first()
    )
    return section, name_field, kind or Kind.TEXT


def _compared(kind: str, text: str) -> str:
    from crm.duplicates.normalisation import normalise

    return normalise(kind, text) or normalise_name(text)


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

"""Communication options and addresses of any party (account, contact, ...): abstract models, the value
normaliser, the one-primary rule, and the mirrors that keep a record's own email/phone fields in sync."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.db import models

from .bulk import insert_rows
from .models import Lookup


class CommunicationKind(models.TextChoices):
    """The base kind every communication type maps to; it decides how a value is checked and used."""

    PHONE = "phone", "Phone"
    EMAIL = "email", "Email"
    WEB = "web", "Web"
    SOCIAL = "social", "Social network"
    SKYPE = "skype", "Skype"


class CommunicationTypeBase(Lookup):
    """A type of communication option users extend (Business phone, Fax, LinkedIn, ...), mapped to a base kind."""

    kind = models.CharField(max_length=10, choices=CommunicationKind.choices, default=CommunicationKind.PHONE)
    accepts_sms = models.BooleanField("accepts SMS", default=False, help_text="Text messages can be sent here.")

    class Meta(Lookup.Meta):
        abstract = True


PHONE_ALLOWED = re.compile(r"^[0-9+()./\- ]+(\s*(x|ext\.?)\s*[0-9]{1,6})?$", re.IGNORECASE)
#: where a phone number's extension starts, and what is no digit of it
PHONE_EXTENSION = re.compile(r"x|ext", re.IGNORECASE)
NOT_A_DIGIT = re.compile(r"[^0-9]")
SKYPE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:,\-]{1,99}$")
_url_validator = URLValidator(schemes=["http", "https"])
_email_validator = EmailValidator()
# The everyday address (dot-atom local part, host names, a letters-only top-level domain): a subset of what
# EmailValidator accepts, checked in one match; anything else goes through the validator itself.
PLAIN_EMAIL = re.compile(
    r"^[A-Za-z0-9_%+'-]+(?:\.[A-Za-z0-9_%+'-]+)*@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$"
)


def validate_email(value: str) -> None:
    """Django's EmailValidator, with a fast path for the plain addresses that are nearly all of them."""
    if len(value) <= 254 and len(value.partition("@")[0]) <= 64 and PLAIN_EMAIL.match(value):
        return
    _email_validator(value)


def normalise(kind: str, value: str) -> tuple[str, str]:
    """Check a value of `kind` and return (the value to show, the normalised value used to compare and search).

    Raises ValidationError with a message for the user when the value cannot be of that kind.
    """
    value = " ".join((value or "").split())
    if not value:
        raise ValidationError("Enter a value.")
    if kind == CommunicationKind.EMAIL:
        local, _, domain = value.rpartition("@")
        value = f"{local}@{domain.lower()}" if local else value
        validate_email(value)
        return value, value.lower()
    if kind == CommunicationKind.PHONE:
        # what PHONE_ALLOWED lets through holds ASCII digits only: counting and keeping them is one substitution
        every_digit = NOT_A_DIGIT.sub("", value) if PHONE_ALLOWED.match(value) else ""
        if len(every_digit) < 3:
            raise ValidationError("Enter a phone number: digits, spaces, +, -, ( ) and an optional extension.")
        number = PHONE_EXTENSION.split(value, maxsplit=1)[0]
        digits = every_digit if len(number) == len(value) else NOT_A_DIGIT.sub("", number)
        international = value.startswith("+") or value.startswith("00")
        return value, ("+" + digits.removeprefix("00") if international else digits)
    if kind in (CommunicationKind.WEB, CommunicationKind.SOCIAL):
        if kind == CommunicationKind.SOCIAL and "/" not in value and "." not in value:
            return value, value.lower().lstrip("@")  # a handle, e.g. @opencrm
        if "://" not in value:
            value = f"https://{value}"
        try:
            _url_validator(value)
        except ValidationError:
            raise ValidationError("Enter a web address starting with http:// or https://.")
        bare = value.split("://", 1)[1].lower().removeprefix("www.").rstrip("/")
        return value, bare
    if kind == CommunicationKind.SKYPE:
        if not SKYPE_NAME.match(value):
            raise ValidationError("Enter a Skype name: letters, digits and . _ - : only.")
        return value, value.lower()
    raise ValidationError(f"Unknown kind of communication option: {kind}.")


class CommunicationOptionBase(models.Model):
    """One way to reach a party: a phone number, an email address, a web site, ...

    A concrete model adds `type` (a CommunicationTypeBase) and the foreign key named in OWNER_FIELD.
    """

    OWNER_FIELD = ""

    value = models.CharField(max_length=250)
    normalized = models.CharField("normalised value", max_length=250, editable=False, db_index=True)
    is_primary = models.BooleanField("primary", default=False)
    do_not_use = models.BooleanField("do not use", default=False)

    class Meta:
        abstract = True
        ordering = ("type__position", "-is_primary", "pk")

    def __str__(self) -> str:
        return f"{self.type}: {self.value}" if self.type_id else self.value

    def clean(self) -> None:
        if not self.type_id:
            return
        try:
            self.value, self.normalized = normalise(self.type.kind, self.value)
        except ValidationError as error:
            raise ValidationError({"value": error.messages})

    def siblings(self) -> models.QuerySet:
        """The options sharing the primary flag with this one: the same party's options of the same type."""
        return type(self)._default_manager.filter(
            **{f"{self.OWNER_FIELD}_id": getattr(self, f"{self.OWNER_FIELD}_id"), "type_id": self.type_id}
        )


class AddressTypeBase(Lookup):
    class Meta(Lookup.Meta):
        abstract = True


class AddressBase(models.Model):
    """A postal address of a party. A concrete model adds `type` and the foreign key named in OWNER_FIELD."""

    OWNER_FIELD = ""

    street = models.CharField(max_length=250, blank=True)
    zip_code = models.CharField("ZIP/postal code", max_length=20, blank=True)
    city = models.CharField(max_length=120, blank=True)
    region = models.CharField("region/state", max_length=120, blank=True)
    country = models.CharField(max_length=120, blank=True)
    is_primary = models.BooleanField("primary", default=False)
    do_not_use = models.BooleanField("do not send mail", default=False)

    class Meta:
        abstract = True
        ordering = ("-is_primary", "pk")

    def __str__(self) -> str:
        return self.one_line()

    @property
    def address(self) -> str:
        return self.one_line()

    def one_line(self) -> str:
        town = " ".join(p for p in (self.zip_code, self.city) if p)
        return ", ".join(p for p in (self.street, town, self.region, self.country) if p)

    def clean(self) -> None:
        for name in ("street", "zip_code", "city", "region", "country"):
            setattr(self, name, " ".join(getattr(self, name).split()))
        if not (self.street or self.city or self.country):
            raise ValidationError("Enter at least a street, a city or a country.")

    def siblings(self) -> models.QuerySet:
        """The addresses sharing the primary flag with this one: all of the same party's addresses."""
        return type(self)._default_manager.filter(**{f"{self.OWNER_FIELD}_id": getattr(self, f"{self.OWNER_FIELD}_id")})


def keep_one_primary(row) -> None:
    """After `row` (an option or an address) was saved: it is the only primary among its siblings if it is
    primary, and it becomes primary if none of them is."""
    others = row.siblings().exclude(pk=row.pk)
    if row.is_primary:
        others.filter(is_primary=True).update(is_primary=False)
    elif not others.filter(is_primary=True).exists():
        row.is_primary = True
        type(row)._default_manager.filter(pk=row.pk).update(is_primary=True)


def promote_a_primary(siblings: models.QuerySet) -> None:
    """After a primary row was deleted: the oldest remaining sibling becomes primary."""
    if not siblings.filter(is_primary=True).exists():
        first = siblings.order_by("pk").first()
        if first is not None:
            siblings.filter(pk=first.pk).update(is_primary=True)


@dataclass(frozen=True)
class Mirrors:
    """Record fields that show the primary option of one communication type, e.g. a contact's `email` shows its
    primary "Email" option. `fields` maps the record field to the type's name."""

    option_model: type[CommunicationOptionBase]
    type_model: type[CommunicationTypeBase]
    fields: dict[str, str]

    def options_of(self, record) -> models.QuerySet:
        return self.option_model._default_manager.filter(**{self.option_model.OWNER_FIELD: record})

    def values_from_options(self, record) -> dict[str, str]:
        """What the mirrored fields should hold given the record's options."""
        primary = {
            name: value
            for name, value in self.options_of(record)
            .filter(is_primary=True, type__name__in=self.fields.values())
            .values_list("type__name", "value")
        }
        return {field: primary.get(type_name, "") for field, type_name in self.fields.items()}

    def _bulk_values(self, records: list) -> list[tuple[int, int, str, str]]:
        """(record id, type id, value, normalised value) of each mirrored field of `records` that holds a value
        the normaliser accepts (refused values stay on the record only)."""
        types = {t.name: t for t in self.type_model._default_manager.filter(name__in=self.fields.values())}
        mirrored = [(field, types[name].pk, types[name].kind) for field, name in self.fields.items() if name in types]
        found = []
        for record in records:
            for field, type_id, kind in mirrored:
                value = getattr(record, field)
                if not value:
                    continue
                try:
                    value, normalized = normalise(kind, value)
                except ValidationError:
                    continue
                found.append((record.pk, type_id, value, normalized))
        return found

    def _insert_primaries(self, rows: list[tuple[int, int, str, str]]) -> None:
        owner = f"{self.option_model.OWNER_FIELD}_id"
        columns = [owner, "type_id", "value", "normalized", "is_primary", "do_not_use"]
        insert_rows(self.option_model, columns, [(*row, True, False) for row in rows])

    def push_created(self, records: list) -> int:
        """Bulk paths (imports): give new records, which have no options yet, a primary option for each mirrored
        field that holds a value. Returns the count."""
        rows = self._bulk_values(records)
        self._insert_primaries(rows)
        return len(rows)

    def push_updated(self, records: list) -> int:
        """Bulk paths (imports): records whose mirrored fields may have changed get primary options that say the
        same, as `push_fields` would, in four queries for the lot: each type's primary option is changed to the
        field's value, or made when there is none. Empty fields are left alone (imports never empty a field).
        Returns the options changed or made."""
        if not records:
            return 0
        values = self._bulk_values(records)
        owner = f"{self.option_model.OWNER_FIELD}_id"
        current = {
            (getattr(option, owner), option.type_id): option
            for option in self.option_model._default_manager.filter(
                **{f"{owner}__any_of": sorted({row[0] for row in values})},
                type_id__any_of=sorted({row[1] for row in values}),
                is_primary=True,
            ).order_by("pk")
        }
        changed, rows = [], []
        for record_id, type_id, value, normalized in values:
            option = current.get((record_id, type_id))
            if option is None:
                rows.append((record_id, type_id, value, normalized))
            elif (option.value, option.normalized) != (value, normalized):
                option.value, option.normalized = value, normalized
                changed.append(option)
        self.option_model._default_manager.bulk_update(changed, ["value", "normalized"], batch_size=1000)
        self._insert_primaries(rows)
        return len(changed) + len(rows)

    def push_fields(self, record, names: Iterable[str]) -> dict[str, str]:
        """The record's mirrored fields `names` were changed: make the primary options say the same.

        An emptied field removes its primary option. Returns the fields whose value the normaliser changed
        (e.g. a web address given a scheme), which the caller writes back to the record.
        """
        rewritten = {}
        types = {t.name: t for t in self.type_model._default_manager.filter(name__in=self.fields.values())}
        for field in names:
            type_ = types.get(self.fields.get(field, ""))
            if type_ is None:
                continue  # not mirrored, or the type was renamed by an administrator
            value = getattr(record, field) or ""
            current = self.options_of(record).filter(type=type_, is_primary=True).first()
            if not value:
                if current is not None:
                    current.delete()
                continue
            option = current or self.option_model(**{self.option_model.OWNER_FIELD: record}, type=type_)
            option.value = value
            option.is_primary = True
            try:
                option.full_clean()
            except ValidationError as error:
                raise ValidationError({field: error.message_dict.get("value", error.messages)})
            option.save()
            keep_one_primary(option)
            if option.value != value:
                rewritten[field] = option.value
        return rewritten

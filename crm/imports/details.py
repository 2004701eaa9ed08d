"""Import columns that go to a record's detail rows rather than its fields: its addresses by type
(`address__home__street`), its communication options by type (`communication__mobile_phone`, `..__2`, `..__3`),
a photo kept as an attachment and a birthday without a year kept as a noteworthy event. A section combines the
ones it has with `CombinedExtras` and declares the result as `import_extras`.

What a record held before an import (for its rollback) is kept per column as JSON: the address of the type as it
was (None: there was none), the normalised values of the type's options (None: there were none)."""

from __future__ import annotations

import base64
import binascii
import datetime
import hashlib
import io
import re
from dataclasses import dataclass

from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models

from crm.core.communication import Mirrors, normalise, promote_a_primary
from crm.core.models import Lookup

from .fields import FieldSpec, ImportExtras, RefusedValue

ADDRESS = "address__"
COMMUNICATION = "communication__"
#: how many columns each communication type offers (Email, Email 2, Email 3)
COMMUNICATION_COLUMNS = 3
#: the parts of an address a file may hold, with their labels; street_line2 and house_number are joined to the street
ADDRESS_PARTS = (
    ("street", "street"),
    ("street_line2", "address line 2"),
    ("house_number", "house number"),
    ("city", "city"),
    ("zip_code", "ZIP/postal code"),
    ("region", "region/state"),
    ("country", "country"),
)
ADDRESS_FIELDS = ("street", "zip_code", "city", "region", "country")


def type_slug(name: str) -> str:
    """A type's name as it appears in column names: "Mobile phone" -> "mobile_phone"."""
    return re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")


def _types(model: type[Lookup], *extra: str) -> list[tuple]:
    """(id, name, slug, *extra) of the active types, in their order."""
    rows = model._default_manager.filter(is_active=True).order_by("position", "name").values_list("pk", "name", *extra)
    return [(pk, name, type_slug(name), *rest) for pk, name, *rest in rows]


def _clean(text: str) -> str:
    return " ".join(text.split())


class CombinedExtras(ImportExtras):
    """Several kinds of extras as one `import_extras`: each column goes to the part that owns it."""

    def __init__(self, *parts: ImportExtras):
        self.parts = parts

    def _split(self, values: dict) -> list[tuple[ImportExtras, dict]]:
        split = []
        for part in self.parts:
            own = {name: value for name, value in values.items() if part.owns(name)}
            if own:
                split.append((part, own))
        return split

    def specs(self, user) -> list[FieldSpec]:
        return [spec for part in self.parts for spec in part.specs(user)]

    def owns(self, name: str) -> bool:
        return any(part.owns(name) for part in self.parts)

    def as_json(self, value) -> object:
        for part in self.parts:
            result = part.as_json(value)
            if result is not value:
                return result
        return value

    def current(self, objs: list) -> dict[int, dict[str, object]]:
        held: dict[int, dict[str, object]] = {}
        for part in self.parts:
            for pk, values in part.current(objs).items():
                held.setdefault(pk, {}).update(values)
        return held

    def changes(self, held: dict, values: dict) -> dict[str, tuple[object, object]]:
        return {name: change for part, own in self._split(values) for name, change in part.changes(held, own).items()}

    def write(self, *, user, rows: list[tuple[object, dict[str, object]]]) -> None:
        for part in self.parts:
            own = [(obj, {n: v for n, v in values.items() if part.owns(n)}) for obj, values in rows]
            own = [(obj, values) for obj, values in own if values]
            if own:
                part.write(user=user, rows=own)

    def restore(self, *, user, obj, previous: dict[str, object]) -> None:
        for part, own in self._split(previous):
            part.restore(user=user, obj=obj, previous=own)


class _DetailColumns(ImportExtras):
    """Extras kept in a detail model with a `type` lookup and a foreign key to the record (OWNER_FIELD)."""

    prefix = ""

    def __init__(self, model: str):
        self.model_label = model

    @property
    def model(self) -> type[models.Model]:
        return apps.get_model(self.model_label)

    @property
    def owner(self) -> str:
        return f"{self.model.OWNER_FIELD}_id"

    @property
    def type_model(self) -> type[Lookup]:
        return self.model._meta.get_field("type").related_model

    def owns(self, name: str) -> bool:
        return name.startswith(self.prefix)

    def slug_of(self, name: str) -> str:
        return name.removeprefix(self.prefix).split("__")[0]

    def rows_of(self, pks) -> models.QuerySet:
        return self.model._default_manager.filter(**{f"{self.owner}__any_of": sorted(pks)}).order_by("pk")

    def by_slug(self, values: dict) -> dict[str, dict[str, object]]:
        grouped: dict[str, dict[str, object]] = {}
        for name in sorted(values):
            grouped.setdefault(self.slug_of(name), {})[name] = values[name]
        return grouped


class AddressColumns(_DetailColumns):
    """Per address type, a column for each part: `address__<type>__<part>`, labelled "Home address: city". A row's
    address of a type updates the record's (first) address of that type, or makes one; the record's first
    address becomes primary."""

    prefix = ADDRESS

    def specs(self, user) -> list[FieldSpec]:
        opts = self.model._meta
        return [
            FieldSpec(
                f"{ADDRESS}{slug}__{part}",
                f"{name} address: {label}",
                opts.get_field(part if part in ADDRESS_FIELDS else "street"),
                "text",
                extra=True,
                convert=_clean,
            )
            for _, name, slug in _types(self.type_model)
            for part, label in ADDRESS_PARTS
        ]

    def snapshot(self, address) -> dict[str, object]:
        return {"id": address.pk, **{f: getattr(address, f) for f in ADDRESS_FIELDS}, "is_primary": address.is_primary}

    def current(self, objs: list) -> dict[int, dict[str, object]]:
        slugs = {pk: slug for pk, _, slug in _types(self.type_model)}
        held: dict[int, dict[str, object]] = {}
        for address in self.rows_of(obj.pk for obj in objs):
            slug = slugs.get(address.type_id)
            record = held.setdefault(getattr(address, self.owner), {})
            if slug is None or f"{ADDRESS}{slug}__street" in record:  # the first address of a type is the one
                continue
            snapshot = self.snapshot(address)
            record.update({f"{ADDRESS}{slug}__{part}": snapshot for part, _ in ADDRESS_PARTS})
        return held

    @staticmethod
    def compose(parts: dict[str, str]) -> dict[str, str]:
        """The address fields a row's parts (part name -> text) give: the house number and a second line joined
        to the street ("Main Street 12", then the second line on a line of its own)."""
        fields = {f: parts[f] for f in ADDRESS_FIELDS if f in parts and f != "street"}
        if {"street", "house_number", "street_line2"} & parts.keys():
            street = " ".join(p for p in (parts.get("street"), parts.get("house_number")) if p)
            fields["street"] = "\n".join(p for p in (street, parts.get("street_line2")) if p)
        return fields

    def parts_of(self, values: dict) -> dict[str, str]:
        return {name.rsplit("__", 1)[1]: value for name, value in values.items()}

    def changes(self, held: dict, values: dict) -> dict[str, tuple[object, object]]:
        changed = {}
        for own in self.by_slug(values).values():
            snapshot = held.get(next(iter(own)))
            whole = all(held.get(name) == snapshot for name in own)  # as `current` gave it, for every part
            if whole and (snapshot is None or isinstance(snapshot, dict)):
                fields = self.compose(self.parts_of(own))
                differs = snapshot is None or any(snapshot.get(f) != v for f, v in fields.items())
            else:  # an earlier row of this import wrote the address: compare with what it gave
                differs = any(held.get(name) != value for name, value in own.items())
            if differs:
                changed.update({name: (held.get(name), value) for name, value in own.items()})
        return changed

    def write(self, *, user, rows: list[tuple[object, dict[str, object]]]) -> None:
        types = {slug: pk for pk, _, slug in _types(self.type_model)}
        existing: dict[tuple, models.Model] = {}
        with_primary = set()
        for address in self.rows_of(obj.pk for obj, _ in rows):
            owner = getattr(address, self.owner)
            existing.setdefault((owner, address.type_id), address)
            if address.is_primary:
                with_primary.add(owner)
        made, changed = [], []
        for obj, values in rows:
            grouped = self.by_slug(values)
            for slug, type_id in types.items():  # in the types' order: the first one made becomes primary
                own = grouped.get(slug)
                if own is None:
                    continue
                fields = self.compose(self.parts_of(own))
                address = existing.get((obj.pk, type_id))
                if address is None:
                    address = self.model(**{self.owner: obj.pk}, type_id=type_id, is_primary=obj.pk not in with_primary)
                    existing[(obj.pk, type_id)] = address
                    with_primary.add(obj.pk)
                    made.append(address)
                elif address not in made and address not in changed:
                    changed.append(address)
                for field, value in fields.items():
                    setattr(address, field, value)
        self.model._default_manager.bulk_create(made, batch_size=1000)
        self.model._default_manager.bulk_update(changed, list(ADDRESS_FIELDS), batch_size=1000)

    def restore(self, *, user, obj, previous: dict[str, object]) -> None:
        types = {slug: pk for pk, _, slug in _types(self.type_model)}
        manager = self.model._default_manager
        deleted = 0
        for slug, own in self.by_slug(previous).items():
            snapshot = next(iter(own.values()))
            if not isinstance(snapshot, dict):  # there was no address of this type: the import made it
                deleted += manager.filter(**{self.owner: obj.pk}, type_id=types.get(slug)).delete()[0]
                continue
            fields = {f: snapshot[f] for f in (*ADDRESS_FIELDS, "is_primary")}
            manager.update_or_create(
                pk=snapshot["id"], defaults={self.owner: obj.pk, "type_id": types.get(slug), **fields}
            )
        if deleted:  # the primary may have been one of them
            promote_a_primary(manager.filter(**{self.owner: obj.pk}))


class CommunicationColumns(_DetailColumns):
    """Per communication type, up to three columns (`communication__email`, `communication__email__2`, ...,
    labelled "Email", "Email 2"), each value normalised as the forms do. A value the record already has for the
    type is not added again; a type's first option becomes primary. For a type the record mirrors in a field of
    its own (`mirrors`: a contact's mobile_phone shows its primary Mobile phone), the primary goes through that
    field, so the section's after_import hook makes the option from it as it does for the field's own column."""

    prefix = COMMUNICATION

    def __init__(self, model: str, *, mirrors: Mirrors | None = None):
        super().__init__(model)
        self.mirrors = mirrors

    def specs(self, user) -> list[FieldSpec]:
        field = self.model._meta.get_field("value")
        specs = []
        # a type whose primary option a record field mirrors is written only by who may write that field (its
        # column right holds for the option too)
        hidden = set(self.mirrored_fields().items())
        if hidden:
            from crm import access
            from crm.sections import registry

            party = self.model._meta.get_field(self.owner.removesuffix("_id")).related_model
            writable = access.fields_for(user, registry.for_model(party), "write").writable
            hidden = {name for name, record_field in hidden if record_field not in writable}
        for _, name, slug, kind in _types(self.type_model, "kind"):
            if name in hidden:
                continue
            for number in range(1, COMMUNICATION_COLUMNS + 1):
                suffix = f"__{number}" if number > 1 else ""
                label = f"{name} {number}" if number > 1 else name
                specs.append(
                    FieldSpec(f"{COMMUNICATION}{slug}{suffix}", label, field, "text", extra=True, convert=_option(kind))
                )
        return specs

    def mirrored_fields(self) -> dict[str, str]:
        """Type name -> the record field that mirrors its primary option."""
        return {name: field for field, name in (self.mirrors.fields.items() if self.mirrors else ())}

    def current(self, objs: list) -> dict[int, dict[str, object]]:
        names = {pk: [f"{COMMUNICATION}{slug}", *self._numbered(slug)] for pk, _, slug in _types(self.type_model)}
        held: dict[int, dict[str, object]] = {}
        for owner, type_id, normalized in self.rows_of(obj.pk for obj in objs).values_list(
            self.owner, "type_id", "normalized"
        ):
            for name in names.get(type_id, ()):
                held.setdefault(owner, {}).setdefault(name, []).append(normalized)
        return held

    @staticmethod
    def _numbered(slug: str) -> list[str]:
        return [f"{COMMUNICATION}{slug}__{number}" for number in range(2, COMMUNICATION_COLUMNS + 1)]

    def changes(self, held: dict, values: dict) -> dict[str, tuple[object, object]]:
        kinds = {slug: kind for _, _, slug, kind in _types(self.type_model, "kind")}
        changed = {}
        for name, value in values.items():
            kind = kinds.get(self.slug_of(name))
            if kind is None:
                continue
            normalized = normalise(kind, value)[1]
            before = held.get(name)
            if isinstance(before, list) and normalized in before:
                continue
            if isinstance(before, str) and normalise(kind, before)[1] == normalized:  # written by an earlier row
                continue
            changed[name] = (before, value)
        return changed

    def write(self, *, user, rows: list[tuple[object, dict[str, object]]]) -> None:
        types = {slug: (pk, name, kind) for pk, name, slug, kind in _types(self.type_model, "kind")}
        mirrored = self.mirrored_fields()
        held = set(self.rows_of(obj.pk for obj, _ in rows).values_list(self.owner, "type_id", "normalized"))
        with_type = {(owner, type_id) for owner, type_id, _ in held}
        made, records, fields = [], [], set()
        for obj, values in rows:
            for name in sorted(values):
                type_id, type_name, kind = types.get(self.slug_of(name), (None, "", ""))
                if type_id is None:
                    continue
                value, normalized = normalise(kind, values[name])
                field = mirrored.get(type_name)
                mirror = getattr(obj, field, "") if field else ""
                if (obj.pk, type_id, normalized) in held or (mirror and _normalised(kind, mirror) == normalized):
                    continue  # the record has it (or its field will make it the primary option)
                held.add((obj.pk, type_id, normalized))
                primary = (obj.pk, type_id) not in with_type and not mirror
                with_type.add((obj.pk, type_id))
                if primary and field:  # the record's own field shows it; the after_import hook makes the option
                    setattr(obj, field, value)
                    fields.add(field)
                    if obj not in records:
                        records.append(obj)
                    continue
                made.append(
                    self.model(
                        **{self.owner: obj.pk}, type_id=type_id, value=value, normalized=normalized, is_primary=primary
                    )
                )
        self.model._default_manager.bulk_create(made, batch_size=1000)
        if records:
            type(records[0])._default_manager.bulk_update(records, sorted(fields), batch_size=1000)

    def restore(self, *, user, obj, previous: dict[str, object]) -> None:
        """Remove the options of each type the import added; the mirrored field then shows the primary option
        (or, when the rollback put back a value of its own, the primary option says that value again)."""
        types = {slug: (pk, name, kind) for pk, name, slug, kind in _types(self.type_model, "kind")}
        mirrored = self.mirrored_fields()
        manager = self.model._default_manager
        for slug, own in self.by_slug(previous).items():
            if slug not in types:
                continue
            type_id, type_name, kind = types[slug]
            kept = next((v for v in own.values() if isinstance(v, list)), [])
            options = manager.filter(**{self.owner: obj.pk}, type_id=type_id)
            options.exclude(normalized__in=kept).delete()
            promote_a_primary(options)
            field = mirrored.get(type_name)
            if field is None:
                continue
            value = getattr(obj, field) or ""
            if value and _normalised(kind, value) in kept:
                self.mirrors.push_fields(obj, [field])
            else:
                primary = options.filter(is_primary=True).values_list("value", flat=True).first() or ""
                type(obj)._default_manager.filter(pk=obj.pk).update(**{field: primary})
                setattr(obj, field, primary)


def _option(kind: str):
    def convert(text: str) -> str:
        try:
            return normalise(kind, text)[0]
        except ValidationError as error:
            raise RefusedValue(" ".join(error.messages))

    return convert


def _normalised(kind: str, value: str) -> str:
    try:
        return normalise(kind, value)[1]
    except ValidationError:
        return value


# --- a photo --------------------------------------------------------------------------------------------------

PHOTO = "photo"
PHOTO_NAME = "photo."  # the attachment a photo is kept in: photo.jpg, photo.png


@dataclass(frozen=True)
class Photo:
    content: bytes
    extension: str
    mime: str

    @property
    def digest(self) -> str:
        return hashlib.sha256(self.content).hexdigest()


def read_photo(text: str) -> Photo:
    """A cell holding an image as a data: URI ("data:image/jpeg;base64,...") or bare base64, checked to be an
    image within the attachment size limit."""
    from PIL import Image, UnidentifiedImageError

    data = text.split(",", 1)[1] if text[:5].lower() == "data:" and "," in text else text
    try:
        content = base64.b64decode("".join(data.split()), validate=True)
    except (binascii.Error, ValueError):
        raise RefusedValue("The photo is not an image written as base64 or a data: URI.")
    limit = settings.ATTACHMENT_MAX_BYTES
    if len(content) > limit:
        raise RefusedValue(f"The photo is {len(content)} bytes; the limit is {limit}.")
    try:
        with Image.open(io.BytesIO(content)) as image:
            image.verify()
            kind = (image.format or "").lower()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise RefusedValue("The photo is not an image.")
    extension = {"jpeg": "jpg"}.get(kind, kind)
    return Photo(content, extension, Image.MIME.get(kind.upper(), f"image/{kind}"))


class PhotoColumn(ImportExtras):
    """A "Photo" column: the image kept as an attachment of the record named photo.<format> (the newest one is
    the record's photo). A photo the record already has is not added again; a rollback removes what it added."""

    def specs(self, user) -> list[FieldSpec]:
        from crm.sections.models import Attachment

        field = Attachment._meta.get_field("file")
        return [FieldSpec(PHOTO, "Photo", field, "text", extra=True, convert=read_photo)]

    def owns(self, name: str) -> bool:
        return name == PHOTO

    def as_json(self, value) -> object:
        return value.digest if isinstance(value, Photo) else value

    @staticmethod
    def photos(objs: list):
        from crm.sections.models import Attachment

        if not objs:
            return Attachment.objects.none()
        content_type = ContentType.objects.get_for_model(objs[0])
        return Attachment.objects.filter(
            content_type=content_type, object_id__in=[obj.pk for obj in objs], name__startswith=PHOTO_NAME
        ).order_by("-created_at", "-pk")

    def current(self, objs: list) -> dict[int, dict[str, object]]:
        held: dict[int, dict[str, object]] = {}
        for attachment in self.photos(objs):
            if attachment.object_id not in held and attachment.file:
                with attachment.file.open("rb") as file:
                    held[attachment.object_id] = {PHOTO: hashlib.sha256(file.read()).hexdigest()}
        return held

    def write(self, *, user, rows: list[tuple[object, dict[str, object]]]) -> None:
        from crm.sections.services import add_attachment

        for obj, values in rows:
            photo = values[PHOTO]
            name = f"{PHOTO_NAME}{photo.extension}"
            add_attachment(user=user, obj=obj, uploaded=SimpleUploadedFile(name, photo.content, photo.mime), name=name)

    def restore(self, *, user, obj, previous: dict[str, object]) -> None:
        kept = previous.get(PHOTO)
        for attachment in self.photos([obj]):
            if attachment.file:
                with attachment.file.open("rb") as file:
                    if hashlib.sha256(file.read()).hexdigest() == kept:
                        continue
                attachment.file.delete(save=False)
            attachment.delete()


# --- a yearly date without a year -----------------------------------------------------------------------------

#: the year a day and month are kept with: a leap year, so that 29 February is a date
PLACEHOLDER_YEAR = 2000
DAY_MONTH_FORMATS = (
    re.compile(r"^--(?P<month>\d{2})-?(?P<day>\d{2})$"),  # vCard / ISO 8601 without a year: --04-15, --0415
    re.compile(r"^(?P<month>\d{1,2})-(?P<day>\d{1,2})$"),  # 04-15
    re.compile(r"^(?P<day>\d{1,2})\.(?P<month>\d{1,2})\.?$"),  # 15.04.
    re.compile(r"^(?P<day>\d{1,2})/(?P<month>\d{1,2})$"),  # 15/04
)


def read_day_month(text: str) -> str:
    """A day and month as files write them, as "--MM-DD"."""
    for pattern in DAY_MONTH_FORMATS:
        found = pattern.match(text.strip())
        if found:
            try:
                date = datetime.date(PLACEHOLDER_YEAR, int(found["month"]), int(found["day"]))
            except ValueError:
                break
            return date.strftime("--%m-%d")
    raise RefusedValue(f"“{text}” is not a day and month (use --04-15 or 15.04.).")


class DayMonthColumn(ImportExtras):
    """A yearly date known by its day and month only (a birthday without a year): kept as a noteworthy event of
    `event_type` dated in PLACEHOLDER_YEAR, when the record has no `date_field` and no such event yet."""

    def __init__(self, *, name: str, label: str, event_model: str, owner: str, event_type: str, date_field: str):
        self.name, self.label = name, label
        self.event_model_label, self.owner, self.event_type, self.date_field = (
            event_model,
            owner,
            event_type,
            date_field,
        )

    @property
    def event_model(self) -> type[models.Model]:
        return apps.get_model(self.event_model_label)

    def type_id(self) -> int | None:
        model = self.event_model._meta.get_field("type").related_model
        return model._default_manager.filter(name=self.event_type).values_list("pk", flat=True).first()

    def specs(self, user) -> list[FieldSpec]:
        if self.type_id() is None:
            return []
        field = self.event_model._meta.get_field("date")
        return [FieldSpec(self.name, self.label, field, "text", extra=True, convert=read_day_month)]

    def owns(self, name: str) -> bool:
        return name == self.name

    def events(self, pks) -> models.QuerySet:
        return self.event_model._default_manager.filter(
            **{f"{self.owner}_id__any_of": sorted(pks)}, type_id=self.type_id()
        )

    def current(self, objs: list) -> dict[int, dict[str, object]]:
        held: dict[int, dict[str, object]] = {
            obj.pk: {self.name: getattr(obj, self.date_field).strftime("--%m-%d")}
            for obj in objs
            if getattr(obj, self.date_field)
        }
        for owner, date in self.events(obj.pk for obj in objs).values_list(f"{self.owner}_id", "date"):
            held.setdefault(owner, {self.name: date.strftime("--%m-%d")})
        return held

    def changes(self, held: dict, values: dict) -> dict[str, tuple[object, object]]:
        # a record that knows the date (with its year, or as an event) keeps it
        return {} if held.get(self.name) else {self.name: (None, values[self.name])}

    def write(self, *, user, rows: list[tuple[object, dict[str, object]]]) -> None:
        type_id = self.type_id()
        known = set(self.events(obj.pk for obj, _ in rows).values_list(f"{self.owner}_id", flat=True))
        made = []
        for obj, values in rows:
            if getattr(obj, self.date_field) or obj.pk in known:
                continue
            known.add(obj.pk)
            month, day = values[self.name].removeprefix("--").split("-")
            date = datetime.date(PLACEHOLDER_YEAR, int(month), int(day))
            made.append(self.event_model(**{f"{self.owner}_id": obj.pk}, type_id=type_id, date=date))
        self.event_model._default_manager.bulk_create(made, batch_size=1000)

    def restore(self, *, user, obj, previous: dict[str, object]) -> None:
        if previous.get(self.name) is None:
            self.events([obj.pk]).filter(date__year=PLACEHOLDER_YEAR).delete()

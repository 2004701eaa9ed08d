"""What a rule compares, for any section, read from the model: its text, email, phone and web fields, the
`any_*` attributes that gather every field and communication option of a kind (any phone: mobile, business,
home, ...), its dates (a birthdate, compared whole or by year), the parts of any of its addresses (`address_*`: the
street, postcode, city and country of every address row the section declares among its details), and the custom
fields an administrator added (`custom__<code>`). A new section needs no code here."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.apps import apps
from django.db import models

from crm.core.communication import AddressBase, CommunicationKind, CommunicationOptionBase
from crm.designer.fields import PREFIX as CUSTOM_PREFIX
from crm.designer.fields import CustomField, is_custom
from crm.sections.registry import Section

from .normalisation import Kind, blocking_keys, normalise

#: field names read as names of people or organisations (compared whatever the order of their words)
NAME_FIELDS = {"name": Kind.COMPANY, "full_name": Kind.NAME, "contact_name": Kind.NAME, "account_name": Kind.COMPANY}
NAME_FIELDS["also_known_as"] = Kind.COMPANY

_OPTION_KIND = {
    Kind.PHONE: CommunicationKind.PHONE,
    Kind.EMAIL: CommunicationKind.EMAIL,
    Kind.WEB: CommunicationKind.WEB,
}


@dataclass(frozen=True)
class Attribute:
    """A comparable attribute of a section's records: the fields it reads and the communication option kinds."""

    name: str
    label: str
    kind: str
    fields: tuple[str, ...] = ()
    option_kind: str = ""
    #: the part of the record's addresses it reads ("street", "zip_code", "city", "country"), if any
    address_part: str = ""


@dataclass(frozen=True)
class OptionSource:
    """A detail model of communication options owned by the section's records."""

    model: type[models.Model]
    owner_field: str


#: the parts of an address a rule may compare: (part, label)
ADDRESS_PARTS = (("street", "street"), ("zip_code", "postcode"), ("city", "city"), ("country", "country"))
ADDRESS_PREFIX = "address_"


def _field_kind(model_field: models.Field) -> str | None:
    if isinstance(model_field, models.DateField) and not isinstance(model_field, models.DateTimeField):
        return Kind.DATE
    if isinstance(model_field, models.EmailField):
        return Kind.EMAIL
    if isinstance(model_field, models.URLField):
        return Kind.WEB
    if not isinstance(model_field, models.CharField) or model_field.choices:
        return None
    if "phone" in model_field.name:
        return Kind.PHONE
    return NAME_FIELDS.get(model_field.name, Kind.TEXT)


#: custom field kinds a rule may compare (numbers, dates and yes/no would only make noise)
CUSTOM_KINDS = frozenset({"text", "long_text", "email", "url", "choice", "integer"})


def _custom_kind(custom: CustomField) -> str | None:
    if custom.kind not in CUSTOM_KINDS:
        return None
    if custom.kind == "email":
        return Kind.EMAIL
    if custom.kind == "url":
        return Kind.WEB
    if custom.kind == "text" and "phone" in custom.code:
        return Kind.PHONE
    return Kind.TEXT


def _detail_sources(section: Section, base: type) -> list[OptionSource]:
    """The detail models of `section` derived from `base` that name their owner, as sources of attributes."""
    sources = []
    for label in section.detail_models:
        try:
            model = apps.get_model(label)
        except (LookupError, ValueError):
            continue
        if issubclass(model, base) and model.OWNER_FIELD:
            sources.append(OptionSource(model, model.OWNER_FIELD))
    return sources


def option_sources(section: Section) -> list[OptionSource]:
    """The communication options owned by the section's records (a contact's phones and emails)."""
    return _detail_sources(section, CommunicationOptionBase)


def address_sources(section: Section) -> list[OptionSource]:
    """The detail models of addresses owned by the section's records (a contact's, an account's addresses)."""
    return _detail_sources(section, AddressBase)


def attributes_for(section: Section, *, custom: bool = True) -> dict[str, Attribute]:
    """Every attribute a rule of `section` may compare, by name (without the custom fields if asked: they cost
    a query a request)."""
    system = set(getattr(section.model, "SYSTEM_FIELDS", ()))
    result: dict[str, Attribute] = {}
    by_kind: dict[str, list[str]] = defaultdict(list)
    for model_field in section.opts.concrete_fields:
        if model_field.name in system or not model_field.editable:
            continue
        kind = _field_kind(model_field)
        if kind is None:
            continue
        result[model_field.name] = Attribute(model_field.name, str(model_field.verbose_name), kind, (model_field.name,))
        by_kind[Kind.NAME if kind == Kind.COMPANY else kind].append(model_field.name)
    has_options = bool(option_sources(section))
    for kind, label in ((Kind.PHONE, "any phone"), (Kind.EMAIL, "any email"), (Kind.WEB, "any web site")):
        if by_kind.get(kind) or has_options:
            option_kind = _OPTION_KIND[kind] if has_options else ""
            result[f"any_{kind}"] = Attribute(f"any_{kind}", label, kind, tuple(by_kind.get(kind, ())), option_kind)
    if address_sources(section):
        for part, label in ADDRESS_PARTS:
            name = f"{ADDRESS_PREFIX}{part}"
            result[name] = Attribute(name, f"any address: {label}", Kind.TEXT, address_part=part)
    if len(by_kind.get(Kind.NAME, ())) > 1:
        names = tuple(by_kind[Kind.NAME])
        result["any_name"] = Attribute("any_name", "any name", result[names[0]].kind, names)
    # custom fields stand alone: the `any_*` attributes of the preset rules keep comparing what they compared
    for custom_field in section.custom_fields() if custom else ():
        kind = _custom_kind(custom_field)
        if kind is not None:
            result[custom_field.name] = Attribute(custom_field.name, custom_field.label, kind, (custom_field.name,))
    return result


def describe(rule_attribute, available: dict[str, Attribute]) -> str:
    """A rule's attribute for people: its label, kind and threshold (or that its custom field is gone)."""
    attribute = available.get(rule_attribute.attribute)
    if attribute is None:
        return f"{rule_attribute.attribute} (no longer exists: the rule finds nothing)"
    how = "exact" if rule_attribute.threshold >= 100 else f"≥ {rule_attribute.threshold}%"
    return f"{attribute.label} ({rule_attribute.get_kind_display()}, {how})"


# --- compiled rules ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Part:
    """One attribute of a compiled rule."""

    attribute: Attribute
    kind: str
    threshold: int

    @property
    def slot(self) -> str:
        """Values of the same attribute read as the same kind are normalised once and shared by rules."""
        return f"{self.attribute.name}/{self.kind}"

    @property
    def is_exact(self) -> bool:
        return self.threshold >= 100


@dataclass(frozen=True)
class CompiledRule:
    id: int
    name: str
    parts: tuple[Part, ...]

    @property
    def is_fuzzy(self) -> bool:
        return any(not p.is_exact for p in self.parts)


def compile_rules(section: Section, *, on_save: bool = False) -> list[CompiledRule]:
    """The section's active rules (only those used on save, if asked), with attributes it knows: a rule comparing
    an attribute the section no longer has (a custom field deleted or deactivated) is left out, as it can match
    nothing."""
    from .models import DuplicateRule

    available = attributes_for(section)
    rules = DuplicateRule.objects.filter(section=section.name, is_active=True).prefetch_related("attributes")
    if on_save:
        rules = rules.filter(use_on_save=True)
    compiled = []
    for rule in rules:
        parts = tuple(
            Part(available[a.attribute], a.kind, a.threshold) for a in rule.attributes.all() if a.attribute in available
        )
        if parts and len(parts) == len(rule.attributes.all()):
            compiled.append(CompiledRule(rule.pk, rule.name, parts))
    return compiled


def slots_of(rules: Iterable[CompiledRule]) -> dict[str, Part]:
    """Each slot the rules compare, with its lowest threshold: a slot one rule compares fuzzily needs blocking keys."""
    slots: dict[str, Part] = {}
    for part in (part for rule in rules for part in rule.parts):
        if part.slot not in slots or part.threshold < slots[part.slot].threshold:
            slots[part.slot] = part
    return slots


# --- reading records -----------------------------------------------------------------------------------------

#: per record: slot -> its normalised values
Values = dict[str, frozenset[str]]


def _normalise_all(kind: str, raw: Iterable) -> frozenset[str]:
    return frozenset(n for n in (normalise(kind, v) for v in raw if v) if n)


def read_values(section: Section, rules: list[CompiledRule], queryset: models.QuerySet) -> dict[int, Values]:
    """The normalised values of every slot the rules compare, for the records of `queryset` (one query for the
    fields, one per communication options model)."""
    slots = slots_of(rules)
    if not slots:
        return {}
    names = {f for part in slots.values() for f in part.attribute.fields}
    field_names = sorted(n for n in names if not is_custom(n))
    custom_names = sorted(n for n in names if is_custom(n))
    # custom values are read from the whole JSON, not by key: SQLite's key extraction reads "12.50" as a number
    columns = [*field_names, "custom"] if custom_names else field_names
    rows = queryset.order_by().values_list("pk", *columns)
    raw: dict[int, dict[str, list]] = {}
    for row in rows:
        raw[row[0]] = {name: [value] for name, value in zip(field_names, row[1 : 1 + len(field_names)], strict=True)}
        if custom_names:
            custom = row[-1] or {}
            raw[row[0]].update({name: [custom.get(name.removeprefix(CUSTOM_PREFIX))] for name in custom_names})
    option_kinds = {part.attribute.option_kind for part in slots.values() if part.attribute.option_kind}
    if option_kinds and raw:
        for source in option_sources(section):
            options = source.model._default_manager.filter(
                **{f"{source.owner_field}_id__in": list(raw), "type__kind__in": option_kinds}
            ).values_list(f"{source.owner_field}_id", "type__kind", "value")
            for owner_id, option_kind, value in options:
                raw[owner_id].setdefault(f"option:{option_kind}", []).append(value)
    address_parts = sorted({part.attribute.address_part for part in slots.values() if part.attribute.address_part})
    if address_parts and raw:
        for source in address_sources(section):
            addresses = source.model._default_manager.filter(**{f"{source.owner_field}_id__in": list(raw)})
            for owner_id, *parts in addresses.values_list(f"{source.owner_field}_id", *address_parts):
                for address_part, value in zip(address_parts, parts, strict=True):
                    raw[owner_id].setdefault(f"address:{address_part}", []).append(value)
    result = {}
    for pk, fields in raw.items():
        values = {}
        for slot, part in slots.items():
            collected = [v for name in part.attribute.fields for v in fields.get(name, ())]
            if part.attribute.option_kind:
                collected += fields.get(f"option:{part.attribute.option_kind}", [])
            if part.attribute.address_part:
                collected += fields.get(f"address:{part.attribute.address_part}", [])
            values[slot] = _normalise_all(part.kind, collected)
        result[pk] = values
    return result


def values_of_instance(section: Section, rules: list[CompiledRule], instance) -> Values:
    """The normalised values of an unsaved (or edited, not yet saved) record; its saved communication options
    count too."""
    slots = slots_of(rules)
    options: dict[str, list] = defaultdict(list)
    if instance.pk:
        kinds = {p.attribute.option_kind for p in slots.values() if p.attribute.option_kind}
        for source in option_sources(section):
            for option_kind, value in source.model._default_manager.filter(
                **{f"{source.owner_field}_id": instance.pk, "type__kind__in": kinds}
            ).values_list("type__kind", "value"):
                options[option_kind].append(value)
    address_parts = sorted({p.attribute.address_part for p in slots.values() if p.attribute.address_part})
    if instance.pk and address_parts:
        for source in address_sources(section):
            rows = source.model._default_manager.filter(**{f"{source.owner_field}_id": instance.pk})
            for parts in rows.values_list(*address_parts):
                for address_part, value in zip(address_parts, parts, strict=True):
                    options[f"address:{address_part}"].append(value)
    values = {}
    for slot, part in slots.items():
        collected = [_value_of(instance, name) for name in part.attribute.fields]
        if part.attribute.option_kind:
            collected += options.get(part.attribute.option_kind, [])
        if part.attribute.address_part:
            collected += options.get(f"address:{part.attribute.address_part}", [])
        values[slot] = _normalise_all(part.kind, collected)
    return values


def _value_of(instance, name: str):
    if is_custom(name):
        return (getattr(instance, "custom", None) or {}).get(name.removeprefix(CUSTOM_PREFIX))
    return getattr(instance, name, "")


def keys_of(values: Values, slots: dict[str, Part]) -> set[str]:
    """The index keys of a record: each normalised value, and the blocking keys of values compared fuzzily."""
    fuzzy = {slot for slot, part in slots.items() if not part.is_exact}
    keys = set()
    for slot, normalised in values.items():
        for value in normalised:
            keys.add(clip(f"{slot}={value}"))
            if slot in fuzzy:
                keys.update(clip(f"{slot}~{block}") for block in blocking_keys(slots[slot].kind, value))
    return keys


def clip(key: str) -> str:
    if len(key) <= 255:
        return key
    import hashlib

    return key[:200] + "#" + hashlib.sha1(key.encode(), usedforsecurity=False).hexdigest()


def all_slots(section: Section) -> dict[str, Part]:
    """The slots every active rule of the section compares (what the key index holds)."""
    return slots_of(compile_rules(section))

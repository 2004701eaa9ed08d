"""Business rules of a section: IF conditions on the record's fields THEN hide or show a field, make it read-only
or editable, required or optional, limit the values it offers or set its value (from another field or a formula).

Unlike Creatio, where they act in the browser only, they are enforced by the server: `enforce` is a record
validator (crm.sections.services.register_record_validator) that every write path runs on the record as it is
about to be saved: the form, editing in place, the pipeline's moves, imports and any service. The browser gets
the same rules as JSON (`client_rules`) and applies them live (static/js/rules.js).

Rules are read once per request or task, with the custom fields (crm.designer.fields.forget forgets them all).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.db import DatabaseError, models, transaction

from crm import access

from . import conditions as conditions_module
from . import formula
from .conditions import Condition
from .fields import _local
from .models import BusinessRule, PageLayout

Action = BusinessRule.Action
TWO_PLACES = Decimal("0.01")
MAX_RULES = 200  # per section: every write evaluates them all


@dataclass(frozen=True)
class Rule:
    """A rule as the server and the browser apply it."""

    pk: int
    name: str
    match: str
    conditions: tuple[Condition, ...]
    action: str
    target: str
    values: tuple[str, ...] = ()
    tree: tuple | list | None = None

    def applies(self, values: dict) -> bool:
        return conditions_module.holds(list(self.conditions), self.match, values)

    def as_json(self) -> dict:
        return {
            "name": self.name,
            "match": self.match,
            "conditions": [{"field": c.field, "operator": c.operator, "value": c.value} for c in self.conditions],
            "action": self.action,
            "target": self.target,
            "values": list(self.values),
            "formula": self.tree,
        }


def compile_rule(row: BusinessRule) -> Rule:
    tree = None
    if row.action == Action.SET_VALUE and row.formula:
        try:
            tree = formula.parse(row.formula)
        except formula.FormulaError:
            tree = None  # checked when saved; a rule that no longer reads sets nothing
    return Rule(
        pk=row.pk,
        name=row.name,
        match=row.match,
        conditions=tuple(Condition.from_json(c) for c in row.conditions or () if isinstance(c, dict)),
        action=row.action,
        target=row.target,
        values=tuple(str(v) for v in row.values or ()),
        tree=tree,
    )


def all_rules() -> dict[str, tuple[Rule, ...]]:
    cached = getattr(_local, "rules", None)
    if cached is None:
        cached = {}
        try:
            rows = list(BusinessRule.objects.filter(is_active=True).order_by("position", "id"))
        except DatabaseError:  # before the designer's tables are migrated
            return {}
        for row in rows:
            cached[row.section] = (*cached.get(row.section, ()), compile_rule(row))
        _local.rules = cached
    return cached


def rules_of(section_name: str) -> tuple[Rule, ...]:
    return all_rules().get(section_name, ())


# --- the record's values ------------------------------------------------------------------------------------


def _field(section, name: str):
    try:
        return section.field(name)
    except FieldDoesNotExist:
        return None


def values_of(section, obj, names) -> dict:
    """{field name: value} as the rules see them: a foreign key's id, a custom field's Python value."""
    values = {}
    for name in names:
        field = _field(section, name)
        if field is not None:
            values[name] = field.value_from_object(obj)
    return values


def used_fields(rules) -> set[str]:
    names = set()
    for rule in rules:
        names.add(rule.target)
        names.update(c.field for c in rule.conditions)
        if rule.tree is not None:
            names.update(formula.fields_in(rule.tree))
    return names


def kind_of(field) -> str:
    """The formula type of a field: number, date, text, or any (a reference, a yes/no)."""
    if getattr(field, "is_custom", False):
        return {
            "integer": formula.NUMBER,
            "decimal": formula.NUMBER,
            "date": formula.DATE,
            "datetime": formula.DATE,
            "boolean": formula.ANY,
        }.get(field.kind, formula.TEXT)
    if field.is_relation or isinstance(field, models.BooleanField):
        return formula.ANY
    if isinstance(field, models.IntegerField | models.DecimalField | models.FloatField):
        return formula.NUMBER
    if isinstance(field, models.DateField):
        return formula.DATE
    return formula.TEXT


def _coerce(field, value):
    """A formula's result as the field keeps it."""
    if value is None or value == "":
        return None if field.null or getattr(field, "is_custom", False) else ""
    kind = kind_of(field)
    if kind == formula.NUMBER:
        number = Decimal(str(value))
        integer = getattr(field, "kind", "") == "integer" or isinstance(field, models.IntegerField)
        return int(number) if integer else number.quantize(TWO_PLACES)
    if kind == formula.DATE:
        return formula._date(value)
    if kind == formula.TEXT:
        return str(value)[: field.max_length or None]
    return value


def _set(section, obj, field, value) -> None:
    if getattr(field, "is_custom", False):
        from .fields import set_values

        set_values(obj, {field.name: field}, {field.name: value})
    elif field.is_relation:
        setattr(obj, field.attname, getattr(value, "pk", value))
    else:
        setattr(obj, field.attname, value)


def _label(section, name: str) -> str:
    field = _field(section, name)
    return str(getattr(field, "verbose_name", name)).capitalize() if field is not None else name


def enforce(*, section, obj, previous: dict | None = None) -> set[str]:
    """Apply the section's rules to `obj` as it is about to be saved: set the values "set value" rules give, then
    refuse (ValidationError by field, each naming its rule) a field left empty that a rule requires, a change to
    a field a rule makes read-only or hides, a value a rule does not offer. `previous`: {field name: value before}
    of an existing record (the fields a write may have changed), None for a new one: a new record's field that a
    rule hides or makes read-only may hold only what a new record starts with (its default, or nothing), so a
    crafted request is refused on create as on update, naming the rule. Returns the fields set."""
    rules = rules_of(section.name)
    if not rules:
        return set()
    names = used_fields(rules)
    values = values_of(section, obj, names)
    changed = set()
    computed = set()  # the fields a "set value" rule gives their value: they follow it, locked or not
    for rule in rules:
        if rule.action != Action.SET_VALUE or rule.tree is None or not rule.applies(values):
            continue
        field = _field(section, rule.target)
        if field is None:
            continue
        computed.add(rule.target)
        try:
            result = _coerce(field, formula.evaluate(rule.tree, values))
        except (formula.FormulaError, ValueError, ArithmeticError):
            result = _coerce(field, None)
        if conditions_module.canonical(result) != conditions_module.canonical(values.get(rule.target)):
            _set(section, obj, field, result)
            values[rule.target] = field.value_from_object(obj)
            changed.add(rule.target)
    errors: dict[str, list[str]] = {}
    state = effective(rules, values)
    for name, rule in state["required"].items():
        if conditions_module.canonical(values.get(name)) == "" and name not in state["hidden"]:
            errors.setdefault(name, []).append(f"{_label(section, name)}: required by the rule “{rule.name}”.")
    for name, rule in {**state["hidden"], **state["locked"]}.items():
        if name in computed:
            continue
        after = conditions_module.canonical(values.get(name))
        if previous is None:
            # a new record: the field keeps what a new record starts with (its default, or nothing), whatever
            # the request says, as an existing record keeps what it holds
            if after != "" and not conditions_module.same(after, _initial(section, name)):
                errors.setdefault(name, []).append(
                    f"{_label(section, name)}: cannot be set, by the rule “{rule.name}”."
                )
        elif name in previous:
            if not conditions_module.same(conditions_module.canonical(previous[name]), after):
                errors.setdefault(name, []).append(
                    f"{_label(section, name)}: cannot change, by the rule “{rule.name}”."
                )
    for name, (rule, allowed) in state["filters"].items():
        value = conditions_module.canonical(values.get(name))
        if value and not any(conditions_module.same(value, option) for option in allowed):
            errors.setdefault(name, []).append(
                f"{_label(section, name)}: this value is not offered, by the rule “{rule.name}”."
            )
    if errors:
        raise ValidationError(errors)
    return changed


def _initial(section, name: str) -> str:
    """What a new record holds in the field before anyone writes it (its default; a custom field's default is
    the value its form starts with), as the rules compare it."""
    field = _field(section, name)
    if field is None:
        return ""
    if getattr(field, "is_custom", False):
        return conditions_module.canonical(field.to_python(field.default))
    return conditions_module.canonical(field.get_default()) if field.has_default() else ""


def effective(rules, values: dict) -> dict:
    """What the rules make of each field for these values: {"hidden", "locked", "required": {name: rule},
    "filters": {name: (rule, allowed values)}}."""
    state = {"hidden": {}, "locked": {}, "required": {}, "filters": {}}
    for rule in rules:
        applies = rule.applies(values)
        if rule.action == Action.HIDE and applies or rule.action == Action.SHOW and not applies:
            state["hidden"].setdefault(rule.target, rule)
        elif rule.action == Action.READ_ONLY and applies or rule.action == Action.EDITABLE and not applies:
            state["locked"].setdefault(rule.target, rule)
        elif rule.action == Action.REQUIRED and applies or rule.action == Action.OPTIONAL and not applies:
            state["required"].setdefault(rule.target, rule)
        elif rule.action == Action.FILTER and applies:
            state["filters"].setdefault(rule.target, (rule, rule.values))
    return state


def client_rules(section) -> list[dict]:
    """The rules as the form's script applies them (each naming its section: the type-ahead of a lookup a rule
    filters asks the server with it, see `lookup_limit`)."""
    return [{**rule.as_json(), "section": section.name} for rule in rules_of(section.name)]


def offered(section, field_name: str, values) -> tuple[Rule, tuple[str, ...]] | None:
    """The filter rule that limits the values `field_name` of `section` offers for these values of the record
    (text, as the form sends them), and the values it offers; None when no filter applies."""
    filters = [r for r in rules_of(section.name) if r.action == Action.FILTER and r.target == field_name]
    current = {c.field: values.get(c.field, "") for rule in filters for c in rule.conditions}
    for rule in filters:  # the first that applies, as `effective` takes it
        if rule.applies(current):
            return rule, rule.values
    return None


#: the query parameters of a lookup's type-ahead naming the form that asks (the other parameters are its values)
LOOKUP_FORM, LOOKUP_FIELD = "rules_section", "rules_field"


def lookup_limit(params, model) -> list[int] | None:
    """The ids a lookup's type-ahead over `model` may offer, by the filter rule of the form that asks: `params`
    (the request's query) name its section and field (LOOKUP_FORM, LOOKUP_FIELD) and carry the values the
    rule's conditions read. None: no rule limits it (nor a request naming no form, or a field not over `model`)."""
    section_name, field_name = params.get(LOOKUP_FORM, ""), params.get(LOOKUP_FIELD, "")
    if not section_name or not field_name:
        return None
    try:
        section = registry_get(section_name)
    except KeyError:
        return None
    field = _field(section, field_name)
    related = getattr(field, "related_model", None)
    if related is None or related._meta.label != model._meta.label:  # a runtime model may be rebuilt
        return None
    found = offered(section, field_name, params)
    if found is None:
        return None
    return [int(value) for value in found[1] if str(value).isdigit()]


def required_fields(section_name: str) -> set[str]:
    """The fields some rule can make required (the page designer may not hide them)."""
    return {r.target for r in rules_of(section_name) if r.action in (Action.REQUIRED, Action.OPTIONAL)}


# --- checking a rule before it is saved ------------------------------------------------------------------------


def model_required(section) -> set[str]:
    """The fields a record of the section cannot do without: the form's non-blank fields, required custom ones."""
    names = set()
    for name in section.form_fields:
        field = _field(section, name)
        if field is not None and not field.blank and not isinstance(field, models.BooleanField):
            names.add(name)
    return names | {f.name for f in section.custom_fields() if f.required}


def _options(field) -> list[tuple[str, str]] | None:
    """(value as the rules compare it, label) of a field that offers values; None for one that does not."""
    if field.choices:
        return [(str(value), str(label)) for value, label in field.flatchoices if value not in ("", None)]
    if field.is_relation and field.many_to_one:
        related = field.related_model
        if "name" in {f.name for f in related._meta.concrete_fields}:
            return None  # looked up by name: tables can be large
    return None


def normalise_value(section, name: str, raw) -> str:
    """A condition's or filter's value as the rules compare it (an id for a reference, a code for a choice),
    from what an administrator wrote (a name, a label). Raises ValidationError."""
    field = _field(section, name)
    text = str(raw).strip()
    if field is None:
        raise ValidationError(f"Unknown field “{name}”.")
    options = _options(field)
    if options is not None:
        for value, label in options:
            if text.casefold() in (value.casefold(), label.casefold()):
                return value
        raise ValidationError(f"“{text}” is not a value of {_label(section, name)}.")
    if field.is_relation and field.many_to_one:
        manager = field.related_model._default_manager
        found = manager.filter(pk=int(text)).first() if text.isdigit() else None
        if found is None and "name" in {f.name for f in field.related_model._meta.concrete_fields}:
            found = manager.filter(name__iexact=text).first()
        if found is None:
            raise ValidationError(f"“{text}” is not a value of {_label(section, name)}.")
        return str(found.pk)
    if getattr(field, "kind", "") == "lookup":  # a custom lookup: by the id it keeps, as a foreign key
        from .lookups import clean_lookup

        try:
            return str(clean_lookup(field, text))
        except ValidationError:
            raise ValidationError(f"“{text}” is not a value of {_label(section, name)}.") from None
    kind = kind_of(field)
    if kind == formula.NUMBER:
        if conditions_module._as_number(text) is None:
            raise ValidationError(f"{_label(section, name)} is a number: “{text}” is not one.")
        return conditions_module.canonical(Decimal(text))
    if kind == formula.DATE:
        try:
            return formula._date(text).isoformat()
        except formula.FormulaError as error:
            raise ValidationError(str(error)) from None
    if isinstance(field, models.BooleanField) or getattr(field, "kind", "") == "boolean":
        if text.casefold() in ("yes", "true", "1"):
            return "true"
        if text.casefold() in ("no", "false", "0"):
            return "false"
        raise ValidationError(f"{_label(section, name)} is yes or no.")
    return text


def _implies(first: tuple[list[Condition], str], second: tuple[list[Condition], str]) -> bool:
    """Whether the first condition set holding means the second holds (sure cases only)."""
    a, match_a = first
    b, match_b = second
    if not b:
        return True
    if (match_a == "any" and len(a) > 1) or (match_b == "any" and len(b) > 1):
        return a == b and match_a == match_b
    for wanted in b:
        if not any(
            have == wanted
            or have.field == wanted.field
            and have.accepted() is not None
            and (
                wanted.accepted() is not None
                and have.accepted() <= wanted.accepted()
                or wanted.operator == "filled"
                and "" not in have.accepted()
            )
            for have in a
        ):
            return False
    return True


def _effects(rule: Rule) -> tuple[str, bool]:
    """(what the rule does to its field, whether it does it when its conditions do NOT hold)."""
    return {
        Action.HIDE: ("hidden", False),
        Action.SHOW: ("hidden", True),
        Action.READ_ONLY: ("locked", False),
        Action.EDITABLE: ("locked", True),
        Action.REQUIRED: ("required", False),
        Action.OPTIONAL: ("required", True),
        Action.FILTER: ("filter", False),
        Action.SET_VALUE: ("set", False),
    }[rule.action]


def _may_meet(first: Rule, second: Rule) -> bool:
    """Whether the two rules' effects can act on one record at once."""
    _, negated_a = _effects(first)
    _, negated_b = _effects(second)
    a, b = (list(first.conditions), first.match), (list(second.conditions), second.match)
    if not negated_a and not negated_b:
        return not conditions_module.disjoint(a, b)
    if negated_a and negated_b:
        return True
    # one acts when its conditions hold, the other when its own do not: they meet unless the first implies the
    # second (required when won, shown when won or lost)
    plain, negated = (a, b) if negated_b else (b, a)
    return not _implies(plain, negated)


CLASHES = ({"hidden", "required"}, {"set"})


def contradiction(rule: Rule, others) -> str:
    """Why `rule` contradicts one of `others` (rules of the same section), or ""."""
    effect, _ = _effects(rule)
    for other in others:
        if other.target != rule.target or other.pk == rule.pk:
            continue
        other_effect, _ = _effects(other)
        if {effect, other_effect} not in CLASHES:
            continue
        if _may_meet(rule, other):
            if effect == "set":
                return f"The rule “{other.name}” sets the same field under conditions that may hold together."
            return (
                f"The rule “{other.name}” {'requires' if other_effect == 'required' else 'hides'} the same field "
                "under conditions that may hold together: a field cannot be hidden and required at once."
            )
    return ""


def clean(row: BusinessRule, section) -> None:
    """Check a rule against its section and the section's other rules; normalise its values. Raises
    ValidationError (by form field) with a message for the administrator."""
    errors: dict[str, str] = {}
    names = set(section.field_names())
    target = _field(section, row.target) if row.target in names else None
    if target is None:
        errors["target"] = f"Unknown field “{row.target}”."
    conditions = []
    for index, data in enumerate(row.conditions or []):
        condition = Condition.from_json(data if isinstance(data, dict) else {})
        if condition.field not in names:
            errors["conditions"] = f"Condition {index + 1}: unknown field “{condition.field}”."
            break
        if condition.operator not in conditions_module.OPERATORS:
            errors["conditions"] = f"Condition {index + 1}: unknown comparison “{condition.operator}”."
            break
        try:
            if condition.operator in conditions_module.WITHOUT_VALUE:
                value = ""
            elif condition.operator == "in":
                items = condition.value if isinstance(condition.value, list) else str(condition.value).split(",")
                value = [normalise_value(section, condition.field, v) for v in items if str(v).strip()]
                if not value:
                    raise ValidationError("“is one of” needs at least one value.")
            else:
                if str(condition.value).strip() == "":
                    raise ValidationError("a value to compare with is missing.")
                value = normalise_value(section, condition.field, condition.value)
        except ValidationError as error:
            errors["conditions"] = f"Condition {index + 1}: {' '.join(error.messages)}"
            break
        conditions.append({"field": condition.field, "operator": condition.operator, "value": value})
    if len(conditions) > 20:
        errors["conditions"] = "A rule has at most 20 conditions."
    if target is not None and not errors:
        row.conditions = conditions
        _clean_action(row, section, target, errors)
    if not errors:
        others = [r for r in rules_of(section.name) if r.pk != row.pk]
        if len(others) >= MAX_RULES:
            errors["name"] = f"A section has at most {MAX_RULES} rules."
        reason = contradiction(compile_rule(row), others) if row.is_active else ""
        if reason:
            errors["action"] = reason
    if errors:
        raise ValidationError(errors)


def _clean_action(row: BusinessRule, section, target, errors: dict) -> None:
    action = row.action
    if action not in Action.values:
        errors["action"] = "Choose what the rule does."
        return
    if action in (Action.HIDE, Action.SHOW, Action.OPTIONAL) and row.target in model_required(section):
        errors["action"] = f"{_label(section, row.target)} is required: it cannot be hidden or made optional."
    if action in (Action.REQUIRED, Action.OPTIONAL):
        layout = PageLayout.objects.filter(section=section.name).first()
        if layout is not None and row.target in (layout.hidden or []):
            errors["action"] = f"{_label(section, row.target)} is hidden by the page designer: it cannot be required."
    if action == Action.FILTER:
        items = row.values if isinstance(row.values, list) else str(row.values).split(",")
        if not (target.choices or target.is_relation or getattr(target, "kind", "") == "lookup"):
            errors["values"] = f"{_label(section, row.target)} offers no values to limit."
            return
        try:
            row.values = [normalise_value(section, row.target, v) for v in items if str(v).strip()]
        except ValidationError as error:
            errors["values"] = " ".join(error.messages)
            return
        if not row.values:
            errors["values"] = "List the values the field may offer."
    else:
        row.values = []
    if action == Action.SET_VALUE:
        _clean_formula(row, section, target, errors)
    else:
        row.formula = ""


def _clean_formula(row: BusinessRule, section, target, errors: dict) -> None:
    kinds = {}
    for name in section.field_names():
        field = _field(section, name)
        if field is not None:
            kinds[name] = kind_of(field)
    try:
        tree = formula.parse(row.formula or "")
        result = formula.check(tree, kinds)
    except formula.FormulaError as error:
        errors["formula"] = str(error)
        return
    if row.target in formula.fields_in(tree) or row.target in {c["field"] for c in row.conditions}:
        errors["formula"] = "A rule cannot set a field from itself or when the field itself changes."
        return
    wanted = kinds.get(row.target, formula.ANY)
    if target.is_relation:
        source = tree[1] if tree[0] == "field" else None
        source_field = _field(section, source) if source else None
        if source_field is None or getattr(source_field, "related_model", None) is not target.related_model:
            errors["formula"] = f"{_label(section, row.target)} takes another field of the same kind, not a formula."
        return
    if wanted != formula.TEXT and formula.ANY not in (wanted, result) and wanted != result:
        errors["formula"] = f"{_label(section, row.target)} takes a {wanted}; the formula gives a {result}."


def portable(rule: BusinessRule, row: dict) -> dict:
    """A rule as another installation reads it: the values of references by name, not by this one's ids
    (`normalise_value` takes names back)."""
    try:
        section = registry_get(rule.section)
    except KeyError:
        return row

    def named(field_name: str, value):
        field = _field(section, field_name)
        reference = field is not None and (
            field.is_relation and field.many_to_one or getattr(field, "kind", "") == "lookup"
        )
        if not reference or field.related_model is None or not str(value).isdigit():
            return value
        found = field.related_model._default_manager.filter(pk=int(value)).first()
        return getattr(found, "name", str(found)) if found is not None else value

    row = dict(row)
    row["conditions"] = [
        {
            **c,
            "value": [named(c.get("field"), v) for v in c["value"]]
            if isinstance(c.get("value"), list)
            else named(c.get("field"), c.get("value", "")),
        }
        for c in rule.conditions or ()
    ]
    row["values"] = [named(rule.target, v) for v in rule.values or ()]
    return row


def registry_get(name: str):
    from crm.sections import registry

    return registry.get(name)


# --- services ---------------------------------------------------------------------------------------------------

RULE_FIELDS = ("name", "match", "conditions", "action", "target", "values", "formula", "position", "is_active")


def authorise(user) -> None:
    if not access.can(user, "designer"):
        raise PermissionDenied("You may not change the system designer.")


def save_rule(*, user, section, rule: BusinessRule | None = None, **values) -> BusinessRule:
    """Add a rule to `section` (rule None) or change one; checked whole, in one transaction."""
    authorise(user)
    unknown = set(values) - set(RULE_FIELDS)
    if unknown:
        raise ValidationError(f"Unknown: {', '.join(sorted(unknown))}.")
    with transaction.atomic():
        if rule is None:
            row = BusinessRule(section=section.name)
        else:
            row = BusinessRule.objects.select_for_update().get(pk=rule.pk, section=section.name)
        for name, value in values.items():
            setattr(row, name, value)
        if not row.name.strip():
            raise ValidationError({"name": "Give the rule a name."})
        row.name = row.name.strip()
        if BusinessRule.objects.filter(section=section.name, name__iexact=row.name).exclude(pk=row.pk).exists():
            raise ValidationError({"name": f"{section.title} already has a rule “{row.name}”."})
        clean(row, section)
        row.save()
    return row


def delete_rule(*, user, rule: BusinessRule) -> None:
    authorise(user)
    rule.delete()

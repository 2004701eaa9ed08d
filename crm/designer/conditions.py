"""The IF part of business rules: conditions on a record's fields (equals, not equals, is filled, is empty,
greater than, less than, in a list), combined with AND or OR; values compared as the browser compares them
(static/js/rules.js): a foreign key by its id, a choice by its code, numbers as numbers, dates as ISO text."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

OPERATORS = {
    "equals": "equals",
    "not_equals": "does not equal",
    "filled": "is filled",
    "empty": "is empty",
    "greater": "is greater than",
    "less": "is less than",
    "in": "is one of",
}
WITHOUT_VALUE = frozenset({"filled", "empty"})


def canonical(value) -> str:
    """A value as text, the way both sides compare it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if hasattr(value, "pk"):
        return "" if value.pk is None else str(value.pk)
    if isinstance(value, datetime.datetime):
        return value.isoformat()[:16]
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Decimal | int | float):
        return _number_text(Decimal(str(value)))
    return str(value).strip()


def _number_text(number: Decimal) -> str:
    text = format(number.normalize(), "f")
    return text if text != "-0" else "0"


def _as_number(text: str) -> Decimal | None:
    try:
        return Decimal(text)
    except (InvalidOperation, ValueError):
        return None


def same(left: str, right: str) -> bool:
    a, b = _as_number(left), _as_number(right)
    if a is not None and b is not None:
        return a == b
    return left.casefold() == right.casefold()


def compare(value, operator: str, expected) -> bool:
    text = canonical(value)
    if operator == "filled":
        return text not in ("", "false")
    if operator == "empty":
        return text in ("", "false")
    if operator == "in":
        return any(same(text, str(option)) for option in expected or ())
    if operator == "equals":
        return same(text, str(expected))
    if operator == "not_equals":
        return not same(text, str(expected))
    if text == "":
        return False
    a, b = _as_number(text), _as_number(str(expected))
    if a is None or b is None:
        a, b = text, str(expected)  # ISO dates and text order as text
    return a > b if operator == "greater" else a < b


@dataclass(frozen=True)
class Condition:
    field: str
    operator: str
    value: object = ""

    @classmethod
    def from_json(cls, data: dict) -> Condition:
        return cls(str(data.get("field", "")), str(data.get("operator", "")), data.get("value", ""))

    def holds(self, values: dict) -> bool:
        return compare(values.get(self.field), self.operator, self.value)

    def describe(self, label: str) -> str:
        words = OPERATORS.get(self.operator, self.operator)
        if self.operator in WITHOUT_VALUE:
            return f"{label} {words}"
        shown = ", ".join(map(str, self.value)) if isinstance(self.value, list) else self.value
        return f"{label} {words} {shown}"

    def accepted(self) -> set[str] | None:
        """The values of the field this condition lets through, when it names them (equals, in); else None."""
        if self.operator == "equals":
            return {canonical(self.value).casefold()}
        if self.operator == "in":
            return {canonical(v).casefold() for v in self.value or ()}
        if self.operator == "empty":
            return {""}
        return None


def holds(conditions: list[Condition], match: str, values: dict) -> bool:
    if not conditions:
        return True
    results = (condition.holds(values) for condition in conditions)
    return any(results) if match == "any" else all(results)


def disjoint(first: tuple[list[Condition], str], second: tuple[list[Condition], str]) -> bool:
    """Whether two condition sets can never hold together (so two rules of theirs cannot clash). Only what is
    sure counts: both AND sets pin a field to values that do not meet (equals / in / is empty against each
    other, or is filled against is empty); anything else may overlap."""
    pinned = []
    for conditions, match in (first, second):
        if not conditions or (match == "any" and len(conditions) > 1):
            return False
        pinned.append(conditions)
    for a in pinned[0]:
        for b in pinned[1]:
            if a.field != b.field:
                continue
            if {a.operator, b.operator} == {"filled", "empty"}:
                return True
            accepted_a, accepted_b = a.accepted(), b.accepted()
            if b.operator == "filled" and accepted_a == {""} or a.operator == "filled" and accepted_b == {""}:
                return True
            if accepted_a is not None and accepted_b is not None and not accepted_a & accepted_b:
                return True
    return False

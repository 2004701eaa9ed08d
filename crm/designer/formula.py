"""Formulas of business rules ("set the value"): + - * /, parentheses, numbers, 'text' or '2026-01-31' literals,
fields by name and the date functions add_days(date, days), days_between(from, to) and today(). A parser of our
own (no eval): the text becomes a small tree of lists, checked once when the rule is saved (unknown field or
function, wrong types, a division by zero), evaluated on the server and, as the same JSON tree, in the browser
(static/js/rules.js)."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal, DivisionByZero, InvalidOperation

MAX_LENGTH = 500
MAX_DEPTH = 40

NUMBER, DATE, TEXT, ANY = "number", "date", "text", "any"
#: name -> (argument types, result type)
FUNCTIONS = {
    "add_days": ((DATE, NUMBER), DATE),
    "days_between": ((DATE, DATE), NUMBER),
    "today": ((), DATE),
}
TOKEN = re.compile(
    r"\s*(?:(?P<number>\d+(?:\.\d+)?)|(?P<name>[A-Za-z_][A-Za-z0-9_]*)|'(?P<text>[^']*)'|(?P<op>[-+*/(),]))"
)
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class FormulaError(ValueError):
    """A formula that cannot be read or cannot work, with the reason for the user."""


def tokens(text: str) -> list[tuple[str, str]]:
    found, position = [], 0
    text = text.rstrip()
    while position < len(text):
        match = TOKEN.match(text, position)
        if match is None or match.end() == position:
            raise FormulaError(f"The formula cannot be read at “{text[position : position + 10].strip()}”.")
        kind = match.lastgroup
        found.append((kind, match.group(kind)))
        position = match.end()
    return found


class _Parser:
    def __init__(self, text: str):
        if len(text) > MAX_LENGTH:
            raise FormulaError(f"A formula is at most {MAX_LENGTH} characters long.")
        self.items = tokens(text)
        self.index = 0

    def peek(self) -> tuple[str, str] | None:
        return self.items[self.index] if self.index < len(self.items) else None

    def take(self, op: str | None = None) -> tuple[str, str]:
        item = self.peek()
        if item is None:
            raise FormulaError("The formula ends too early.")
        if op is not None and item != ("op", op):
            raise FormulaError(f"“{op}” expected instead of “{item[1]}”.")
        self.index += 1
        return item

    def parse(self) -> list:
        if not self.items:
            raise FormulaError("The formula is empty.")
        tree = self.expression(0)
        if self.peek() is not None:
            raise FormulaError(f"Unexpected “{self.peek()[1]}”.")
        return tree

    def expression(self, depth: int) -> list:
        tree = self.term(depth)
        while self.peek() in (("op", "+"), ("op", "-")):
            tree = ["op", self.take()[1], tree, self.term(depth)]
        return tree

    def term(self, depth: int) -> list:
        tree = self.unary(depth)
        while self.peek() in (("op", "*"), ("op", "/")):
            tree = ["op", self.take()[1], tree, self.unary(depth)]
        return tree

    def unary(self, depth: int) -> list:
        if depth > MAX_DEPTH:
            raise FormulaError("The formula is nested too deeply.")
        if self.peek() == ("op", "-"):
            self.take()
            return ["neg", self.unary(depth + 1)]
        return self.primary(depth)

    def primary(self, depth: int) -> list:
        kind, value = self.take()
        if kind == "number":
            return ["num", value]
        if kind == "text":
            return ["date", value] if ISO_DATE.match(value) else ["text", value]
        if kind == "name":
            if self.peek() == ("op", "("):
                self.take("(")
                arguments = []
                if self.peek() != ("op", ")"):
                    arguments.append(self.expression(depth + 1))
                    while self.peek() == ("op", ","):
                        self.take(",")
                        arguments.append(self.expression(depth + 1))
                self.take(")")
                return ["call", value.lower(), arguments]
            return ["field", value]
        if (kind, value) == ("op", "("):
            tree = self.expression(depth + 1)
            self.take(")")
            return tree
        raise FormulaError(f"Unexpected “{value}”.")


def parse(text: str) -> list:
    return _Parser(text).parse()


def fields_in(tree: list) -> set[str]:
    if tree[0] == "field":
        return {tree[1]}
    if tree[0] == "call":
        return set().union(*(fields_in(argument) for argument in tree[2]))
    if tree[0] == "op":
        return fields_in(tree[2]) | fields_in(tree[3])
    if tree[0] == "neg":
        return fields_in(tree[1])
    return set()


def check(tree: list, kinds: dict[str, str]) -> str:
    """The type the formula gives; raises FormulaError for an unknown field or function, a wrong type or a
    division by zero. `kinds`: {field name: NUMBER, DATE, TEXT or ANY}."""
    kind = tree[0]
    if kind == "num":
        return NUMBER
    if kind in ("date", "text"):
        if kind == "date":
            _date(tree[1])
        return DATE if kind == "date" else TEXT
    if kind == "field":
        if tree[1] not in kinds:
            raise FormulaError(f"Unknown field “{tree[1]}”.")
        return kinds[tree[1]]
    if kind == "neg":
        _expect(check(tree[1], kinds), NUMBER, "“-”")
        return NUMBER
    if kind == "call":
        name, arguments = tree[1], tree[2]
        if name not in FUNCTIONS:
            raise FormulaError(f"Unknown function “{name}”; there are {', '.join(sorted(FUNCTIONS))}.")
        expected, result = FUNCTIONS[name]
        if len(arguments) != len(expected):
            raise FormulaError(f"{name}() takes {len(expected)} argument{'s' if len(expected) != 1 else ''}.")
        for argument, wanted in zip(arguments, expected, strict=True):
            _expect(check(argument, kinds), wanted, f"{name}()")
        return result
    operator, left, right = tree[1], check(tree[2], kinds), check(tree[3], kinds)
    if operator == "+" and TEXT in (left, right):
        return TEXT
    _expect(left, NUMBER, f"“{operator}”")
    _expect(right, NUMBER, f"“{operator}”")
    if operator == "/" and not fields_in(tree[3]):
        try:
            divisor = evaluate(tree[3], {})
        except FormulaError:
            divisor = None
        if divisor == 0:
            raise FormulaError("The formula divides by zero.")
    return NUMBER


def _expect(found: str, wanted: str, where: str) -> None:
    if ANY not in (found, wanted) and found != wanted:
        raise FormulaError(f"{where} needs a {wanted}, not a {found}.")


def _date(value) -> datetime.date:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value))
    except ValueError:
        raise FormulaError(f"“{value}” is not a date (write it as 'YYYY-MM-DD').") from None


def _number(value) -> Decimal:
    if isinstance(value, bool):
        return Decimal(int(value))
    try:
        return Decimal(str(value))
    except InvalidOperation:
        raise FormulaError(f"“{value}” is not a number.") from None


def evaluate(tree: list, values: dict, today: datetime.date | None = None):
    """The formula's value over `values` ({field name: Python value}); None when a value it needs is empty or it
    divides by zero (a record can be incomplete: the field is then left empty)."""
    kind = tree[0]
    if kind == "num":
        return Decimal(tree[1])
    if kind == "text":
        return tree[1]
    if kind == "date":
        return _date(tree[1])
    if kind == "field":
        value = values.get(tree[1])
        return None if value in (None, "") else value
    if kind == "neg":
        value = evaluate(tree[1], values, today)
        return None if value is None else -_number(value)
    if kind == "call":
        arguments = [evaluate(argument, values, today) for argument in tree[2]]
        if tree[1] == "today":
            return today or datetime.date.today()
        if any(argument is None for argument in arguments):
            return None
        if tree[1] == "add_days":
            return _date(arguments[0]) + datetime.timedelta(days=int(_number(arguments[1])))
        if tree[1] == "days_between":
            return Decimal((_date(arguments[1]) - _date(arguments[0])).days)
        raise FormulaError(f"Unknown function “{tree[1]}”.")
    left, right = evaluate(tree[2], values, today), evaluate(tree[3], values, today)
    if left is None or right is None:
        return None
    operator = tree[1]
    if operator == "+" and (isinstance(left, str) or isinstance(right, str)):
        return f"{left}{right}"
    left, right = _number(left), _number(right)
    try:
        if operator == "+":
            return left + right
        if operator == "-":
            return left - right
        if operator == "*":
            return left * right
        return left / right
    except (DivisionByZero, InvalidOperation, ZeroDivisionError):
        return None

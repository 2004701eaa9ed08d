"""The formulas of "set the value" rules: our own parser (no eval), checked when the rule is saved."""

import datetime
from decimal import Decimal

import pytest

from crm.designer import formula
from crm.designer.formula import DATE, NUMBER, TEXT, FormulaError

KINDS = {"budget": NUMBER, "probability": NUMBER, "close_date": DATE, "name": TEXT}


def value(text, **values):
    return formula.evaluate(formula.parse(text), values)


def test_arithmetic_keeps_precedence_and_parentheses():
    assert value("1 + 2 * 3") == Decimal("7")
    assert value("(1 + 2) * 3") == Decimal("9")
    assert value("-budget / 4", budget=Decimal("10")) == Decimal("-2.5")


def test_date_functions_add_days_and_count_days_between():
    start = datetime.date(2026, 1, 30)

    assert value("add_days(close_date, 3)", close_date=start) == datetime.date(2026, 2, 2)
    assert value("days_between('2026-01-01', close_date)", close_date=start) == Decimal("29")


def test_an_empty_value_or_a_division_by_zero_at_runtime_leaves_the_field_empty():
    assert value("budget * 2", budget=None) is None
    assert value("10 / budget", budget=Decimal("0")) is None


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("budget / 0", "divides by zero"),
        ("budget / (2 - 2)", "divides by zero"),
        ("amount * 2", "Unknown field “amount”"),
        ("sqrt(budget)", "Unknown function “sqrt”"),
        ("add_days(budget, 1)", "needs a date"),
        ("add_days(close_date)", "takes 2 arguments"),
        ("budget * ", "ends too early"),
        ("budget; import os", "cannot be read"),
        ("__import__('os')", "Unknown function"),
        ("", "empty"),
        ("(" * 60 + "1" + ")" * 60, "nested too deeply"),
    ],
)
def test_a_formula_that_cannot_work_is_refused_with_the_reason(text, reason):
    with pytest.raises(FormulaError, match=reason):
        formula.check(formula.parse(text), KINDS)


def test_the_check_says_what_type_a_formula_gives():
    assert formula.check(formula.parse("budget * probability / 100"), KINDS) == NUMBER
    assert formula.check(formula.parse("add_days(today(), 7)"), KINDS) == DATE
    assert formula.check(formula.parse("name + ' (copy)'"), KINDS) == TEXT

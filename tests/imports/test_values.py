"""Values as files write them: dates in every common form (ambiguous ones by the job's date order), numbers with
thousands separators, decimal commas and currencies, and yes/no words of several languages."""

import datetime
from decimal import Decimal

import pytest

from crm.imports.values import DATE_ORDERS, parse_boolean, parse_date, parse_datetime, parse_number

NOV_29 = datetime.date(2026, 11, 29)


@pytest.mark.parametrize(
    "text",
    [
        "2026-11-29",
        "20261129",
        "29.11.2026",
        "29/11/2026",
        "29-11-2026",
        "29.11.26",
        "29 Nov 2026",
        "29 November 2026",
        "11/29/2026",
        "Nov 29, 2026",
        "2026-11-29T10:00:00+01:00",
    ],
)
@pytest.mark.parametrize("order", DATE_ORDERS)
def test_a_date_that_reads_one_way_only_is_read_that_way_whatever_the_order(text, order):
    assert parse_date(text, text, order) == NOV_29


@pytest.mark.parametrize(
    ("order", "expected"), [("dmy", datetime.date(2026, 4, 3)), ("mdy", datetime.date(2026, 3, 4))]
)
def test_an_ambiguous_date_is_read_by_the_date_order(order, expected):
    assert parse_date("03/04/2026", "03/04/2026", order) == expected


def test_iso_basic_is_read_from_a_text_cell_and_from_a_number_cell_not_as_a_spreadsheet_serial():
    assert parse_date("19560409", "19560409", "dmy") == datetime.date(1956, 4, 9)
    assert parse_date(19560409, "19560409", "dmy") == datetime.date(1956, 4, 9)
    assert parse_date(19560409.0, "19560409", "mdy") == datetime.date(1956, 4, 9)
    assert parse_date(45000, "45000", "dmy") == datetime.date(2023, 3, 15)  # a serial stays a serial


@pytest.mark.parametrize("text", ["31.02.1980", "2026-13-01", "tomorrow", "13/13/2026", "99999999"])
def test_what_is_no_date_is_not_read_as_one(text):
    with pytest.raises(ValueError):
        parse_date(text, text, "dmy")


def test_offsets_make_date_times_aware_and_their_absence_leaves_them_naive():
    one_hour = datetime.timezone(datetime.timedelta(hours=1))
    assert parse_datetime("x", "2026-11-29T10:00:00+01:00", "dmy") == datetime.datetime(
        2026, 11, 29, 10, tzinfo=one_hour
    )
    assert parse_datetime("x", "2026-11-29 10:00:00Z", "dmy") == datetime.datetime(
        2026, 11, 29, 10, tzinfo=datetime.UTC
    )
    assert parse_datetime("x", "29.11.2026 10:00", "dmy") == datetime.datetime(2026, 11, 29, 10)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1,234.56", "1234.56"),
        ("1.234,56", "1234.56"),
        ("1 234,56", "1234.56"),
        ("1\u00a0234,56", "1234.56"),
        ("1\u202f234,56", "1234.56"),
        ("1'234.56", "1234.56"),
        ("1.234", "1.234"),
        ("1,5", "1.5"),
        ("1,234,567", "1234567"),
        ("1.234.567", "1234567"),
        ("€ 1.234,50", "1234.50"),
        ("$1,234.50", "1234.50"),
        ("1 234,50 EUR", "1234.50"),
        ("-5", "-5"),
        ("(1,234.00)", "-1234.00"),
        ("15%", "15"),
    ],
)
def test_numbers_are_read_as_files_write_them(text, expected):
    assert parse_number(text) == Decimal(expected)


def test_a_comma_before_three_digits_groups_thousands_in_a_whole_number():
    assert parse_number("1,234", whole=True) == 1234
    assert parse_number("1,234") == Decimal("1.234")


@pytest.mark.parametrize("text", ["abc", "1,2,3", "1.2.3", "1e"])
def test_what_is_no_number_is_not_read_as_one(text):
    with pytest.raises(ValueError):
        parse_number(text)


@pytest.mark.parametrize("text", ["yes", "TRUE", "1", "Y", "x", "on", "checked", "ja", "oui", "sí", "да", "tak", "sim"])
def test_yes_words(text):
    assert parse_boolean(text) is True


@pytest.mark.parametrize("text", ["no", "false", "0", "N", "off", "unchecked", "nein", "non", "нет", "nie", "não"])
def test_no_words(text):
    assert parse_boolean(text) is False

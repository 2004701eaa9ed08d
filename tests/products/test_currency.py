"""Currencies: conversion through the rates to the base currency valid on a date."""

import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError

from products.models import Currency
from products.pricing import MissingRateError, convert, to_base
from tests.factories.products import CurrencyRateFactory, currency

pytestmark = pytest.mark.django_db


def test_usd_is_the_seeded_base_currency_with_eur_and_gbp():
    assert Currency.objects.base().code == "USD"
    assert set(Currency.objects.values_list("code", flat=True)) >= {"USD", "EUR", "GBP"}


def test_a_second_base_currency_is_refused():
    with pytest.raises(IntegrityError):
        Currency.objects.filter(code="EUR").update(is_base=True)


def test_an_amount_converts_to_the_base_currency_at_the_seeded_rate():
    assert to_base(Decimal("100.00"), "EUR") == Decimal("108.00")


def test_converting_between_two_foreign_currencies_goes_through_the_base():
    # 127 USD is 100 GBP; in EUR at 1.08 that is 117.59 (rounded once, at the end)
    assert convert(Decimal("100"), "GBP", "EUR") == Decimal("117.59")


def test_the_latest_rate_valid_on_the_date_is_used():
    CurrencyRateFactory(currency=currency("EUR"), rate=Decimal("1.200000"), valid_from=datetime.date(2030, 1, 1))

    assert convert(Decimal("10"), "EUR", "USD", on_date=datetime.date(2029, 12, 31)) == Decimal("10.80")
    assert convert(Decimal("10"), "EUR", "USD", on_date=datetime.date(2030, 1, 1)) == Decimal("12.00")


def test_a_currency_without_a_rate_on_the_date_cannot_be_converted():
    with pytest.raises(MissingRateError):
        convert(Decimal("10"), "EUR", "USD", on_date=datetime.date(2019, 12, 31))


def test_converting_to_the_same_currency_only_rounds():
    assert convert(Decimal("10.005"), "GBP", "GBP") == Decimal("10.01")

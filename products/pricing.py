"""Money in several currencies, and the price of a product for a customer.

`convert` turns an amount into another currency through the rates to the base currency valid on a date.
`price_for` resolves a product's price: the customer's price list, then the base price list, then the product's
own base price converted. `prices_for` does the same for many products in a constant number of queries.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils import timezone

from crm.core.money import quantize

from .models import Currency, CurrencyRate, PriceList, Product, ProductPrice


class MissingRateError(ValidationError):
    """No rate of a currency is valid on the date asked for."""


def resolve_currency(currency: Currency | str) -> Currency:
    if isinstance(currency, Currency):
        return currency
    try:
        return Currency.objects.get(code=str(currency).upper())
    except Currency.DoesNotExist:
        raise ValidationError(f"Unknown currency {currency!r}.")


def rates_on(on_date: datetime.date | None = None) -> dict[int, Decimal]:
    """Currency id -> its rate to the base currency on `on_date` (today by default); the base is 1."""
    on_date = on_date or timezone.localdate()
    rates: dict[int, Decimal] = {}
    for currency_id, rate in (
        CurrencyRate.objects.filter(valid_from__lte=on_date)
        .order_by("currency_id", "valid_from")
        .values_list("currency_id", "rate")
    ):
        rates[currency_id] = rate  # ordered by date: the latest valid rate wins
    for base_id in Currency.objects.filter(is_base=True).values_list("pk", flat=True):
        rates[base_id] = Decimal(1)
    return rates


def _rate(rates: dict[int, Decimal], currency: Currency, on_date) -> Decimal:
    try:
        return rates[currency.pk]
    except KeyError:
        raise MissingRateError(f"No rate of {currency.code} is valid on {on_date or timezone.localdate()}.")


def _convert(amount: Decimal, source: Currency, target: Currency, rates: dict[int, Decimal], on_date) -> Decimal:
    """Unrounded: callers quantise once."""
    if source.pk == target.pk:
        return Decimal(amount)
    return Decimal(amount) * _rate(rates, source, on_date) / _rate(rates, target, on_date)


def convert(
    amount, currency: Currency | str, to: Currency | str | None = None, on_date: datetime.date | None = None
) -> Decimal:
    """`amount` of `currency` in `to` (the base currency when omitted), at the rates valid on `on_date` (today).

    Raises MissingRateError when a currency has no rate by that date. The result is quantised to cents.
    """
    source = resolve_currency(currency)
    target = resolve_currency(to) if to is not None else Currency.objects.base()
    if source.pk == target.pk:
        return quantize(amount)
    return quantize(_convert(Decimal(amount), source, target, rates_on(on_date), on_date))


def to_base(amount, currency: Currency | str, on_date: datetime.date | None = None) -> Decimal:
    """The base-currency value that amounts keep next to their own currency, for analytics."""
    return convert(amount, currency, None, on_date)


def price_lists_for(customer_account=None, price_list: PriceList | None = None) -> list[PriceList]:
    """The lists to look in, in order: the one asked for (or the customer's), then the base list."""
    lists = []
    first = price_list or getattr(customer_account, "price_list", None)
    if first is not None:
        lists.append(first)
    base = PriceList.objects.filter(is_base=True).first()
    if base is not None and all(base.pk != p.pk for p in lists):
        lists.append(base)
    return lists


def prices_for(
    products: Iterable[Product],
    *,
    currency: Currency | str,
    customer_account=None,
    price_list: PriceList | None = None,
    on_date: datetime.date | None = None,
) -> dict[int, Decimal]:
    """Product id -> price per base unit in `currency`, for many products at once (a fixed number of queries).

    Products must come with `currency` loaded (select_related) to stay constant.
    """
    products = list(products)
    target = resolve_currency(currency)
    lists = price_lists_for(customer_account, price_list)
    rank = {p.pk: index for index, p in enumerate(lists)}
    listed: dict[int, tuple[int, Decimal]] = {}
    if lists and products:
        rows = ProductPrice.objects.filter(
            product__in=[p.pk for p in products], price_list__in=list(rank), currency=target
        ).values_list("product_id", "price_list_id", "price")
        for product_id, list_id, price in rows:
            if product_id not in listed or rank[list_id] < listed[product_id][0]:
                listed[product_id] = (rank[list_id], price)
    result: dict[int, Decimal] = {}
    rates = None
    for product in products:
        if product.pk in listed:
            result[product.pk] = quantize(listed[product.pk][1])
            continue
        if product.currency_id != target.pk and rates is None:
            rates = rates_on(on_date)
        result[product.pk] = quantize(_convert(product.price, product.currency, target, rates or {}, on_date))
    return result


def price_for(
    product: Product,
    *,
    currency: Currency | str,
    customer_account=None,
    price_list: PriceList | None = None,
    on_date: datetime.date | None = None,
) -> Decimal:
    """The price of one base unit of `product` in `currency` for `customer_account` (see the module docstring)."""
    return prices_for(
        [product], currency=currency, customer_account=customer_account, price_list=price_list, on_date=on_date
    )[product.pk]


def unit_price(price: Decimal, factor: Decimal) -> Decimal:
    """The price of an alternative unit holding `factor` base units."""
    return quantize(Decimal(price) * Decimal(factor))

"""Writes of the Products section besides the generic create/update/delete: feature values, list prices and
alternative units of a product. Each checks the right to edit the product and logs the change on it."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from crm import access
from crm.core.money import quantize
from crm.sections.models import ChangeLogEntry
from crm.sections.services import log_change

from .models import (
    Currency,
    Feature,
    FeatureValueOption,
    PriceList,
    Product,
    ProductFeatureValue,
    ProductPrice,
    ProductUnit,
    UnitOfMeasure,
)

TRUE_WORDS = {"true", "1", "yes", "on"}
FALSE_WORDS = {"false", "0", "no", "off"}
DECIMAL_LIMIT = Decimal("1e14")  # DecimalField(max_digits=18, decimal_places=4)


def parse_feature_value(feature: Feature, raw) -> dict | None:
    """The column values of a feature value typed as text, or None for "no value". Raises ValidationError."""
    text = ("" if raw is None else str(raw)).strip()
    if text == "":
        return None
    kind = feature.value_type
    if kind == Feature.ValueType.DECIMAL:
        try:
            number = Decimal(text.replace(",", "."))
        except InvalidOperation:
            raise ValidationError(f"{feature}: enter a number.")
        if not number.is_finite() or abs(number) >= DECIMAL_LIMIT:
            raise ValidationError(f"{feature}: enter a number.")
        if number != number.quantize(Decimal("0.0001")):
            raise ValidationError(f"{feature}: at most 4 decimal places.")
        return {"decimal_value": number}
    if kind == Feature.ValueType.INTEGER:
        if not re.fullmatch(r"-?\d{1,18}", text):
            raise ValidationError(f"{feature}: enter a whole number.")
        return {"integer_value": int(text)}
    if kind == Feature.ValueType.LIST:
        option = FeatureValueOption.objects.filter(feature=feature, pk=int(text) if text.isdigit() else None).first()
        if option is None:
            raise ValidationError(f"{feature}: choose one of the listed values.")
        return {"option": option}
    if kind == Feature.ValueType.BOOLEAN:
        if text.lower() in TRUE_WORDS:
            return {"boolean_value": True}
        if text.lower() in FALSE_WORDS:
            return {"boolean_value": False}
        raise ValidationError(f"{feature}: choose yes or no.")
    if len(text) > 250:
        raise ValidationError(f"{feature}: at most 250 characters.")
    return {"string_value": text}


def set_feature_values(*, user, product: Product, values: dict[Feature, object]) -> list[ProductFeatureValue]:
    """Set (or, for an empty value, clear) the product's values of several features at once, all or nothing."""
    if not access.can(user, "edit", product):
        raise PermissionDenied("You may not edit this product.")
    parsed, errors = {}, []
    for feature, raw in values.items():
        try:
            parsed[feature] = parse_feature_value(feature, raw)
        except ValidationError as error:
            errors.extend(error.messages)
    if errors:
        raise ValidationError(errors)
    existing = {v.feature_id: v for v in ProductFeatureValue.objects.filter(product=product).select_related("feature")}
    changes, saved = [], []
    with transaction.atomic():
        for feature, columns in parsed.items():
            current = existing.get(feature.pk)
            old = current.display if current else ""
            if columns is None:
                if current is not None:
                    current.delete()
                    changes.append({"field": f"feature:{feature.pk}", "label": feature.name, "old": old, "new": ""})
                continue
            value = ProductFeatureValue(product=product, feature=feature, **columns)
            if current is not None:
                value.pk = current.pk
            value.save()
            saved.append(value)
            if value.display != old:
                changes.append(
                    {"field": f"feature:{feature.pk}", "label": feature.name, "old": old, "new": value.display}
                )
        if changes:
            log_change(obj=product, user=user, action=ChangeLogEntry.Action.UPDATE, changes=changes)
    return saved


def set_feature_value(*, user, product: Product, feature: Feature, value) -> ProductFeatureValue | None:
    """Set one feature value; an empty value removes it."""
    saved = set_feature_values(user=user, product=product, values={feature: value})
    return saved[0] if saved else None


def _money(value, name: str) -> Decimal:
    try:
        number = Decimal(str(value).strip().replace(",", "."))
    except InvalidOperation:
        raise ValidationError({name: "Enter a number."})
    if not number.is_finite() or number < 0 or number >= DECIMAL_LIMIT:
        raise ValidationError({name: "Enter a number from 0 up."})
    return number


def set_product_price(*, user, product: Product, price_list: PriceList, currency: Currency, price) -> ProductPrice:
    """Set the product's price in a price list and currency (one price per list and currency)."""
    if not access.can(user, "edit", product):
        raise PermissionDenied("You may not edit this product.")
    amount = quantize(_money(price, "price"))
    with transaction.atomic():
        row, created = ProductPrice.objects.select_for_update().get_or_create(
            price_list=price_list, product=product, currency=currency, defaults={"price": amount}
        )
        old = "" if created else f"{row.price} {currency}"
        if not created and row.price != amount:
            row.price = amount
            row.save(update_fields=["price"])
        if created or old != f"{amount} {currency}":
            log_change(
                obj=product,
                user=user,
                action=ChangeLogEntry.Action.UPDATE,
                changes=[
                    {"field": "prices", "label": f"Price, {price_list}", "old": old, "new": f"{amount} {currency}"}
                ],
            )
    return row


def remove_product_price(*, user, product: Product, price: ProductPrice) -> None:
    if not access.can(user, "edit", product) or price.product_id != product.pk:
        raise PermissionDenied("You may not edit this product.")
    with transaction.atomic():
        price.delete()
        log_change(
            obj=product,
            user=user,
            action=ChangeLogEntry.Action.UPDATE,
            changes=[
                {
                    "field": "prices",
                    "label": f"Price, {price.price_list}",
                    "old": f"{price.price} {price.currency}",
                    "new": "",
                }
            ],
        )


def set_product_unit(*, user, product: Product, unit: UnitOfMeasure, factor) -> ProductUnit | None:
    """Offer the product in another unit holding `factor` base units; a factor of 0 stops offering it."""
    if not access.can(user, "edit", product):
        raise PermissionDenied("You may not edit this product.")
    if unit.pk == product.unit_id:
        raise ValidationError({"unit": "This is the product's base unit already."})
    number = _money(factor, "factor")
    if number != number.quantize(Decimal("0.0001")):
        raise ValidationError({"factor": "At most 4 decimal places."})
    with transaction.atomic():
        if number == 0:
            ProductUnit.objects.filter(product=product, unit=unit).delete()
            return None
        row, _ = ProductUnit.objects.update_or_create(product=product, unit=unit, defaults={"factor": number})
    return row

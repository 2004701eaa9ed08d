"""Factories of the Products section. Units, taxes, currencies and price lists come from the seed migration."""

from decimal import Decimal

import factory

from products.models import (
    Brand,
    Currency,
    CurrencyRate,
    Feature,
    FeatureValueOption,
    PriceList,
    Product,
    ProductCategory,
    ProductPrice,
    ProductType,
    ProductUnit,
    Tax,
    UnitOfMeasure,
)

from .customers import RecordFactory


def currency(code: str) -> Currency:
    return Currency.objects.get(code=code)


def price_list(name: str) -> PriceList:
    return PriceList.objects.get(name=name)


def unit(name: str) -> UnitOfMeasure:
    return UnitOfMeasure.objects.get(name=name)


class ProductCategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProductCategory
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Category {n}")


class ProductTypeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProductType
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Type {n}")
    category = factory.SubFactory(ProductCategoryFactory)


class BrandFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Brand
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Brand {n}")


class TaxFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tax
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Tax {n}")
    rate = Decimal("20.00")


class ProductFactory(RecordFactory):
    """An active product priced 100.00 USD per piece with VAT 20% (the seeded defaults)."""

    class Meta:
        model = Product

    code = factory.Sequence(lambda n: f"PRD-{n:06d}")
    name = factory.Sequence(lambda n: f"Product {n:05d}")
    price = Decimal("100.00")


class ProductPriceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProductPrice

    price_list = factory.LazyFunction(lambda: price_list("Base"))
    product = factory.SubFactory(ProductFactory)
    currency = factory.LazyFunction(lambda: currency("USD"))
    price = Decimal("90.00")


class ProductUnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProductUnit

    product = factory.SubFactory(ProductFactory)
    unit = factory.LazyFunction(lambda: unit("boxes"))
    factor = Decimal("12")


class CurrencyRateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CurrencyRate

    currency = factory.LazyFunction(lambda: currency("EUR"))
    rate = Decimal("1.100000")
    valid_from = factory.Faker("date_object")


class FeatureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Feature

    name = factory.Sequence(lambda n: f"Feature {n}")
    value_type = Feature.ValueType.STRING


class FeatureValueOptionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FeatureValueOption

    feature = factory.SubFactory(FeatureFactory, value_type=Feature.ValueType.LIST)
    value = factory.Sequence(lambda n: f"Option {n}")

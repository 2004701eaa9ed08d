"""Products: currencies, the catalogue (products, lookups, prices, units, features) and the abstract product line."""

from .catalogue import (
    Brand,
    CatalogueLevel,
    PriceList,
    Product,
    ProductCategory,
    ProductPrice,
    ProductType,
    ProductUnit,
    Tax,
    UnitOfMeasure,
)
from .currency import Currency, CurrencyRate
from .features import Feature, FeatureValueOption, ProductFeatureValue
from .lines import ProductLine

__all__ = [
    "Brand",
    "CatalogueLevel",
    "Currency",
    "CurrencyRate",
    "Feature",
    "FeatureValueOption",
    "PriceList",
    "Product",
    "ProductCategory",
    "ProductFeatureValue",
    "ProductLine",
    "ProductPrice",
    "ProductType",
    "ProductUnit",
    "Tax",
    "UnitOfMeasure",
]

"""Seed the currencies (USD base, EUR, GBP), the product lookups, the Base and VIP price lists and the catalogue
levels (category, then type)."""

import datetime
from decimal import Decimal

from django.db import migrations

from crm.core.seeding import lookup_seeding

CURRENCIES = [
    # code, name, symbol, is_base, rate to the base currency
    ("USD", "US dollar", "$", True, None),
    ("EUR", "Euro", "€", False, Decimal("1.080000")),
    ("GBP", "Pound sterling", "£", False, Decimal("1.270000")),
]
RATES_FROM = datetime.date(2020, 1, 1)

LOOKUPS = {
    "products.ProductCategory": ["Hardware", "Software", "Services"],
    "products.UnitOfMeasure": ["pieces", "boxes", "licences", "hours", "days", "months", "years"],
    "products.Brand": [],
}
TYPES = {
    "Hardware": ["Laptops", "Monitors", "Servers", "Accessories"],
    "Software": ["Licences", "Subscriptions"],
    "Services": ["Consulting", "Training", "Support"],
}
TAXES = [("VAT", Decimal("20.00")), ("Reduced VAT", Decimal("5.00")), ("No tax", Decimal("0.00"))]
PRICE_LISTS = [("Base", True), ("VIP", False)]
LEVELS = [(1, "category"), (2, "type")]


def seed(apps, schema_editor):
    Currency = apps.get_model("products", "Currency")
    CurrencyRate = apps.get_model("products", "CurrencyRate")
    for code, name, symbol, is_base, rate in CURRENCIES:
        currency, _ = Currency.objects.get_or_create(
            code=code, defaults={"name": name, "symbol": symbol, "is_base": is_base}
        )
        if rate is not None:
            CurrencyRate.objects.get_or_create(currency=currency, valid_from=RATES_FROM, defaults={"rate": rate})
    Category = apps.get_model("products", "ProductCategory")
    ProductType = apps.get_model("products", "ProductType")
    for category_name, names in TYPES.items():
        category = Category.objects.get(name=category_name)
        for position, name in enumerate(names, start=1):
            ProductType.objects.get_or_create(name=name, defaults={"category": category, "position": position})
    Tax = apps.get_model("products", "Tax")
    for position, (name, rate) in enumerate(TAXES, start=1):
        Tax.objects.get_or_create(name=name, defaults={"rate": rate, "position": position})
    PriceList = apps.get_model("products", "PriceList")
    for position, (name, is_base) in enumerate(PRICE_LISTS, start=1):
        PriceList.objects.get_or_create(name=name, defaults={"is_base": is_base, "position": position})
    CatalogueLevel = apps.get_model("products", "CatalogueLevel")
    for position, field in LEVELS:
        CatalogueLevel.objects.get_or_create(field=field, defaults={"position": position})


def unseed(apps, schema_editor):
    apps.get_model("products", "CatalogueLevel").objects.all().delete()
    apps.get_model("products", "PriceList").objects.filter(name__in=[n for n, _ in PRICE_LISTS]).delete()
    apps.get_model("products", "Tax").objects.filter(name__in=[n for n, _ in TAXES]).delete()
    apps.get_model("products", "ProductType").objects.filter(
        name__in=[n for names in TYPES.values() for n in names]
    ).delete()
    apps.get_model("products", "Currency").objects.filter(code__in=[c[0] for c in CURRENCIES]).delete()


class Migration(migrations.Migration):
    dependencies = [("products", "0001_initial")]
    operations = [lookup_seeding(LOOKUPS), migrations.RunPython(seed, unseed)]

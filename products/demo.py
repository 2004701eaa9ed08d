"""Demo products: a believable catalogue with Base and VIP prices, alternative units and two features; or, at
scale, about one product per 100 accounts in bulk."""

from __future__ import annotations

from decimal import Decimal

from django.utils import timezone

from crm.core.money import quantize

from .models import (
    Brand,
    Currency,
    Feature,
    FeatureValueOption,
    PriceList,
    Product,
    ProductFeatureValue,
    ProductPrice,
    ProductType,
    ProductUnit,
    Tax,
    UnitOfMeasure,
)

ORDER = 15

BRANDS = ["Lenovo", "Dell", "HP", "Samsung", "Logitech", "Microsoft", "Adobe", "Atlassian", "OpenCRM"]

CATALOGUE = [
    # code, name, type, brand, unit, tax, price in USD
    ("HW-LT-001", 'ThinkPad X1 Carbon 14"', "Laptops", "Lenovo", "pieces", "VAT", "1899.00"),
    ("HW-LT-002", "ThinkPad T14 Gen 5", "Laptops", "Lenovo", "pieces", "VAT", "1349.00"),
    ("HW-LT-003", "Latitude 7450", "Laptops", "Dell", "pieces", "VAT", "1549.00"),
    ("HW-LT-004", "XPS 13", "Laptops", "Dell", "pieces", "VAT", "1299.00"),
    ("HW-LT-005", "EliteBook 840 G11", "Laptops", "HP", "pieces", "VAT", "1429.00"),
    ("HW-MN-001", 'UltraSharp 27" 4K Monitor', "Monitors", "Dell", "pieces", "VAT", "579.00"),
    ("HW-MN-002", 'ViewFinity S8 32"', "Monitors", "Samsung", "pieces", "VAT", "649.00"),
    ("HW-MN-003", 'E24 G5 24" Monitor', "Monitors", "HP", "pieces", "VAT", "189.00"),
    ("HW-SV-001", "PowerEdge R760 Server", "Servers", "Dell", "pieces", "VAT", "8990.00"),
    ("HW-SV-002", "ProLiant DL380 Gen11", "Servers", "HP", "pieces", "VAT", "9450.00"),
    ("HW-AC-001", "MX Master 3S Mouse", "Accessories", "Logitech", "pieces", "VAT", "99.00"),
    ("HW-AC-002", "MX Keys Keyboard", "Accessories", "Logitech", "pieces", "VAT", "119.00"),
    ("HW-AC-003", "USB-C Dock WD22TB4", "Accessories", "Dell", "pieces", "VAT", "289.00"),
    ("HW-AC-004", "Zone Vibe 100 Headset", "Accessories", "Logitech", "pieces", "VAT", "99.00"),
    ("SW-LC-001", "Windows 11 Pro", "Licences", "Microsoft", "licences", "VAT", "199.00"),
    ("SW-LC-002", "Office Home & Business", "Licences", "Microsoft", "licences", "VAT", "249.00"),
    ("SW-LC-003", "OpenCRM On-premise Licence", "Licences", "OpenCRM", "licences", "VAT", "690.00"),
    ("SW-SB-001", "Microsoft 365 Business Standard", "Subscriptions", "Microsoft", "months", "VAT", "12.50"),
    ("SW-SB-002", "Adobe Creative Cloud Teams", "Subscriptions", "Adobe", "months", "VAT", "89.99"),
    ("SW-SB-003", "Jira Software Cloud", "Subscriptions", "Atlassian", "months", "VAT", "8.60"),
    ("SW-SB-004", "Confluence Cloud", "Subscriptions", "Atlassian", "months", "VAT", "6.40"),
    ("SW-SB-005", "OpenCRM Sales Cloud", "Subscriptions", "OpenCRM", "months", "VAT", "35.00"),
    ("SV-CN-001", "CRM Implementation Consulting", "Consulting", "OpenCRM", "hours", "VAT", "150.00"),
    ("SV-CN-002", "Business Process Analysis", "Consulting", "OpenCRM", "days", "VAT", "1100.00"),
    ("SV-CN-003", "Data Migration Service", "Consulting", "OpenCRM", "days", "VAT", "950.00"),
    ("SV-TR-001", "CRM Administrator Training", "Training", "OpenCRM", "days", "Reduced VAT", "800.00"),
    ("SV-TR-002", "Sales Team Onboarding", "Training", "OpenCRM", "hours", "Reduced VAT", "120.00"),
    ("SV-SP-001", "Premium Support", "Support", "OpenCRM", "years", "VAT", "4800.00"),
    ("SV-SP-002", "Standard Support", "Support", "OpenCRM", "years", "VAT", "1900.00"),
    ("SV-SP-003", "On-site Hardware Support", "Support", "Dell", "years", "VAT", "390.00"),
]
RETIRED = {"HW-LT-004"}  # an inactive product: kept for old deals, never offered
BOXES_OF = {"HW-AC-001": 10, "HW-AC-002": 10, "HW-AC-004": 5}
EUR_PER_USD = Decimal("0.92")
VIP_DISCOUNT = Decimal("0.90")


def already_seeded(context) -> bool:
    return Product.objects.filter(code=CATALOGUE[0][0]).exists()


def seed(context) -> None:
    from crm.sections import registry, services

    section = registry.get("products")
    for position, name in enumerate(BRANDS, start=1):
        Brand.objects.get_or_create(name=name, defaults={"position": position})
    brands = {b.name: b for b in Brand.objects.all()}
    types = {t.name: t for t in ProductType.objects.select_related("category")}
    units = {u.name: u for u in UnitOfMeasure.objects.all()}
    taxes = {t.name: t for t in Tax.objects.all()}
    usd, eur = Currency.objects.get(code="USD"), Currency.objects.get(code="EUR")
    base, vip = PriceList.objects.get(is_base=True), PriceList.objects.get(name="VIP")
    manager = context.users["manager"]
    products = []
    for code, name, type_name, brand, unit, tax, price in CATALOGUE:
        product_type = types[type_name]
        products.append(
            services.create_record(
                section=section,
                user=manager,
                data={
                    "code": code,
                    "name": name,
                    "category": product_type.category,
                    "type": product_type,
                    "brand": brands[brand],
                    "unit": units[unit],
                    "tax": taxes[tax],
                    "price": Decimal(price),
                    "currency": usd,
                    "is_inactive": code in RETIRED,
                    "url": f"https://www.{brand.lower()}.example/products/{code.lower()}",
                    "description": f"{name} by {brand}.",
                },
            )
        )
    prices = []
    for product in products:
        prices += [
            ProductPrice(price_list=base, product=product, currency=usd, price=product.price),
            ProductPrice(price_list=base, product=product, currency=eur, price=quantize(product.price * EUR_PER_USD)),
            ProductPrice(price_list=vip, product=product, currency=usd, price=quantize(product.price * VIP_DISCOUNT)),
        ]
    ProductPrice.objects.bulk_create(prices)
    by_code = {p.code: p for p in products}
    ProductUnit.objects.bulk_create(
        [ProductUnit(product=by_code[code], unit=units["boxes"], factor=factor) for code, factor in BOXES_OF.items()]
    )
    _seed_features(by_code)
    _give_vip_prices_to_key_accounts()
    context.created["products"] = len(products)


def _seed_features(by_code: dict[str, Product]) -> None:
    warranty, _ = Feature.objects.get_or_create(
        name="Warranty, months", defaults={"value_type": Feature.ValueType.INTEGER, "position": 1}
    )
    colour, _ = Feature.objects.get_or_create(
        name="Colour", defaults={"value_type": Feature.ValueType.LIST, "position": 2}
    )
    options = {}
    for position, value in enumerate(["Black", "Silver", "Graphite"], start=1):
        options[value], _ = FeatureValueOption.objects.get_or_create(
            feature=colour, value=value, defaults={"position": position}
        )
    values = []
    for code, product in by_code.items():
        if code.startswith("HW-"):
            months = 36 if code.startswith(("HW-SV", "HW-LT")) else 24
            values.append(ProductFeatureValue(product=product, feature=warranty, integer_value=months))
            colour_name = (
                "Silver" if code.startswith("HW-MN") else ("Graphite" if code.startswith("HW-AC") else "Black")
            )
            values.append(ProductFeatureValue(product=product, feature=colour, option=options[colour_name]))
    ProductFeatureValue.objects.bulk_create(values)


def _give_vip_prices_to_key_accounts() -> None:
    from accounts.models import Account

    vip = PriceList.objects.get(name="VIP")
    Account.objects.filter(category__name="A", type__name="Customer").update(price_list=vip)


def seed_scale(context, n: int) -> None:
    """About one product per 100 accounts, in bulk, each with a Base price in USD."""
    count = max(1, n // 100)
    rng = context.rng
    types = list(ProductType.objects.select_related("category"))
    brands = list(Brand.objects.all()) or [Brand.objects.get_or_create(name="Generic")[0]]
    unit = UnitOfMeasure.objects.get(name="pieces")
    tax = Tax.objects.get(name="VAT")
    usd = Currency.objects.get(code="USD")
    base = PriceList.objects.get(is_base=True)
    owners = context.sales_users
    start = Product.objects.count() + 1
    now = timezone.now()
    batch_size = 2000
    for offset in range(0, count, batch_size):
        batch = []
        for i in range(offset, min(offset + batch_size, count)):
            number = start + i
            product_type = rng.choice(types)
            owner = owners[i % len(owners)]
            batch.append(
                Product(
                    code=f"P-{number:07d}",
                    name=f"{product_type.name[:-1]} model {number}",
                    category=product_type.category,
                    type=product_type,
                    brand=rng.choice(brands),
                    unit=unit,
                    tax=tax,
                    price=quantize(Decimal(rng.randint(500, 500_000)) / 100),
                    currency=usd,
                    owner=owner,
                    created_by=owner,
                    modified_by=owner,
                    created_at=now,
                    modified_at=now,
                )
            )
        created = Product.objects.bulk_create(batch, batch_size=batch_size)
        ProductPrice.objects.bulk_create(
            [ProductPrice(price_list=base, product=p, currency=usd, price=p.price) for p in created],
            batch_size=batch_size,
        )
    context.created["products"] = count

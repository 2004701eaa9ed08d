"""The product catalogue: products and their lookups, price lists and prices, alternative units, catalogue levels."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Upper
from django.urls import reverse

from crm.core.models import Lookup, Record

from .currency import Currency

DEFAULT_UNIT = "pieces"
DEFAULT_TAX = "VAT"
PHOTO_EXTENSIONS = ["png", "jpg", "jpeg", "gif", "webp"]


class ProductCategory(Lookup):
    class Meta(Lookup.Meta):
        verbose_name = "product category"
        verbose_name_plural = "product categories"


class ProductType(Lookup):
    """A type belongs to a category: "Laptops" to "Hardware"; the product form offers the types of its category."""

    category = models.ForeignKey(ProductCategory, on_delete=models.PROTECT, related_name="types")

    class Meta(Lookup.Meta):
        verbose_name = "product type"


class Brand(Lookup):
    class Meta(Lookup.Meta):
        verbose_name = "brand"


class UnitOfMeasure(Lookup):
    class Meta(Lookup.Meta):
        verbose_name = "unit of measure"
        verbose_name_plural = "units of measure"


class Tax(Lookup):
    rate = models.DecimalField("rate, %", max_digits=5, decimal_places=2, default=0, validators=[MinValueValidator(0)])

    created_by_imports = False  # a tax named in a file gets no rate: an administrator adds it

    class Meta(Lookup.Meta):
        verbose_name = "tax"
        verbose_name_plural = "taxes"

    def __str__(self) -> str:
        return f"{self.name} ({Decimal(self.rate).normalize():f}%)"


class PriceList(Lookup):
    """A list of prices ("Base", "VIP", ...). Accounts point at the list their prices come from."""

    is_base = models.BooleanField("base price list", default=False)

    class Meta(Lookup.Meta):
        verbose_name = "price list"
        constraints = [
            models.UniqueConstraint(fields=["is_base"], condition=Q(is_base=True), name="pricelist_one_base")
        ]


def default_unit():
    return UnitOfMeasure.objects.filter(name=DEFAULT_UNIT).values_list("pk", flat=True).first()


def default_tax():
    return Tax.objects.filter(name=DEFAULT_TAX).values_list("pk", flat=True).first()


def default_currency():
    return Currency.objects.filter(is_base=True).values_list("pk", flat=True).first()


class ProductQuerySet(models.QuerySet):
    def active(self):
        """What the product selection offers: inactive products are kept for old lines but never offered."""
        return self.filter(is_inactive=False)

    def matching(self, text: str):
        return self.filter(Q(name__icontains=text) | Q(code__icontains=text))


class Product(Record):
    code = models.CharField(max_length=40, unique=True)
    name = models.CharField(max_length=250)
    category = models.ForeignKey(ProductCategory, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    type = models.ForeignKey(ProductType, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    brand = models.ForeignKey(Brand, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    unit = models.ForeignKey(UnitOfMeasure, on_delete=models.PROTECT, default=default_unit, related_name="+")
    tax = models.ForeignKey(Tax, on_delete=models.PROTECT, null=True, blank=True, default=default_tax, related_name="+")
    price = models.DecimalField(
        "base price", max_digits=18, decimal_places=2, default=0, validators=[MinValueValidator(0)]
    )
    currency = models.ForeignKey(Currency, on_delete=models.PROTECT, default=default_currency, related_name="+")
    is_inactive = models.BooleanField("inactive", default=False, help_text="Inactive products cannot be selected.")
    url = models.URLField("URL", max_length=300, blank=True)
    photo = models.FileField(
        upload_to="products/photos/",
        blank=True,
        validators=[FileExtensionValidator(PHOTO_EXTENSIONS)],
        help_text="An image: " + ", ".join(PHOTO_EXTENSIONS),
    )
    description = models.TextField(blank=True)

    objects = ProductQuerySet.as_manager()

    class Meta:
        ordering = ("name",)
        indexes = [
            models.Index(fields=["name", "id"], name="product_list_name_idx"),
            models.Index(fields=["owner", "name"], name="product_owner_name_idx"),
            models.Index(fields=["-created_at", "-id"], name="product_created_idx"),
            models.Index(fields=["category", "type", "brand"], name="product_catalogue_idx"),
            # imports find products by code whatever its case (batches of thousands: a B-tree, not the search index)
            models.Index(Upper("code"), name="product_code_upper_idx"),
        ]
        constraints = [models.CheckConstraint(condition=Q(price__gte=0), name="product_price_not_negative")]

    def __str__(self) -> str:
        return self.name

    def clean(self):
        if self.type_id and self.type.category_id != self.category_id:
            raise ValidationError({"type": "Choose a type of the product's category."})

    def get_absolute_url(self) -> str:
        return reverse("products:detail", args=[self.pk])


class ProductPrice(models.Model):
    """The price of a product in one price list and currency."""

    price_list = models.ForeignKey(PriceList, on_delete=models.CASCADE, related_name="prices")
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="prices")
    currency = models.ForeignKey(Currency, on_delete=models.PROTECT, related_name="+")
    price = models.DecimalField(max_digits=18, decimal_places=2, validators=[MinValueValidator(0)])

    class Meta:
        ordering = ("price_list", "currency")
        constraints = [
            models.UniqueConstraint(fields=["price_list", "product", "currency"], name="product_price_unique"),
            models.CheckConstraint(condition=Q(price__gte=0), name="product_price_list_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.product} · {self.price_list}: {self.price} {self.currency}"


class ProductUnit(models.Model):
    """An alternative unit: one `unit` is `factor` of the product's base unit (a box of 12 pieces: factor 12)."""

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="units")
    unit = models.ForeignKey(UnitOfMeasure, on_delete=models.PROTECT, related_name="+")
    factor = models.DecimalField("base units per unit", max_digits=18, decimal_places=4)

    class Meta:
        ordering = ("product", "factor")
        constraints = [
            models.UniqueConstraint(fields=["product", "unit"], name="product_unit_unique"),
            models.CheckConstraint(condition=Q(factor__gt=0), name="product_unit_factor_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.unit} = {self.factor.normalize():f} × {self.product.unit}"


class CatalogueLevel(models.Model):
    """One level of the catalogue tree, e.g. 1 category, 2 type, 3 brand."""

    class Field(models.TextChoices):
        CATEGORY = "category", "Category"
        TYPE = "type", "Type"
        BRAND = "brand", "Brand"

    position = models.PositiveIntegerField(unique=True)
    field = models.CharField("product field", max_length=20, choices=Field.choices, unique=True)

    class Meta:
        ordering = ("position",)

    def __str__(self) -> str:
        return f"{self.position}. {self.get_field_display()}"

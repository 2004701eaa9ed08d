"""The abstract product line that opportunity, order, invoice and contract lines extend."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from ..lines import LineAmounts, compute_line, prices_include_tax
from .catalogue import Product, Tax, UnitOfMeasure


class ProductLine(models.Model):
    """One line of products on a sales record. Add the owning foreign key in the concrete model, e.g.

        class OpportunityProduct(ProductLine):
            opportunity = models.ForeignKey(Opportunity, on_delete=models.CASCADE, related_name="lines")

    `price` is per `unit` (the product's price × the unit's factor, see `products.pricing.unit_price`), and
    `tax_rate` is copied from `tax` when the line is made, so a later change of the tax lookup does not rewrite
    past documents. The four amounts are derived: call `recompute()` in the section's service before saving.
    """

    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="+")
    position = models.PositiveIntegerField(default=0)
    quantity = models.DecimalField(max_digits=18, decimal_places=3, default=1, validators=[MinValueValidator(0)])
    unit = models.ForeignKey(UnitOfMeasure, on_delete=models.PROTECT, related_name="+")
    price = models.DecimalField(max_digits=18, decimal_places=2, default=0, validators=[MinValueValidator(0)])
    discount_percent = models.DecimalField(
        "discount, %",
        max_digits=5,
        decimal_places=2,
        default=0,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    tax = models.ForeignKey(Tax, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    tax_rate = models.DecimalField("tax rate, %", max_digits=5, decimal_places=2, default=0)
    tax_included = models.BooleanField("prices include tax", default=prices_include_tax)
    subtotal = models.DecimalField(max_digits=18, decimal_places=2, default=0, editable=False)
    discount_amount = models.DecimalField("discount", max_digits=18, decimal_places=2, default=0, editable=False)
    tax_amount = models.DecimalField("tax", max_digits=18, decimal_places=2, default=0, editable=False)
    total = models.DecimalField(max_digits=18, decimal_places=2, default=0, editable=False)

    class Meta:
        abstract = True
        ordering = ("position", "pk")

    def __str__(self) -> str:
        return f"{self.product} × {self.quantity.normalize():f} {self.unit}"

    def amounts(self) -> LineAmounts:
        return compute_line(
            quantity=self.quantity,
            price=self.price,
            discount_percent=self.discount_percent,
            tax_rate=self.tax_rate,
            tax_included=self.tax_included,
        )

    def recompute(self) -> LineAmounts:
        """Set the derived amounts from quantity, price, discount and tax; returns them."""
        amounts = self.amounts()
        self.subtotal = amounts.subtotal
        self.discount_amount = amounts.discount_amount
        self.tax_amount = amounts.tax_amount
        self.total = amounts.total
        return amounts

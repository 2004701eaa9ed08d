"""Product features: a feature has one of five value types; a product has at most one value per feature."""

from django.db import models

from .catalogue import Product


class Feature(models.Model):
    class ValueType(models.TextChoices):
        DECIMAL = "decimal", "Decimal"
        INTEGER = "integer", "Integer"
        LIST = "list", "Drop-down list"
        BOOLEAN = "boolean", "Boolean"
        STRING = "string", "String"

    name = models.CharField(max_length=150, unique=True)
    value_type = models.CharField("value type", max_length=10, choices=ValueType.choices)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ("position", "name")

    def __str__(self) -> str:
        return self.name


class FeatureValueOption(models.Model):
    """One value of a drop-down list feature."""

    feature = models.ForeignKey(Feature, on_delete=models.CASCADE, related_name="options")
    value = models.CharField(max_length=150)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ("feature", "position", "value")
        constraints = [models.UniqueConstraint(fields=["feature", "value"], name="feature_option_unique")]

    def __str__(self) -> str:
        return self.value


class ProductFeatureValue(models.Model):
    """The value of one feature for one product, in the column of the feature's type."""

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="feature_values")
    feature = models.ForeignKey(Feature, on_delete=models.CASCADE, related_name="+")
    decimal_value = models.DecimalField(max_digits=18, decimal_places=4, null=True, blank=True)
    integer_value = models.BigIntegerField(null=True, blank=True)
    option = models.ForeignKey(FeatureValueOption, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    boolean_value = models.BooleanField(null=True, blank=True)
    string_value = models.CharField(max_length=250, blank=True)

    class Meta:
        ordering = ("feature__position", "feature__name")
        constraints = [models.UniqueConstraint(fields=["product", "feature"], name="product_feature_unique")]

    def __str__(self) -> str:
        return f"{self.feature}: {self.display}"

    @property
    def value(self):
        return {
            Feature.ValueType.DECIMAL: self.decimal_value,
            Feature.ValueType.INTEGER: self.integer_value,
            Feature.ValueType.LIST: self.option,
            Feature.ValueType.BOOLEAN: self.boolean_value,
            Feature.ValueType.STRING: self.string_value,
        }[self.feature.value_type]

    @property
    def display(self) -> str:
        value = self.value
        if isinstance(value, bool):
            return "Yes" if value else "No"
        if value is None:
            return ""
        if self.feature.value_type == Feature.ValueType.DECIMAL:
            return f"{value.normalize():f}"
        return str(value)

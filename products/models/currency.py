"""Currencies and their rates to the base currency (one currency is the base; its rate is always 1)."""

from django.db import models
from django.db.models import Q


class CurrencyQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)

    def base(self) -> "Currency":
        return self.get(is_base=True)


class Currency(models.Model):
    code = models.CharField("ISO 4217 code", max_length=3, unique=True)
    name = models.CharField(max_length=100)
    symbol = models.CharField(max_length=8, blank=True)
    is_base = models.BooleanField("base currency", default=False)
    is_active = models.BooleanField("active", default=True)

    objects = CurrencyQuerySet.as_manager()

    class Meta:
        ordering = ("code",)
        verbose_name_plural = "currencies"
        constraints = [
            models.UniqueConstraint(fields=["is_base"], condition=Q(is_base=True), name="currency_one_base"),
            models.CheckConstraint(condition=Q(code__regex=r"^[A-Z]{3}$"), name="currency_code_iso_4217"),
        ]

    def __str__(self) -> str:
        return self.code


class CurrencyRate(models.Model):
    """From `valid_from` on, one unit of `currency` is worth `rate` units of the base currency."""

    currency = models.ForeignKey(Currency, on_delete=models.CASCADE, related_name="rates")
    rate = models.DecimalField("rate to the base currency", max_digits=18, decimal_places=6)
    valid_from = models.DateField("valid from")

    class Meta:
        ordering = ("currency", "-valid_from")
        constraints = [
            models.UniqueConstraint(fields=["currency", "valid_from"], name="currency_rate_one_per_day"),
            models.CheckConstraint(condition=Q(rate__gt=0), name="currency_rate_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.currency} {self.rate} from {self.valid_from}"

"""Accounts: the companies the business deals with, and their classifications."""

from django.db import models
from django.urls import reverse

from crm.core.models import Lookup, Record


class AccountType(Lookup):
    class Meta(Lookup.Meta):
        verbose_name = "account type"


class AccountCategory(Lookup):
    class Meta(Lookup.Meta):
        verbose_name = "account category"
        verbose_name_plural = "account categories"


class Industry(Lookup):
    class Meta(Lookup.Meta):
        verbose_name = "industry"
        verbose_name_plural = "industries"


class AccountQuerySet(models.QuerySet):
    def of_type(self, name: str):
        return self.filter(type__name=name)


class Account(Record):
    name = models.CharField(max_length=250)
    code = models.CharField(max_length=40, unique=True, blank=True, editable=False)
    type = models.ForeignKey(AccountType, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    category = models.ForeignKey(AccountCategory, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    industry = models.ForeignKey(Industry, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    web = models.URLField("web", max_length=300, blank=True)
    phone = models.CharField("primary phone", max_length=40, blank=True)
    email = models.EmailField(blank=True)
    city = models.CharField(max_length=120, blank=True)
    country = models.CharField(max_length=120, blank=True)
    also_known_as = models.CharField("also known as", max_length=250, blank=True)
    primary_contact = models.ForeignKey(
        "contacts.Contact", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="subsidiaries",
        verbose_name="parent account",
    )
    notes = models.TextField(blank=True)

    objects = AccountQuerySet.as_manager()

    class Meta:
        ordering = ("name",)
        indexes = [
            models.Index(fields=["name", "id"], name="account_list_name_idx"),
            models.Index(fields=["owner", "name"], name="account_owner_name_idx"),
            models.Index(fields=["-created_at", "-id"], name="account_created_idx"),
            models.Index(fields=["phone"], name="account_phone_idx"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("accounts:detail", args=[self.pk])

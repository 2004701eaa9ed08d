"""Contracts: the contract with its type and status process, its validity, its parties' banking details, the
subordinate specifications and addenda, and its product lines."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from crm.core.models import Record
from products.models import ProductLine

#: how deep a chain of addenda may go before we call it a cycle (a real chain is a few levels at most)
MAX_PARENT_DEPTH = 50


class ContractQuerySet(models.QuerySet):
    def expired(self, today: datetime.date | None = None):
        """Ended before `today` and not cancelled: the "Expired" quick filter reads the stored `validity`, this is
        the same rule in SQL (the daily task keeps the two in step)."""
        today = today or timezone.localdate()
        return self.filter(end_date__lt=today).exclude(status=Contract.Status.CANCELLED)

    def not_cancelled(self):
        return self.exclude(status=Contract.Status.CANCELLED)


class Contract(Record):
    class Type(models.TextChoices):
        CONTRACT = "contract", "Contract"
        SPECIFICATION = "specification", "Specification"
        ADDENDUM = "addendum", "Addendum"

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        TO_BE_SIGNED = "to_be_signed", "To be signed"
        SIGNED = "signed", "Signed"
        CANCELLED = "cancelled", "Cancelled"

    class Validity(models.TextChoices):
        IN_FORCE = "in_force", "In force"
        EXPIRED = "expired", "Expired"
        CANCELLED = "cancelled", "Cancelled"

    #: status -> the statuses it may move to (contracts.services.contract_saved enforces it on every save)
    TRANSITIONS: dict[str, frozenset[str]] = {
        Status.DRAFT: frozenset({Status.TO_BE_SIGNED, Status.CANCELLED}),
        Status.TO_BE_SIGNED: frozenset({Status.DRAFT, Status.SIGNED, Status.CANCELLED}),
        Status.SIGNED: frozenset({Status.CANCELLED}),
        Status.CANCELLED: frozenset(),
    }
    #: where a new contract may start (a paper contract already signed is entered as signed)
    INITIAL_STATUSES = frozenset({Status.DRAFT, Status.TO_BE_SIGNED, Status.SIGNED})
    SUBORDINATE_TYPES = frozenset({Type.SPECIFICATION, Type.ADDENDUM})

    number = models.CharField(max_length=40, unique=True, blank=True)
    type = models.CharField(max_length=20, choices=Type.choices, default=Type.CONTRACT)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    start_date = models.DateField("start date", default=timezone.localdate)
    end_date = models.DateField("end date", null=True, blank=True, help_text="Empty: valid until cancelled.")
    signed_on = models.DateField("signed on", null=True, blank=True)
    account = models.ForeignKey(
        "accounts.Account", on_delete=models.PROTECT, related_name="contracts", help_text="The other party."
    )
    account_banking_details = models.ForeignKey(
        "accounts.BankingDetails",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="account's banking details",
    )
    contact = models.ForeignKey(
        "contacts.Contact", on_delete=models.PROTECT, null=True, blank=True, related_name="contracts"
    )
    our_company = models.ForeignKey(
        "accounts.Account",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="contracts_as_our_company",
        verbose_name="our company",
        limit_choices_to={"type__name": "Our company"},
    )
    our_banking_details = models.ForeignKey(
        "accounts.BankingDetails",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="our banking details",
    )
    amount = models.DecimalField(
        max_digits=18, decimal_places=2, default=0, help_text="The sum of the products when there are products."
    )
    currency = models.ForeignKey("products.Currency", on_delete=models.PROTECT, related_name="+")
    opportunity = models.ForeignKey(
        "opportunities.Opportunity", on_delete=models.PROTECT, null=True, blank=True, related_name="contracts"
    )
    order = models.ForeignKey("orders.Order", on_delete=models.PROTECT, null=True, blank=True, related_name="contracts")
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="subordinates",
        verbose_name="parent contract",
        help_text="The contract a specification or an addendum belongs to.",
    )
    reminder_days = models.PositiveSmallIntegerField(
        "remind days before the end",
        null=True,
        blank=True,
        validators=[MaxValueValidator(365)],
        help_text="Empty: the company default.",
    )
    reminded_at = models.DateTimeField("end reminder sent", null=True, blank=True, editable=False)
    validity = models.CharField(max_length=20, choices=Validity.choices, default=Validity.IN_FORCE, editable=False)
    description = models.TextField(blank=True)

    objects = ContractQuerySet.as_manager()

    class Meta:
        verbose_name = "contract"
        verbose_name_plural = "contracts"
        ordering = ("-created_at", "-id")
        indexes = [
            models.Index(fields=["-created_at", "-id"], name="contract_created_idx"),
            # the "Expired" quick filter and the daily validity check
            models.Index(fields=["validity", "end_date"], name="contract_validity_idx"),
            # the daily reminder reads the contracts not yet reminded, by end date
            models.Index(fields=["end_date"], condition=Q(reminded_at__isnull=True), name="contract_to_remind_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="contract_ends_after_it_starts",
            ),
            models.CheckConstraint(condition=~Q(parent=models.F("id")), name="contract_not_its_own_parent"),
        ]

    def __str__(self) -> str:
        return self.number or f"{self.get_type_display()} (new)"

    def get_absolute_url(self) -> str:
        return reverse("contracts:detail", args=[self.pk])

    def may_move_to(self, status: str) -> bool:
        return status in self.TRANSITIONS.get(self.status, frozenset())

    def compute_validity(self, today: datetime.date | None = None) -> str:
        if self.status == self.Status.CANCELLED:
            return self.Validity.CANCELLED
        if self.end_date and self.end_date < (today or timezone.localdate()):
            return self.Validity.EXPIRED
        return self.Validity.IN_FORCE

    @property
    def reminder_lead_days(self) -> int:
        if self.reminder_days is not None:
            return self.reminder_days
        return int(getattr(settings, "CONTRACT_REMINDER_DAYS", 30))

    @property
    def customer_account(self):
        """Products are priced with this account's price list (see products.selection)."""
        return self.account

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.end_date and self.start_date and self.end_date < self.start_date:
            errors["end_date"] = "The end date cannot be before the start date."
        if self.type in self.SUBORDINATE_TYPES and not self.parent_id:
            article = "An" if self.type == self.Type.ADDENDUM else "A"
            errors["parent"] = f"{article} {self.get_type_display().lower()} belongs to a parent contract: choose it."
        elif self.type == self.Type.CONTRACT and self.parent_id:
            errors["parent"] = "Only a specification or an addendum has a parent contract."
        elif self.parent_id and self._parent_chain_reaches_self():
            errors["parent"] = "A contract cannot be under itself or under one of its own subordinates."
        for field, party in (("account_banking_details", "account_id"), ("our_banking_details", "our_company_id")):
            details = getattr(self, field)
            if details is not None and details.account_id != getattr(self, party):
                errors[field] = "Choose banking details of this party."
        if errors:
            raise ValidationError(errors)
        self.validity = self.compute_validity()

    def _parent_chain_reaches_self(self) -> bool:
        if self.pk is None:
            return False
        seen, current = set(), self.parent_id
        for _ in range(MAX_PARENT_DEPTH):
            if current is None:
                return False
            if current == self.pk or current in seen:
                return True
            seen.add(current)
            current = Contract.objects.filter(pk=current).values_list("parent_id", flat=True).first()
        return True

    def save(self, *args, **kwargs):
        self.validity = self.compute_validity()
        super().save(*args, **kwargs)


class ContractProduct(ProductLine):
    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="lines")

    class Meta(ProductLine.Meta):
        verbose_name = "product"
        verbose_name_plural = "products"

"""Invoices: the invoice (from an order, a step of its installment plan, or by hand), its product lines and the
payments registered against it."""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from crm.core import formats
from crm.core.models import Record
from products.models import ProductLine


class InvoiceStatus(models.TextChoices):
    NOT_ISSUED = "not_issued", "Not issued"
    DRAFT = "draft", "Draft"
    UNPAID = "unpaid", "Unpaid"
    PARTIALLY_PAID = "partially_paid", "Partially paid"
    PAID = "paid", "Paid"
    CANCELLED = "cancelled", "Cancelled"


#: the moves a user makes by hand; "Partially paid" and "Paid" follow the payments (invoices.services)
TRANSITIONS: dict[str, frozenset[str]] = {
    InvoiceStatus.NOT_ISSUED: frozenset({InvoiceStatus.DRAFT, InvoiceStatus.UNPAID, InvoiceStatus.CANCELLED}),
    InvoiceStatus.DRAFT: frozenset({InvoiceStatus.NOT_ISSUED, InvoiceStatus.UNPAID, InvoiceStatus.CANCELLED}),
    InvoiceStatus.UNPAID: frozenset({InvoiceStatus.DRAFT, InvoiceStatus.CANCELLED}),
    InvoiceStatus.PARTIALLY_PAID: frozenset(),
    InvoiceStatus.PAID: frozenset(),
    InvoiceStatus.CANCELLED: frozenset({InvoiceStatus.DRAFT}),
}

#: statuses in which the invoice still waits for money
OPEN_STATUSES = (InvoiceStatus.UNPAID, InvoiceStatus.PARTIALLY_PAID)


def _money(verbose_name: str, **kwargs) -> models.DecimalField:
    return models.DecimalField(verbose_name, max_digits=18, decimal_places=2, default=0, editable=False, **kwargs)


class InvoiceQuerySet(models.QuerySet):
    def overdue_on(self, day):
        """Open invoices whose due date has passed on `day`."""
        return self.filter(status__in=OPEN_STATUSES, due_date__lt=day)


class Invoice(Record):
    number = models.CharField(max_length=40, unique=True, blank=True, editable=False)
    date = models.DateField(default=timezone.localdate)
    subject = models.CharField(max_length=250, blank=True, help_text='e.g. "Payment 1 of order ORD-00001"')
    order = models.ForeignKey("orders.Order", on_delete=models.PROTECT, null=True, blank=True, related_name="invoices")
    plan_step = models.ForeignKey(
        "orders.PlanStep",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="invoices",
        verbose_name="installment plan step",
    )
    account = models.ForeignKey(
        "accounts.Account", on_delete=models.PROTECT, null=True, blank=True, related_name="invoices"
    )
    contract = models.ForeignKey(
        "contracts.Contract", on_delete=models.SET_NULL, null=True, blank=True, related_name="invoices"
    )
    contact = models.ForeignKey(
        "contacts.Contact", on_delete=models.PROTECT, null=True, blank=True, related_name="invoices"
    )
    customer_details = models.ForeignKey(
        "accounts.BankingDetails",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="customer's banking details",
    )
    supplier = models.ForeignKey(
        "accounts.Account",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="supplied_invoices",
        help_text="Our company issuing the invoice.",
    )
    supplier_details = models.ForeignKey(
        "accounts.BankingDetails",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="supplier's banking details",
    )
    status = models.CharField(
        "payment status", max_length=20, choices=InvoiceStatus.choices, default=InvoiceStatus.NOT_ISSUED
    )
    due_date = models.DateField("due date", null=True, blank=True)
    overdue_since = models.DateField("overdue since", null=True, blank=True, editable=False)
    currency = models.ForeignKey("products.Currency", on_delete=models.PROTECT, related_name="+")
    amount = _money("total")
    discount_amount = _money("discount")
    tax_amount = _money("tax")
    amount_base = _money("total in base currency")
    paid_amount = _money("paid")
    customer_reference = models.CharField(
        "customer reference", max_length=64, blank=True, help_text="The customer's purchase order number."
    )
    comment = models.TextField(blank=True)

    objects = InvoiceQuerySet.as_manager()

    class Meta:
        verbose_name = "invoice"
        verbose_name_plural = "invoices"
        ordering = ("-created_at", "-id")
        indexes = [
            models.Index(fields=["-created_at", "-id"], name="invoice_created_idx"),
            # the daily overdue search reads open invoices by due date
            models.Index(fields=["status", "due_date"], name="invoice_status_due_idx"),
            models.Index(fields=["owner", "status"], name="invoice_owner_status_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(account__isnull=False) | Q(contact__isnull=False), name="invoice_has_a_customer"
            ),
        ]

    def __str__(self) -> str:
        return self.number or f"Invoice #{self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("invoices:detail", args=[self.pk])

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        if not self.account_id and not self.contact_id:
            raise ValidationError({"account": "Choose the customer: an account, a contact, or both."})

    @property
    def remaining_amount(self) -> Decimal:
        return self.amount - self.paid_amount

    @property
    def customer_account(self):
        """Products are priced with this account's price list (see products.selection)."""
        return self.account


class InvoiceProduct(ProductLine):
    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE, related_name="lines")

    class Meta(ProductLine.Meta):
        verbose_name = "product"
        verbose_name_plural = "products"


class Payment(models.Model):
    """Money received against an invoice."""

    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE, related_name="payments")
    date = models.DateField(default=timezone.localdate)
    amount = models.DecimalField(max_digits=18, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))])
    reference = models.CharField(max_length=100, blank=True, help_text="The bank transfer's reference.")

    class Meta:
        verbose_name = "payment"
        ordering = ("date", "pk")
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="payment_amount_positive")]

    def __str__(self) -> str:
        return f"{formats.money(self.amount)} on {formats.short_date(self.date)}"

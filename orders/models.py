"""Orders: the order with its status, payment and delivery statuses, its product lines, its installment plan
(payment and delivery steps) and the plan templates."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from crm.core.models import Lookup, Record
from products.models import ProductLine


class OrderStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    CONFIRMATION = "confirmation", "Confirmation"
    IN_PROGRESS = "in_progress", "In progress"
    COMPLETED = "completed", "Completed"
    CANCELLED = "cancelled", "Cancelled"


#: where an order may go from each status; the section's after_save hook enforces it on every path
TRANSITIONS: dict[str, frozenset[str]] = {
    OrderStatus.DRAFT: frozenset({OrderStatus.CONFIRMATION, OrderStatus.IN_PROGRESS, OrderStatus.CANCELLED}),
    OrderStatus.CONFIRMATION: frozenset({OrderStatus.DRAFT, OrderStatus.IN_PROGRESS, OrderStatus.CANCELLED}),
    OrderStatus.IN_PROGRESS: frozenset({OrderStatus.COMPLETED, OrderStatus.CANCELLED}),
    OrderStatus.COMPLETED: frozenset(),
    OrderStatus.CANCELLED: frozenset({OrderStatus.DRAFT}),
}


class PaymentStatus(models.TextChoices):
    NOT_PAID = "not_paid", "Not paid"
    PARTIALLY_PAID = "partially_paid", "Partially paid"
    PAID = "paid", "Paid"


class DeliveryStatus(models.TextChoices):
    NOT_DELIVERED = "not_delivered", "Not delivered"
    PARTIALLY_DELIVERED = "partially_delivered", "Partially delivered"
    DELIVERED = "delivered", "Delivered"


class StepKind(models.TextChoices):
    PAYMENT = "payment", "Payment"
    DELIVERY = "delivery", "Delivery"


def _money(verbose_name: str, **kwargs) -> models.DecimalField:
    return models.DecimalField(verbose_name, max_digits=18, decimal_places=2, default=0, editable=False, **kwargs)


class Order(Record):
    number = models.CharField(max_length=40, unique=True, blank=True, editable=False)
    date = models.DateField(default=timezone.localdate)
    account = models.ForeignKey(
        "accounts.Account", on_delete=models.PROTECT, null=True, blank=True, related_name="orders"
    )
    contact = models.ForeignKey(
        "contacts.Contact", on_delete=models.PROTECT, null=True, blank=True, related_name="orders"
    )
    opportunity = models.ForeignKey(
        "opportunities.Opportunity", on_delete=models.SET_NULL, null=True, blank=True, related_name="orders"
    )
    status = models.CharField(max_length=20, choices=OrderStatus.choices, default=OrderStatus.DRAFT)
    payment_status = models.CharField(
        "payment status", max_length=20, choices=PaymentStatus.choices, default=PaymentStatus.NOT_PAID, editable=False
    )
    delivery_status = models.CharField(
        "delivery status",
        max_length=20,
        choices=DeliveryStatus.choices,
        default=DeliveryStatus.NOT_DELIVERED,
        editable=False,
    )
    currency = models.ForeignKey("products.Currency", on_delete=models.PROTECT, related_name="+")
    amount = _money("total", help_text="The sum of the products.")
    discount_amount = _money("discount")
    tax_amount = _money("tax")
    amount_base = _money("total in base currency")
    paid_amount = _money("payment amount", help_text="Paid on the order's invoices.")
    customer_reference = models.CharField(
        "customer reference", max_length=64, blank=True, help_text="The customer's purchase order number."
    )
    delivery_address = models.CharField("delivery address", max_length=250, blank=True)
    comment = models.TextField(blank=True)

    class Meta:
        verbose_name = "order"
        verbose_name_plural = "orders"
        ordering = ("-created_at", "-id")
        indexes = [
            models.Index(fields=["-created_at", "-id"], name="order_created_idx"),
            models.Index(fields=["status", "-date"], name="order_status_idx"),
            models.Index(fields=["owner", "status"], name="order_owner_status_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(account__isnull=False) | Q(contact__isnull=False), name="order_has_a_customer"
            ),
        ]

    def __str__(self) -> str:
        return self.number or f"Order #{self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("orders:detail", args=[self.pk])

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        if not self.account_id and not self.contact_id:
            raise ValidationError({"account": "Choose the customer: an account, a contact, or both."})

    @property
    def customer(self):
        return self.account or self.contact

    @property
    def customer_account(self):
        """Products are priced with this account's price list (see products.selection)."""
        return self.account


class OrderProduct(ProductLine):
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="lines")

    class Meta(ProductLine.Meta):
        verbose_name = "product"
        verbose_name_plural = "products"


class PlanStep(models.Model):
    """A step of the order's installment plan. Its due date follows the previous step's (or the order's date) by
    `deferment_days`; a payment step expects its percentage of the total and has received what was paid on the
    invoices linked to it. Derived fields are written by `orders.services.recalculate_plan`."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="plan_steps")
    kind = models.CharField("type", max_length=10, choices=StepKind.choices, default=StepKind.PAYMENT)
    position = models.PositiveIntegerField(default=0)
    name = models.CharField(max_length=150)
    deferment_days = models.PositiveIntegerField(
        "deferment, days", default=0, help_text="Days after the previous step (the first: after the order date)."
    )
    percent = models.DecimalField(
        "%", max_digits=5, decimal_places=2, default=0, validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    due_date = models.DateField("due date", null=True, blank=True, editable=False)
    expected_amount = _money("expected amount")
    actual_amount = _money("actual amount")
    done_on = models.DateField("actual date", null=True, blank=True, help_text="Delivered (or fully paid) on.")

    class Meta:
        verbose_name = "installment plan step"
        verbose_name_plural = "installment plan"
        ordering = ("position", "pk")
        constraints = [
            models.CheckConstraint(condition=Q(percent__gte=0) & Q(percent__lte=100), name="plan_step_percent"),
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.name}"


class PlanTemplate(Lookup):
    """A reusable installment plan ("50/50", "30/70", "100% prepayment")."""

    class Meta(Lookup.Meta):
        verbose_name = "installment plan template"


class PlanTemplateStep(models.Model):
    template = models.ForeignKey(PlanTemplate, on_delete=models.CASCADE, related_name="steps")
    kind = models.CharField("type", max_length=10, choices=StepKind.choices, default=StepKind.PAYMENT)
    position = models.PositiveIntegerField(default=0)
    name = models.CharField(max_length=150)
    deferment_days = models.PositiveIntegerField("deferment, days", default=0)
    percent = models.DecimalField(
        "%", max_digits=5, decimal_places=2, default=0, validators=[MinValueValidator(0), MaxValueValidator(100)]
    )

    class Meta:
        verbose_name = "template step"
        ordering = ("position", "pk")

    def __str__(self) -> str:
        return f"{self.template}: {self.name}"

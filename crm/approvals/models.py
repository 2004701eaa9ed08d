"""Approval routes (who approves a section's records, step by step) and approval requests with their decisions."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone


class ApprovalRouteQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)

    def for_section(self, section_name: str):
        return self.filter(section=section_name)


class ApprovalRoute(models.Model):
    """The ordered steps a record of `section` goes through when it is sent for approval."""

    section = models.CharField(max_length=50, help_text="The name of the section, e.g. “orders”.")
    name = models.CharField(max_length=150)
    is_active = models.BooleanField("active", default=True)
    #: the route applies only to records whose amount (in the base currency) is strictly over it; none: to all
    min_amount = models.DecimalField(
        "only when the amount is over",
        max_digits=18,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
        help_text="In the base currency. Leave empty for every record of the section.",
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = ApprovalRouteQuerySet.as_manager()

    class Meta:
        ordering = ("section", "name", "pk")
        indexes = [models.Index(fields=["section", "is_active"], name="approval_route_section_idx")]

    def __str__(self) -> str:
        return f"{self.name} ({self.section})"


class ApprovalRouteStep(models.Model):
    """One step of a route: a named user, or any member of a role, approves."""

    route = models.ForeignKey(ApprovalRoute, on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveSmallIntegerField(default=1)
    approver_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="user"
    )
    approver_role = models.ForeignKey(
        "access.Role",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="role",
        help_text="Any member of the role may approve.",
    )

    class Meta:
        ordering = ("route", "position", "pk")
        constraints = [
            models.UniqueConstraint(fields=["route", "position"], name="approval_step_unique_position"),
            models.CheckConstraint(
                condition=(Q(approver_user__isnull=False) & Q(approver_role__isnull=True))
                | (Q(approver_user__isnull=True) & Q(approver_role__isnull=False)),
                name="approval_step_user_or_role",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.approver_label}"

    @property
    def approver_label(self) -> str:
        if self.approver_user_id:
            return self.approver_user.get_full_name() or self.approver_user.get_username()
        return f"a member of {self.approver_role}"


class ApprovalQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(status=Approval.Status.PENDING)

    def for_record(self, record):
        return self.filter(content_type=ContentType.objects.get_for_model(record), object_id=record.pk)


class Approval(models.Model):
    """A request to approve one record, moving along its route's steps."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Rejected"
        CANCELLED = "cancelled", "Cancelled"

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    record = GenericForeignKey("content_type", "object_id")
    route = models.ForeignKey(ApprovalRoute, on_delete=models.PROTECT, related_name="approvals")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    current_position = models.PositiveSmallIntegerField("current step", default=1)
    #: who the current step was delegated to: they alone decide it (cleared when the route moves on)
    delegated_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    comment = models.TextField(blank=True, help_text="The last decision's comment.")

    objects = ApprovalQuerySet.as_manager()

    class Meta:
        ordering = ("-requested_at", "-pk")
        indexes = [
            models.Index(fields=["content_type", "object_id"], name="approval_record_idx"),
            models.Index(fields=["status", "route"], name="approval_status_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id"],
                condition=Q(status="pending"),
                name="approval_one_pending_per_record",
            )
        ]

    def __str__(self) -> str:
        return f"Approval of {self.content_type.model} {self.object_id} ({self.get_status_display()})"

    @property
    def is_pending(self) -> bool:
        return self.status == self.Status.PENDING

    def current_step(self) -> ApprovalRouteStep | None:
        return self.route.steps.filter(position=self.current_position).first()


class ApprovalDecision(models.Model):
    class Decision(models.TextChoices):
        APPROVE = "approve", "Approved"
        REJECT = "reject", "Rejected"
        DELEGATE = "delegate", "Delegated"

    approval = models.ForeignKey(Approval, on_delete=models.CASCADE, related_name="decisions")
    position = models.PositiveSmallIntegerField("step")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decision = models.CharField(max_length=20, choices=Decision.choices)
    comment = models.TextField(blank=True)
    at = models.DateTimeField(default=timezone.now)
    delegated_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ("at", "pk")
        constraints = [
            models.CheckConstraint(
                condition=~Q(decision="delegate") | Q(delegated_to__isnull=False),
                name="approval_decision_delegate_has_a_delegate",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_decision_display()} by {self.decided_by} at step {self.position}"

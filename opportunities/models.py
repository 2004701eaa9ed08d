"""Opportunities: the stage lookup of the corporate sale process, the opportunity, its stage history, contacts
with their roles, competitors and product lines."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from crm.core.models import Lookup, Record
from products.models import ProductLine


class NeedType(Lookup):
    """What the customer needs (shared with leads): "Product purchase", "Consulting", ..."""

    class Meta(Lookup.Meta):
        verbose_name = "need type"


class Mood(Lookup):
    """The manager's mood about the opportunity, shown as an emote."""

    emoji = models.CharField(max_length=8, blank=True)

    class Meta(Lookup.Meta):
        verbose_name = "manager's mood"
        verbose_name_plural = "managers' moods"


class ContactRole(Lookup):
    """A contact's part in the decision ("Decision maker", "Influencer", ...)."""

    is_decision_maker = models.BooleanField("decision maker", default=False)

    class Meta(Lookup.Meta):
        verbose_name = "contact role"


class StageQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)

    def in_funnel(self):
        return self.filter(is_active=True, show_in_funnel=True)

    def first_stage(self) -> OpportunityStage | None:
        return self.filter(is_active=True, is_final=False).order_by("position", "pk").first()


class OpportunityStage(Lookup):
    """A stage of the corporate sale process. The process (`opportunities.process`) knows the built-in stages by
    `code`; an admin may rename, reorder, retune and add stages. A final stage is left only by an admin."""

    class Code(models.TextChoices):
        QUALIFICATION = "qualification", "Qualification"
        PRESENTATION = "presentation", "Presentation"
        PROPOSAL = "proposal", "Proposal"
        CONTRACTING = "contracting", "Contracting"
        WON = "won", "Closed won"
        LOST = "lost", "Closed lost"
        REJECTED = "rejected", "Closed rejected"
        REROUTED = "rerouted", "Closed rerouted"

    code = models.CharField(
        max_length=20, choices=Code.choices, blank=True, help_text="Which built-in stage of the process this is."
    )
    max_probability = models.PositiveSmallIntegerField(
        "maximum probability, %", default=100, validators=[MaxValueValidator(100)]
    )
    planning_days = models.PositiveSmallIntegerField(
        "period for planning the next step, days", default=7, help_text="Due date of the stage's tasks."
    )
    is_final = models.BooleanField("final", default=False)
    is_successful = models.BooleanField("successful", default=False, help_text="Only for a final stage.")
    show_in_funnel = models.BooleanField("show in funnel", default=True)
    show_in_progress_bar = models.BooleanField("show in progress bar", default=True)

    objects = StageQuerySet.as_manager()

    #: a stage is part of the process (probability, final, successful): an import never adds one from a name
    created_by_imports = False

    class Meta(Lookup.Meta):
        verbose_name = "opportunity stage"
        constraints = [
            models.UniqueConstraint(fields=["code"], condition=~Q(code=""), name="opportunity_stage_unique_code"),
            models.CheckConstraint(
                condition=Q(is_successful=False) | Q(is_final=True), name="opportunity_stage_successful_is_final"
            ),
        ]


class OpportunityQuerySet(models.QuerySet):
    def open(self):
        return self.filter(stage__is_final=False)

    def won(self):
        return self.filter(stage__is_final=True, stage__is_successful=True)

    def closing_in(self, start: datetime.date, end: datetime.date):
        return self.filter(close_date__gte=start, close_date__lt=end)


class Opportunity(Record):
    class CustomerKind(models.TextChoices):
        NEW = "new", "New customer"
        EXISTING = "existing", "Existing customer"

    name = models.CharField(max_length=250)
    account = models.ForeignKey(
        "accounts.Account", on_delete=models.PROTECT, null=True, blank=True, related_name="opportunities"
    )
    contact = models.ForeignKey(
        "contacts.Contact",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="opportunities",
        help_text="The customer when it is a person; else the account's main contact.",
    )
    stage = models.ForeignKey(OpportunityStage, on_delete=models.PROTECT, related_name="+")
    need_type = models.ForeignKey(NeedType, on_delete=models.PROTECT, related_name="+", verbose_name="need type")
    customer_kind = models.CharField(
        "new or existing", max_length=10, choices=CustomerKind.choices, default=CustomerKind.NEW
    )
    division = models.ForeignKey(
        "access.Role",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="sales division",
        limit_choices_to={"kind__in": ["organisation", "division", "department"]},
    )
    probability = models.PositiveSmallIntegerField(
        "probability, %", default=0, validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    currency = models.ForeignKey("products.Currency", on_delete=models.PROTECT, related_name="+")
    amount = models.DecimalField(
        max_digits=18, decimal_places=2, default=0, editable=False, help_text="The sum of the products."
    )
    amount_base = models.DecimalField(
        "amount in base currency", max_digits=18, decimal_places=2, default=0, editable=False
    )
    budget = models.DecimalField("customer budget", max_digits=18, decimal_places=2, null=True, blank=True)
    close_date = models.DateField("closing date", null=True, blank=True)
    closed_on = models.DateField("closed on", null=True, blank=True, editable=False)
    stage_started_at = models.DateTimeField("at the stage since", default=timezone.now, editable=False)
    mood = models.ForeignKey(
        Mood, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="manager's mood"
    )
    bant_budget = models.BooleanField("budget confirmed", default=False)
    bant_need = models.BooleanField("need confirmed", default=False)
    bant_timeframe = models.BooleanField("timeframe agreed", default=False)
    description = models.TextField(blank=True)

    objects = OpportunityQuerySet.as_manager()

    class Meta:
        verbose_name = "opportunity"
        verbose_name_plural = "opportunities"
        ordering = ("-created_at", "-id")
        indexes = [
            models.Index(fields=["-created_at", "-id"], name="opportunity_created_idx"),
            models.Index(fields=["stage", "-close_date", "-id"], name="opportunity_kanban_idx"),
            models.Index(fields=["owner", "stage"], name="opportunity_owner_stage_idx"),
            models.Index(fields=["close_date"], name="opportunity_close_date_idx"),
            # the win rate of a period reads the deals closed in it
            models.Index(fields=["closed_on"], name="opportunity_closed_on_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(account__isnull=False) | Q(contact__isnull=False), name="opportunity_has_a_customer"
            ),
            models.CheckConstraint(condition=Q(probability__lte=100), name="opportunity_probability_percent"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("opportunities:detail", args=[self.pk])

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._loaded_stage_id = instance.__dict__.get("stage_id")
        return instance

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        self._loaded_stage_id = self.stage_id

    def clean(self) -> None:
        errors = {}
        if self.stage_id and self.stage_id != self.loaded_stage_id:
            # entering a stage sets the probability to the stage's maximum (0 for a lost deal, 100 for a won one)
            self.probability = self.stage.max_probability
        elif self.stage_id and self.probability > self.stage.max_probability:
            errors["probability"] = f"At “{self.stage}” the probability is at most {self.stage.max_probability} %."
        if not self.account_id and not self.contact_id:
            errors["account"] = "Choose the customer: an account, a contact, or both."
        if errors:
            raise ValidationError(errors)

    @property
    def loaded_stage_id(self):
        return getattr(self, "_loaded_stage_id", None)

    @property
    def customer(self):
        return self.account or self.contact

    @property
    def customer_account(self):
        """Products are priced with this account's price list (see products.selection)."""
        return self.account

    @property
    def is_closed(self) -> bool:
        return self.stage.is_final

    @property
    def days_in_funnel(self) -> int:
        end = self.closed_on or timezone.localdate()
        return max((end - timezone.localdate(self.created_at)).days, 0)

    @property
    def days_at_stage(self) -> int:
        return max((timezone.now() - self.stage_started_at).days, 0)

    @property
    def weighted_amount(self):
        from crm.core.money import quantize

        return quantize(self.amount_base * self.probability / 100)


class StageHistory(models.Model):
    """The Stages detail: when the opportunity entered each stage (and left it). The pipeline analytics read it."""

    opportunity = models.ForeignKey(Opportunity, on_delete=models.CASCADE, related_name="stage_history")
    stage = models.ForeignKey(OpportunityStage, on_delete=models.PROTECT, related_name="+")
    started_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)
    moved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="moved by",
    )

    class Meta:
        verbose_name = "stage"
        verbose_name_plural = "stages"
        ordering = ("started_at", "pk")
        indexes = [
            models.Index(fields=["opportunity", "started_at"], name="stage_history_opportunity_idx"),
            models.Index(fields=["stage", "started_at"], name="stage_history_stage_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.stage} from {timezone.localtime(self.started_at):%Y-%m-%d}"

    @property
    def days(self) -> int:
        return max(((self.ended_at or timezone.now()) - self.started_at).days, 0)


class OpportunityContact(models.Model):
    """A contact taking part in the opportunity, with the role they play in the decision."""

    opportunity = models.ForeignKey(Opportunity, on_delete=models.CASCADE, related_name="contact_roles")
    contact = models.ForeignKey("contacts.Contact", on_delete=models.CASCADE, related_name="opportunity_roles")
    role = models.ForeignKey(ContactRole, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    notes = models.CharField(max_length=500, blank=True)

    class Meta:
        verbose_name = "contact"
        ordering = ("pk",)
        constraints = [
            models.UniqueConstraint(fields=["opportunity", "contact"], name="opportunity_contact_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.contact} ({self.role or 'no role'})"


class Competitor(models.Model):
    """A competitor on the opportunity: strengths, weaknesses, and whether they won it."""

    opportunity = models.ForeignKey(Opportunity, on_delete=models.CASCADE, related_name="competitors")
    account = models.ForeignKey(
        "accounts.Account", on_delete=models.CASCADE, related_name="competing_in", verbose_name="competitor"
    )
    strengths = models.CharField(max_length=500, blank=True)
    weaknesses = models.CharField(max_length=500, blank=True)
    is_winner = models.BooleanField("winner", default=False)

    class Meta:
        verbose_name = "competitor"
        ordering = ("pk",)
        constraints = [
            models.UniqueConstraint(fields=["opportunity", "account"], name="opportunity_competitor_unique"),
        ]

    def __str__(self) -> str:
        return str(self.account)


class OpportunityProduct(ProductLine):
    opportunity = models.ForeignKey(Opportunity, on_delete=models.CASCADE, related_name="lines")

    class Meta(ProductLine.Meta):
        verbose_name = "product"
        verbose_name_plural = "products"

"""Leads: a customer need not yet worked into an opportunity, where it came from (channel, source, UTM tags), the
lead management process's stage and its history, the web forms that capture leads, and the products asked for."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Upper
from django.urls import reverse
from django.utils import timezone

from crm.core.models import Lookup, Record
from products.models import ProductLine

DIVISION_KINDS = {"kind__in": ["organisation", "division", "department"]}


class LeadChannel(Lookup):
    """The kind of resource a lead came through ("Social accounts", "Search-based advertising"); `code` is the
    utm_medium that names it."""

    code = models.CharField("utm_medium code", max_length=100, blank=True)

    class Meta(Lookup.Meta):
        verbose_name = "lead channel"
        constraints = [models.UniqueConstraint(fields=["code"], condition=~Q(code=""), name="lead_channel_unique_code")]


class LeadSource(Lookup):
    """Where a lead came from ("Google", "LinkedIn"); `code` is the utm_source that names it. The special sources
    are the ones the source rules fall back on, found by their role whatever an admin renames them to."""

    class Special(models.TextChoices):
        OTHER_SOURCE = "other_source", "Other source (UTM tags without a known source)"
        OTHER_WEBSITE = "other_website", "Other website (an unknown referring site)"
        PAID_SEARCH = "paid_search", "Paid search (a Google click id)"

    code = models.CharField("utm_source code", max_length=100, blank=True)
    channel = models.ForeignKey(
        LeadChannel, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="default channel"
    )
    special = models.CharField(max_length=20, choices=Special.choices, blank=True)

    class Meta(Lookup.Meta):
        verbose_name = "lead source"
        constraints = [
            models.UniqueConstraint(fields=["code"], condition=~Q(code=""), name="lead_source_unique_code"),
            models.UniqueConstraint(fields=["special"], condition=~Q(special=""), name="lead_source_unique_special"),
        ]


class LeadSourceDomain(models.Model):
    """A referring site's domain and the source it stands for; sub-domains count too (m.facebook.com)."""

    domain = models.CharField(max_length=253, unique=True, help_text="e.g. facebook.com, without www.")
    source = models.ForeignKey(LeadSource, on_delete=models.CASCADE, related_name="domains")

    class Meta:
        ordering = ("domain",)
        verbose_name = "lead source domain"

    def __str__(self) -> str:
        return f"{self.domain} → {self.source}"

    def save(self, *args, **kwargs):
        self.domain = self.domain.strip().lower().removeprefix("www.")
        super().save(*args, **kwargs)


class DisqualificationReason(Lookup):
    class Meta(Lookup.Meta):
        verbose_name = "disqualification reason"


def new_form_key() -> str:
    return secrets.token_urlsafe(24)


class WebForm(models.Model):
    """A landing page's form that posts leads to /leads/capture/ with its key. Leads it captures belong to its
    owner (the default owner) and sales division until they are distributed."""

    name = models.CharField(max_length=150)
    key = models.CharField(max_length=64, unique=True, default=new_form_key, help_text="Posted as the field `key`.")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="default owner"
    )
    division = models.ForeignKey(
        "access.Role",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="sales division",
        limit_choices_to=DIVISION_KINDS,
    )
    need_type = models.ForeignKey(
        "opportunities.NeedType", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    create_contact = models.BooleanField(
        "create contact", default=False, help_text="Also create a contact from the name, email and phone posted."
    )
    thank_you_url = models.URLField("thank-you page", max_length=500, blank=True)
    is_active = models.BooleanField("active", default=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ("name",)
        verbose_name = "web form"

    def __str__(self) -> str:
        return self.name


class DistributionRule(models.Model):
    """Round-robin distribution in a sales division: the cursor is the member who got the last lead. The row is
    locked while the next member is chosen, so two leads distributed at once go to two members."""

    division = models.OneToOneField(
        "access.Role",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name="sales division",
        limit_choices_to=DIVISION_KINDS,
    )
    last_assigned = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    is_active = models.BooleanField("active", default=True)

    class Meta:
        verbose_name = "distribution rule"

    def __str__(self) -> str:
        return f"Round robin in {self.division}"


class LeadQuerySet(models.QuerySet):
    def at(self, *stages: str):
        return self.filter(stage__in=stages)

    def created_between(self, start, end):
        queryset = self
        if start is not None:
            queryset = queryset.filter(created_at__gte=start)
        if end is not None:
            queryset = queryset.filter(created_at__lt=end)
        return queryset


class Lead(Record):
    class Stage(models.TextChoices):
        QUALIFICATION = "qualification", "Qualification"
        NURTURING = "nurturing", "Nurturing"
        HANDOFF = "handoff", "Handoff to sales"
        AWAITING_SALE = "awaiting_sale", "Awaiting sale"
        SATISFIED = "satisfied", "Satisfied"
        NOT_INTERESTED = "not_interested", "Not interested"
        DISQUALIFIED = "disqualified", "Disqualified"

    #: where a lead may go from each stage; the user may skip ahead and go back, but a satisfied need is final
    TRANSITIONS: dict[str, tuple[str, ...]] = {
        Stage.QUALIFICATION: (Stage.NURTURING, Stage.HANDOFF, Stage.NOT_INTERESTED, Stage.DISQUALIFIED),
        Stage.NURTURING: (Stage.QUALIFICATION, Stage.HANDOFF, Stage.NOT_INTERESTED, Stage.DISQUALIFIED),
        Stage.HANDOFF: (Stage.NURTURING, Stage.AWAITING_SALE, Stage.NOT_INTERESTED, Stage.DISQUALIFIED),
        Stage.AWAITING_SALE: (Stage.SATISFIED, Stage.NOT_INTERESTED),
        Stage.SATISFIED: (),
        Stage.NOT_INTERESTED: (Stage.QUALIFICATION, Stage.NURTURING),
        Stage.DISQUALIFIED: (Stage.QUALIFICATION,),
    }
    #: the way a lead goes when all is well: the funnel and the stage bar's steps
    MAIN_PATH = (Stage.QUALIFICATION, Stage.NURTURING, Stage.HANDOFF, Stage.AWAITING_SALE, Stage.SATISFIED)
    #: no owner changes here: the lead is the opportunity's business now
    FINAL_FOR_DISTRIBUTION = (Stage.AWAITING_SALE, Stage.SATISFIED)
    #: where the process distributes a lead: before its handoff to sales
    DISTRIBUTABLE = (Stage.QUALIFICATION, Stage.NURTURING)

    class Maturity(models.TextChoices):
        DISCOVERED = "discovered", "Discovered"
        SALES_READY = "sales_ready", "Sales-ready"
        NOT_INTERESTED = "not_interested", "Not interested"

    need = models.CharField("customer need", max_length=250)
    need_type = models.ForeignKey(
        "opportunities.NeedType",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="need type",
    )
    # the customer as entered, then the records qualification links or creates
    contact_name = models.CharField("contact name", max_length=250, blank=True)
    account_name = models.CharField("account name", max_length=250, blank=True)
    job_title = models.CharField("job title", max_length=150, blank=True)
    email = models.EmailField(blank=True)
    mobile_phone = models.CharField("mobile phone", max_length=40, blank=True)
    business_phone = models.CharField("business phone", max_length=40, blank=True)
    web = models.URLField(max_length=300, blank=True)
    country = models.CharField(max_length=120, blank=True)
    city = models.CharField(max_length=120, blank=True)
    contact = models.ForeignKey(
        "contacts.Contact", on_delete=models.PROTECT, null=True, blank=True, related_name="leads"
    )
    account = models.ForeignKey(
        "accounts.Account", on_delete=models.PROTECT, null=True, blank=True, related_name="leads"
    )
    # the process
    stage = models.CharField(max_length=20, choices=Stage.choices, default=Stage.QUALIFICATION)
    stage_started_at = models.DateTimeField("at the stage since", default=timezone.now, editable=False)
    maturity = models.CharField("need maturity", max_length=20, choices=Maturity.choices, default=Maturity.DISCOVERED)
    disqualification_reason = models.ForeignKey(
        DisqualificationReason, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    division = models.ForeignKey(
        "access.Role",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="sales division",
        limit_choices_to=DIVISION_KINDS,
    )
    distributed_at = models.DateTimeField("distributed on", null=True, blank=True, editable=False)
    budget = models.DecimalField("budget, base currency", max_digits=18, decimal_places=2, null=True, blank=True)
    decision_date = models.DateField("decision date", null=True, blank=True)
    meeting_at = models.DateTimeField("meeting", null=True, blank=True)
    opportunity = models.ForeignKey(
        "opportunities.Opportunity",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="leads",
        editable=False,
    )
    description = models.TextField(blank=True)
    # lead engagement: where the lead came from
    channel = models.ForeignKey(LeadChannel, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    source = models.ForeignKey(LeadSource, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    referrer = models.CharField("redirection website", max_length=253, blank=True, help_text="The referring domain.")
    landing = models.URLField("landing page", max_length=2000, blank=True)
    utm_source = models.CharField("utm_source", max_length=150, blank=True)
    utm_medium = models.CharField("utm_medium", max_length=150, blank=True)
    utm_campaign = models.CharField("utm_campaign", max_length=150, blank=True)
    utm_term = models.CharField("utm_term", max_length=150, blank=True)
    utm_content = models.CharField("utm_content", max_length=150, blank=True)
    gclid = models.CharField("Google click id", max_length=200, blank=True)
    web_form = models.ForeignKey(
        WebForm, on_delete=models.SET_NULL, null=True, blank=True, related_name="leads", editable=False
    )
    registration_info = models.JSONField(
        "registration info", default=dict, blank=True, editable=False, help_text="As entered on the web form."
    )

    objects = LeadQuerySet.as_manager()

    class Meta:
        ordering = ("-created_at", "-id")
        indexes = [
            models.Index(fields=["-created_at", "-id"], name="lead_created_idx"),
            models.Index(fields=["stage", "-created_at"], name="lead_stage_idx"),
            models.Index(fields=["owner", "stage"], name="lead_owner_stage_idx"),
            models.Index(fields=["email"], name="lead_email_idx"),
            models.Index(fields=["mobile_phone"], name="lead_mobile_idx"),
            models.Index(fields=["source", "created_at"], name="lead_source_idx"),
            # similar leads (on every lead page) and imports compare these whatever their case
            models.Index(Upper("email"), name="lead_email_upper_idx"),
            models.Index(Upper("contact_name"), name="lead_contact_name_upper_idx"),
            models.Index(Upper("account_name"), name="lead_account_name_upper_idx"),
        ]

    def __str__(self) -> str:
        customer = self.account_name or self.contact_name
        return f"{customer}: {self.need}" if customer else self.need

    def get_absolute_url(self) -> str:
        return reverse("leads:detail", args=[self.pk])

    @property
    def allowed_stages(self) -> tuple[str, ...]:
        return self.TRANSITIONS.get(self.stage, ())

    @property
    def customer_account(self):
        """Products are priced with this account's price list (see products.selection)."""
        return self.account


class LeadStageHistory(models.Model):
    """When the lead entered each stage: the lead funnel counts the leads that reached a stage."""

    lead = models.ForeignKey(Lead, on_delete=models.CASCADE, related_name="stage_history")
    stage = models.CharField(max_length=20, choices=Lead.Stage.choices)
    started_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)
    moved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ("started_at", "pk")
        verbose_name = "stage of a lead"
        verbose_name_plural = "stages of leads"
        indexes = [models.Index(fields=["stage", "lead"], name="lead_stage_history_idx")]

    def __str__(self) -> str:
        return f"{self.lead_id} at {self.get_stage_display()} since {self.started_at:%Y-%m-%d}"


class LeadProduct(ProductLine):
    lead = models.ForeignKey(Lead, on_delete=models.CASCADE, related_name="lines")

    class Meta(ProductLine.Meta):
        verbose_name = "product of a lead"
        verbose_name_plural = "products of leads"

    def __str__(self) -> str:
        return super().__str__()

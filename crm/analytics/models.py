"""Dashboards (tabs of tiles on a grid), the tiles' settings, and the goals managers set per owner or division."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone


class Dashboard(models.Model):
    """A named set of tabs. Where it shows (`place`): the Dashboards page, a section's Dashboards view
    (`section:<name>`) or a section's record pages (`record:<name>`)."""

    class Sharing(models.TextChoices):
        PRIVATE = "private", "Only me"
        ROLES = "roles", "The chosen roles"
        COMPANY = "company", "Everyone in the company"

    name = models.CharField(max_length=150)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="dashboards")
    sharing = models.CharField(max_length=10, choices=Sharing.choices, default=Sharing.PRIVATE)
    roles = models.ManyToManyField("access.Role", blank=True, related_name="dashboards")
    place = models.CharField(max_length=120, blank=True, default="", db_index=True)
    #: the roles whose members see this dashboard on their home page
    home_roles = models.ManyToManyField("access.Role", blank=True, related_name="home_dashboards")
    position = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    modified_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("position", "name", "pk")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("analytics:dashboard", args=[self.pk])


class DashboardTab(models.Model):
    dashboard = models.ForeignKey(Dashboard, on_delete=models.CASCADE, related_name="tabs")
    title = models.CharField(max_length=100)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ("position", "pk")

    def __str__(self) -> str:
        return self.title


class Tile(models.Model):
    """One tile of a tab: its kind (a name in crm.analytics.kinds' registry), its settings as the kind validated
    them, and its place on the tab's 12-column grid."""

    tab = models.ForeignKey(DashboardTab, on_delete=models.CASCADE, related_name="tiles")
    kind = models.CharField(max_length=40)
    title = models.CharField(max_length=150)
    settings = models.JSONField(default=dict, blank=True)
    x = models.PositiveSmallIntegerField(default=0)
    y = models.PositiveSmallIntegerField(default=0)
    width = models.PositiveSmallIntegerField(default=4)
    height = models.PositiveSmallIntegerField(default=3)
    modified_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("y", "x", "pk")
        constraints = [
            models.CheckConstraint(condition=Q(width__gte=1, width__lte=12), name="analytics_tile_width"),
            models.CheckConstraint(condition=Q(height__gte=1, height__lte=24), name="analytics_tile_height"),
        ]

    def __str__(self) -> str:
        return self.title


class Goal(models.Model):
    """A target for one owner or one division over a period: the won amount, the number of calls, new leads...
    What is counted is a metric of a section (function, field, the list's filters) over records dated in the
    period by `date_field`."""

    name = models.CharField(max_length=150)
    section = models.CharField(max_length=60)
    function = models.CharField(max_length=10, default="count")
    field = models.CharField(max_length=100, blank=True, default="")
    filters = models.CharField(max_length=1000, blank=True, default="")
    date_field = models.CharField(max_length=100)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="goals"
    )
    division = models.ForeignKey("access.Role", on_delete=models.CASCADE, null=True, blank=True, related_name="goals")
    period_start = models.DateField()
    period_end = models.DateField(help_text="The first day after the period.")
    target = models.DecimalField(max_digits=18, decimal_places=2)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="goals_set", null=True, blank=True
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ("-period_start", "name", "pk")
        constraints = [
            models.CheckConstraint(
                condition=(Q(owner__isnull=False) & Q(division__isnull=True))
                | (Q(owner__isnull=True) & Q(division__isnull=False)),
                name="analytics_goal_owner_or_division",
            ),
            models.CheckConstraint(condition=Q(period_end__gt=models.F("period_start")), name="analytics_goal_period"),
            models.CheckConstraint(condition=Q(target__gt=0), name="analytics_goal_target_positive"),
        ]

    def __str__(self) -> str:
        return self.name

"""Reads of leads that are more than one queryset method: similar leads and the lead analytics. Every one starts
from the leads the user may see."""

from __future__ import annotations

from django.db.models import Count, Q

from crm import access

from .models import Lead, LeadStageHistory


def visible_leads(user):
    return access.visible(user, Lead.objects.all())


def similar_leads(user, lead: Lead):
    """Other leads with the same email, mobile phone, contact name or account name (exact, case aside)."""
    same = Q()
    if lead.email:
        same |= Q(email__iexact=lead.email)
    if lead.mobile_phone:
        same |= Q(mobile_phone=lead.mobile_phone)
    if lead.contact_name:
        same |= Q(contact_name__iexact=lead.contact_name)
    if lead.account_name:
        same |= Q(account_name__iexact=lead.account_name)
    if not same:
        return Lead.objects.none()
    queryset = Lead.objects.filter(same).exclude(pk=lead.pk).select_related("owner")
    return access.visible(user, queryset).order_by("-created_at", "-pk")


def count_by(leads, field: str, *, empty: str) -> list[tuple[str, int]]:
    """(label, count) per value of `field`, the largest first."""
    rows = leads.order_by().values(field).annotate(count=Count("pk")).order_by("-count", field)
    return [(row[field] or empty, row["count"]) for row in rows]


def funnel(leads) -> list[tuple[str, int]]:
    """How many of `leads` reached each stage of the main path (a lead that skipped a stage counts at the stages
    it did reach)."""
    reached = dict(
        LeadStageHistory.objects.filter(lead__in=leads.order_by().values("pk"))
        .order_by()
        .values("stage")
        .annotate(count=Count("lead", distinct=True))
        .values_list("stage", "count")
    )
    return [(stage.label, reached.get(stage.value, 0)) for stage in Lead.MAIN_PATH]

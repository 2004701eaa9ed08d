"""Seed the lead lookups (reference §11.3, §22): channels by utm_medium, sources by utm_source with their default
channel and the special sources the tracking rules fall back on, referring domains, and disqualification reasons."""

from django.db import migrations

from crm.core.seeding import seed_lookup, unseed_lookup

CHANNELS = [
    # name, utm_medium code
    ("Search-based advertising", "cpc"),
    ("Organic search", "organic"),
    ("Social accounts", "social"),
    ("Email", "email"),
    ("Referral", "referral"),
    ("Display advertising", "display"),
    ("Direct traffic", "direct"),
]
SOURCES = [
    # name, utm_source code, default channel, special role
    ("Google", "google", "Organic search", ""),
    ("Google Ads", "google_ads", "Search-based advertising", "paid_search"),
    ("Bing", "bing", "Organic search", ""),
    ("Facebook", "facebook", "Social accounts", ""),
    ("LinkedIn", "linkedin", "Social accounts", ""),
    ("Twitter", "twitter", "Social accounts", ""),
    ("Newsletter", "newsletter", "Email", ""),
    ("Other source", "", None, "other_source"),
    ("Other website", "", "Referral", "other_website"),
]
DOMAINS = [
    ("google.com", "Google"),
    ("bing.com", "Bing"),
    ("facebook.com", "Facebook"),
    ("fb.com", "Facebook"),
    ("linkedin.com", "LinkedIn"),
    ("lnkd.in", "LinkedIn"),
    ("twitter.com", "Twitter"),
    ("x.com", "Twitter"),
    ("t.co", "Twitter"),
]
REASONS = ["Incorrect data", "No need", "Duplicate", "No budget", "Competitor", "Spam"]


def seed(apps, schema_editor):
    Channel = apps.get_model("leads", "LeadChannel")
    Source = apps.get_model("leads", "LeadSource")
    Domain = apps.get_model("leads", "LeadSourceDomain")
    for position, (name, code) in enumerate(CHANNELS, 1):
        Channel.objects.get_or_create(name=name, defaults={"code": code, "position": position})
    channels = {c.name: c for c in Channel.objects.all()}
    for position, (name, code, channel, special) in enumerate(SOURCES, 1):
        Source.objects.get_or_create(
            name=name,
            defaults={"code": code, "channel": channels.get(channel), "special": special, "position": position},
        )
    sources = {s.name: s for s in Source.objects.all()}
    for domain, source in DOMAINS:
        Domain.objects.get_or_create(domain=domain, defaults={"source": sources[source]})
    seed_lookup(apps, "leads.DisqualificationReason", REASONS)


def unseed(apps, schema_editor):
    apps.get_model("leads", "LeadSourceDomain").objects.filter(domain__in=[d for d, _ in DOMAINS]).delete()
    unseed_lookup(apps, "leads.LeadSource", [s[0] for s in SOURCES])
    unseed_lookup(apps, "leads.LeadChannel", [c[0] for c in CHANNELS])
    unseed_lookup(apps, "leads.DisqualificationReason", REASONS)


class Migration(migrations.Migration):
    dependencies = [("leads", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]

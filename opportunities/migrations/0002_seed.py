"""Seed the corporate sale process's stages (reference §12.3, probabilities as suggested there), need types,
the manager's moods and the contact roles."""

from django.db import migrations

from crm.core.seeding import seed_lookup, unseed_lookup

STAGES = [
    # code, name, max probability, planning days, final, successful, in funnel, description (exit criteria)
    ("qualification", "Qualification", 20, 5, False, False, True, "Budget allocated, need defined, owner set."),
    ("presentation", "Presentation", 40, 7, False, False, True, "The customer has seen the solution."),
    ("proposal", "Proposal", 60, 7, False, False, True, "The proposal is accepted in principle."),
    ("contracting", "Contracting", 90, 10, False, False, True, "The contract is signed."),
    ("won", "Closed won", 100, 0, True, True, True, ""),
    ("lost", "Closed lost", 0, 0, True, False, False, ""),
    ("rejected", "Closed rejected", 0, 0, True, False, False, ""),
    ("rerouted", "Closed rerouted", 0, 0, True, False, False, ""),
]
NEED_TYPES = ["Product purchase", "Consulting", "Support", "Training", "Partnership"]
MOODS = [("Confident", "😀"), ("Hopeful", "🙂"), ("Neutral", "😐"), ("Worried", "😟")]
ROLES = [("Decision maker", True), ("Influencer", False), ("Contact person", False), ("Sponsor", False)]


def seed(apps, schema_editor):
    Stage = apps.get_model("opportunities", "OpportunityStage")
    for position, (code, name, probability, days, final, successful, funnel, description) in enumerate(STAGES, 1):
        Stage.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "position": position,
                "max_probability": probability,
                "planning_days": days,
                "is_final": final,
                "is_successful": successful,
                "show_in_funnel": funnel,
                "description": description,
            },
        )
    seed_lookup(apps, "opportunities.NeedType", NEED_TYPES)
    Mood = apps.get_model("opportunities", "Mood")
    for position, (name, emoji) in enumerate(MOODS, 1):
        Mood.objects.get_or_create(name=name, defaults={"emoji": emoji, "position": position})
    Role = apps.get_model("opportunities", "ContactRole")
    for position, (name, decision_maker) in enumerate(ROLES, 1):
        Role.objects.get_or_create(name=name, defaults={"is_decision_maker": decision_maker, "position": position})


def unseed(apps, schema_editor):
    apps.get_model("opportunities", "OpportunityStage").objects.filter(code__in=[s[0] for s in STAGES]).delete()
    unseed_lookup(apps, "opportunities.NeedType", NEED_TYPES)
    unseed_lookup(apps, "opportunities.Mood", [m[0] for m in MOODS])
    unseed_lookup(apps, "opportunities.ContactRole", [r[0] for r in ROLES])


class Migration(migrations.Migration):
    dependencies = [("opportunities", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]

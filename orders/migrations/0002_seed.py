"""Seed the installment plan templates and the order number mask."""

from django.db import migrations

TEMPLATES = [
    # name, [(kind, name, deferment days, percent)]
    (
        "50/50",
        [("payment", "Prepayment", 0, "50"), ("delivery", "Delivery", 14, "0"), ("payment", "Final payment", 10, "50")],
    ),
    (
        "30/70",
        [("payment", "Prepayment", 0, "30"), ("delivery", "Delivery", 14, "0"), ("payment", "Final payment", 10, "70")],
    ),
    ("100% prepayment", [("payment", "Prepayment", 0, "100"), ("delivery", "Delivery", 10, "0")]),
]
MASK = "ORD-{number:05d}"


def seed(apps, schema_editor):
    Template = apps.get_model("orders", "PlanTemplate")
    Step = apps.get_model("orders", "PlanTemplateStep")
    for position, (name, steps) in enumerate(TEMPLATES, start=1):
        template, created = Template.objects.get_or_create(name=name, defaults={"position": position})
        if created:
            Step.objects.bulk_create(
                Step(template=template, kind=kind, position=index, name=title, deferment_days=days, percent=percent)
                for index, (kind, title, days, percent) in enumerate(steps, start=1)
            )
    Sequence = apps.get_model("core", "Sequence")
    sequence, _ = Sequence.objects.get_or_create(name="orders", defaults={"mask": MASK})
    if sequence.mask == "{number:05d}":
        Sequence.objects.filter(pk="orders").update(mask=MASK)


def unseed(apps, schema_editor):
    apps.get_model("orders", "PlanTemplate").objects.filter(name__in=[name for name, _ in TEMPLATES]).delete()


class Migration(migrations.Migration):
    dependencies = [("orders", "0001_initial"), ("core", "0003_event_notice")]

    operations = [migrations.RunPython(seed, unseed)]

"""The activity categories of section 9 and the results offered once an activity is completed or canceled."""

from django.db import migrations

from crm.core.seeding import lookup_seeding

CATEGORIES = ["Meeting", "To do", "Paperwork", "Call", "Email"]
#: result name: the category it belongs to (None: every category)
RESULTS = {
    "Completed": None,
    "Canceled": None,
    "Postponed": None,
    "Held": "Meeting",
    "Rescheduled": "Meeting",
    "Reached": "Call",
    "No answer": "Call",
    "Call back later": "Call",
    "Wrong number": "Call",
    "Sent": "Email",
    "Replied": "Email",
}


def tie_results_to_categories(apps, schema_editor):
    ActivityCategory = apps.get_model("activities", "ActivityCategory")
    ActivityResult = apps.get_model("activities", "ActivityResult")
    categories = {c.name: c for c in ActivityCategory.objects.all()}
    for name, category in RESULTS.items():
        if category:
            ActivityResult.objects.filter(name=name, category__isnull=True).update(category=categories[category])


class Migration(migrations.Migration):
    dependencies = [("activities", "0001_initial")]
    operations = [
        lookup_seeding({"activities.ActivityCategory": CATEGORIES, "activities.ActivityResult": list(RESULTS)}),
        migrations.RunPython(tie_results_to_categories, migrations.RunPython.noop),
    ]

"""Seed the "Company news" channel, which every company has."""

from django.db import migrations

COMPANY_NEWS = "Company news"


def seed(apps, schema_editor):
    Channel = apps.get_model("feed", "Channel")
    Channel.objects.get_or_create(
        name=COMPANY_NEWS, defaults={"description": "Announcements for everyone in the company.", "is_public": True}
    )


def unseed(apps, schema_editor):
    apps.get_model("feed", "Channel").objects.filter(name=COMPANY_NEWS, posts__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("feed", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]

"""Trigram indexes (PostgreSQL only) for the quick and global search on the names of projects and their tasks."""

from django.db import migrations

from crm.core.seeding import trigram_indexes


class Migration(migrations.Migration):
    dependencies = [("projects", "0002_seed"), ("core", "0002_trigram_extension")]
    operations = [
        trigram_indexes("projects_project", {"project_name_trgm_idx": "name"}),
        trigram_indexes("projects_projecttask", {"project_task_name_trgm_idx": "name"}),
    ]

"""Uploads never started are not kept for ever: after IMPORT_DRAFT_DAYS they go, with their files."""

import datetime
from pathlib import Path

import pytest
from django.utils import timezone

from crm.imports import services
from crm.imports.models import ImportJob

from .conftest import upload, xlsx_bytes

pytestmark = pytest.mark.django_db


def uploaded(user):
    return services.create_job(user=user, section_name="contacts", upload=upload(xlsx_bytes([["Name"], ["Ann"]])))


def test_old_drafts_go_with_their_files_and_the_rest_stays(alice, settings):
    settings.IMPORT_DRAFT_DAYS = 7
    old, recent, started = uploaded(alice), uploaded(alice), uploaded(alice)
    now = timezone.now()
    ImportJob.objects.filter(pk__in=[old.pk, started.pk]).update(created_at=now - datetime.timedelta(days=8))
    ImportJob.objects.filter(pk=started.pk).update(status=ImportJob.Status.COMPLETED)
    old_file = Path(old.file.path)
    assert old_file.exists()

    assert services.forget_drafts(now=now) == 1

    assert set(ImportJob.objects.values_list("pk", flat=True)) == {recent.pk, started.pk}
    assert not old_file.exists()
    assert Path(recent.file.path).exists() and Path(started.file.path).exists()


def test_the_daily_schedule_runs_it(settings):
    schedule = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}

    assert "crm.imports.tasks.forget_drafts" in schedule

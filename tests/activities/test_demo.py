"""The demo activities: a believable week for the sales team, once; one per account at scale."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from activities.models import Activity, Participant


def seed(*args) -> None:
    call_command("seed_demo", *args, stdout=StringIO())


def test_the_demo_week_has_overdue_done_and_todays_activities_for_every_rep(seeded_demo):
    count = Activity.objects.count()

    seed()

    assert Activity.objects.count() == count
    now = timezone.now()
    for username in ("manager", "alice", "bob"):
        mine = Activity.objects.filter(owner__username=username)
        assert mine.overdue(now).exists(), username
        assert mine.filter(status="completed", result__isnull=False).exists(), username
        assert mine.filter(start__date=timezone.localdate()).exists(), username
        assert mine.filter(account__isnull=False, contact__isnull=False).exists(), username
    team = Activity.objects.get(title="Weekly sales meeting")
    assert set(team.participants.values_list("user__username", flat=True)) == {"manager", "alice", "bob"}


@pytest.mark.django_db
def test_at_scale_every_account_gets_an_activity_its_owner_takes_part_in():
    seed("--scale", "30")

    assert Activity.objects.count() == 30
    assert Activity.objects.filter(account__isnull=True).count() == 0
    assert Participant.objects.filter(user__isnull=False).count() == 30
    assert not Activity.objects.exclude(duration=30).exists()

"""Factories of activities. Times are aware and on the minute; an activity is about an account by default."""

import datetime

import factory
from django.utils import timezone

from activities.models import Activity, Participant

from .core import UserFactory
from .customers import AccountFactory, RecordFactory


def in_an_hour() -> datetime.datetime:
    return timezone.now().replace(second=0, microsecond=0) + datetime.timedelta(hours=1)


class ActivityFactory(RecordFactory):
    class Meta:
        model = Activity

    title = factory.Sequence(lambda n: f"Activity {n:05d}")
    type = Activity.Type.CALL
    start = factory.LazyFunction(in_an_hour)
    due = factory.LazyAttribute(lambda activity: activity.start + datetime.timedelta(minutes=30))
    account = factory.SubFactory(AccountFactory, owner=factory.SelfAttribute("..owner"))


class ParticipantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Participant

    activity = factory.SubFactory(ActivityFactory)
    user = factory.SubFactory(UserFactory)

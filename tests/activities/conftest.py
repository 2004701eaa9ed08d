"""Fixtures of the activities tests: alice's account and contact, the seeded lookups, and a stand-in for record
rights until crm.access has its rules (see `only_owners_read_records`)."""

import pytest

from activities.models import ActivityCategory, ActivityResult
from tests.factories import AccountFactory, ContactFactory


@pytest.fixture
def account(alice):
    return AccountFactory(owner=alice, name="Northwind Traders")


@pytest.fixture
def contact(alice, account):
    return ContactFactory(owner=alice, account=account, given_name="Nancy", surname="Davolio", job_title="Buyer")


@pytest.fixture
def call_category(db):
    # get_or_create: a transactional test may have flushed what the data migration seeded
    return ActivityCategory.objects.get_or_create(name="Call")[0]


@pytest.fixture
def meeting_category(db):
    return ActivityCategory.objects.get_or_create(name="Meeting")[0]


@pytest.fixture
def reached(call_category):
    return ActivityResult.objects.get_or_create(name="Reached", defaults={"category": call_category})[0]


@pytest.fixture
def held(meeting_category):
    return ActivityResult.objects.get_or_create(name="Held", defaults={"category": meeting_category})[0]

"""Fixtures of the feed tests: the seeded "Company news" channel, alice's account, and a stand-in for record
rights until crm.access has its rules (see `only_owners_read_records`)."""

import pytest

from feed.models import Channel
from tests.factories import AccountFactory


@pytest.fixture
def company_news(db):
    # get_or_create: a transactional (browser) test may have flushed what the data migration seeded
    return Channel.objects.get_or_create(name="Company news")[0]


@pytest.fixture
def account(alice):
    return AccountFactory(owner=alice, name="Northwind Traders")

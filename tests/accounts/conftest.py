import pytest

from tests.factories.customers import ensure_customer_lookups


@pytest.fixture(autouse=True)
def _customer_lookups(db):
    """A browser test run before may have flushed the seeded lookups these tests rely on."""
    ensure_customer_lookups()

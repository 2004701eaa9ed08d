import pytest

from tests.orders.conftest import make_order, template, thirds  # noqa: F401 - shared fixtures


@pytest.fixture
def our_company(db):
    """The supplier of our invoices: the account typed "Our company", with one set of banking details."""
    from accounts.models import AccountType, BankingDetails
    from tests.factories import AccountFactory, UserFactory

    company = AccountFactory(name="OpenCRM Ltd.", type=AccountType.objects.get(name="Our company"), owner=UserFactory())
    BankingDetails.objects.create(account=company, name="Main", account_number="DE89370400440532013000")
    return company

import datetime

import pytest
from django.utils import timezone

from products.models import Currency
from tests.factories import AccountFactory
from tests.orders.conftest import make_order  # noqa: F401 - shared fixture


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def post_contract(db, alice):
    """Post the contract form (create, or edit when `contract` is given) the way a browser does."""

    def post(client, contract=None, **fields):
        from django.urls import reverse

        if contract is None:
            data = {
                "type": "contract",
                "status": "draft",
                "owner": alice.pk,
                "account": AccountFactory().pk,
                "start_date": timezone.localdate().isoformat(),
                "end_date": (timezone.localdate() + datetime.timedelta(days=365)).isoformat(),
                "amount": "1000",
                "currency": Currency.objects.base().pk,
            }
            url = reverse("contracts:create")
        else:
            data = {
                "version": contract.version,
                "type": contract.type,
                "status": contract.status,
                "owner": contract.owner_id,
                "account": contract.account_id,
                "start_date": contract.start_date.isoformat(),
                "end_date": contract.end_date.isoformat() if contract.end_date else "",
                "amount": str(contract.amount),
                "currency": contract.currency_id,
                "parent": contract.parent_id or "",
            }
            url = reverse("contracts:update", args=[contract.pk])
        data.update({key: "" if value is None else value for key, value in fields.items()})
        return client.post(url, data)

    return post

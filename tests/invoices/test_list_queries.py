"""The orders and invoices lists run as many queries for 100 rows as for 25."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories.invoices import InvoiceFactory
from tests.factories.orders import OrderFactory


def count_queries(client, url: str, per_page: int) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url, {"per_page": per_page})
    assert response.status_code == 200
    assert len(response.context["rows"]) == per_page
    return len(context)


@pytest.mark.parametrize(("factory", "url"), [(OrderFactory, "/orders/"), (InvoiceFactory, "/invoices/")])
def test_the_list_runs_as_many_queries_for_100_rows_as_for_25(alice_client, alice, factory, url):
    factory.create_batch(110, owner=alice)
    alice_client.get(url)  # warm up: content types, the session

    assert count_queries(alice_client, url, 25) == count_queries(alice_client, url, 100)

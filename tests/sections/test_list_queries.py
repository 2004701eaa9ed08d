"""Every registered section's list runs the same number of SQL queries whatever the page size."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from crm.sections import registry
from tests.factories.registry import make_records

SECTIONS = registry.all_sections()


def count_queries(client, url: str, params: dict) -> tuple[int, list[str]]:
    # the same list once before: a changed query string is remembered (one write), which is not the page's cost
    client.get(url, params)
    with CaptureQueriesContext(connection) as context:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(context), [q["sql"] for q in context.captured_queries]


@pytest.mark.parametrize("section", SECTIONS, ids=[s.name for s in SECTIONS])
def test_the_list_runs_as_many_queries_for_100_rows_as_for_25(alice_client, alice, section):
    make_records(section, alice, 120)
    url = reverse(f"{section.name}:list")
    alice_client.get(url)  # warm up: content types, the session

    small, small_sql = count_queries(alice_client, url, {"per_page": 25})
    large, large_sql = count_queries(alice_client, url, {"per_page": 100})

    assert len(alice_client.get(url, {"per_page": 100}).context["rows"]) == 100
    assert small == large, "\n".join(large_sql)


def test_the_accounts_list_stays_within_its_query_budget(alice_client, alice, django_assert_max_num_queries):
    make_records(registry.get("accounts"), alice, 120)
    alice_client.get(reverse("accounts:list"), {"per_page": 100})  # remembers the query: no write below

    # 1 session, 2 user, 3 the users of the owner filter, 4 the page of rows (types, categories, industries and
    # owners joined), 5 the bounded count, 6 the list preference (chosen columns), 7 the folders, 8 the unread
    # notifications (the bell), 9-11 the account types, categories and industries of the filter form, 12 the users
    # of the bulk bar's "new owner" choice, 13 the custom field definitions (read once per request), 14 the tags
    # the user sees (the filter's and the bulk bar's choices) with those on the page's rows (their badges)
    with django_assert_max_num_queries(14):
        alice_client.get(reverse("accounts:list"), {"per_page": 100})

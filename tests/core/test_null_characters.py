"""A null character in a query string (`?q=%00`) is refused with a message, never a database error: PostgreSQL
cannot hold one in a string. Run against PostgreSQL to see the error it would raise (the suite does, in CI)."""

import pytest
from django.urls import reverse

from crm.sections import registry

SECTIONS = registry.all_sections()
MESSAGE = "null character"


@pytest.fixture
def ada_client(client, ada):
    client.force_login(ada)
    return client


def assert_refused_with_a_message(response) -> None:
    assert response.status_code == 400
    assert MESSAGE in response.content.decode()


@pytest.mark.parametrize("section", SECTIONS, ids=[s.name for s in SECTIONS])
def test_a_null_character_in_a_list_search_is_refused_with_a_message(ada_client, section):
    response = ada_client.get(reverse(f"{section.name}:list"), {"q": "acme\x00"})

    assert_refused_with_a_message(response)


@pytest.mark.parametrize(
    "url_name", ["feed:mentions", "products:catalogue", "search", "access:users"], ids=lambda name: name
)
def test_a_null_character_in_the_other_searches_is_refused_with_a_message(ada_client, url_name):
    response = ada_client.get(reverse(url_name), {"q": "\x00"})

    assert_refused_with_a_message(response)


@pytest.mark.parametrize("section", SECTIONS[:3], ids=[s.name for s in SECTIONS[:3]])
def test_a_null_character_in_a_list_filter_is_refused_with_a_message(ada_client, section):
    response = ada_client.get(reverse(f"{section.name}:list"), {"name": "\x00", "sort": "\x00"})

    assert_refused_with_a_message(response)


def test_a_list_search_without_a_null_character_still_works(ada_client):
    response = ada_client.get(reverse("accounts:list"), {"q": "acme"})

    assert response.status_code == 200

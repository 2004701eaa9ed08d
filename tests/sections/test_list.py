"""The generic section list: sorting, paging, quick search, filters, the record count and the htmx partial."""

import datetime
from unittest import mock

import pytest
from django.urls import reverse

from accounts.models import AccountType, Industry
from crm.sections.selectors import page_window
from tests.factories import AccountFactory, ContactFactory


def names(response) -> list[str]:
    return [str(row) for row in response.context["rows"]]


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


@pytest.fixture
def cities(alice):
    """Three of alice's accounts in three cities, created in this order."""
    return [
        AccountFactory(name="Northwind Traders", city="Seattle", owner=alice),
        AccountFactory(name="Contoso Pharma", city="Basel", owner=alice),
        AccountFactory(name="Fabrikam", city="Stuttgart", owner=alice),
    ]


# --- sorting ---------------------------------------------------------------------------------------------------


def test_the_list_is_sorted_by_the_sections_default_sort(alice_client, cities):
    response = alice_client.get(reverse("accounts:list"))

    assert response.status_code == 200
    assert names(response) == ["Contoso Pharma", "Fabrikam", "Northwind Traders"]


def test_sorting_by_a_column_and_reversing_it(alice_client, cities):
    ascending = alice_client.get(reverse("accounts:list"), {"sort": "city"})
    descending = alice_client.get(reverse("accounts:list"), {"sort": "-city"})

    assert names(ascending) == ["Contoso Pharma", "Northwind Traders", "Fabrikam"]
    assert names(descending) == ["Fabrikam", "Northwind Traders", "Contoso Pharma"]
    # the header of the sorted column links to the reverse order
    assert 'href="?sort=-city"' in ascending.content.decode()


def test_sorting_by_a_lookup_column_orders_by_the_lookups_position(alice_client, alice):
    partner, customer = AccountType.objects.get(name="Partner"), AccountType.objects.get(name="Customer")
    AccountFactory(name="A partner", type=partner, owner=alice)
    AccountFactory(name="B customer", type=customer, owner=alice)

    response = alice_client.get(reverse("accounts:list"), {"sort": "type"})

    assert names(response) == ["B customer", "A partner"]


def test_an_unknown_sort_column_is_ignored_with_one_message(alice_client, cities):
    response = alice_client.get(reverse("accounts:list"), {"sort": "-password"})

    assert response.status_code == 200
    assert names(response) == ["Contoso Pharma", "Fabrikam", "Northwind Traders"]
    assert messages_of(response) == ["Cannot sort by “password”; the default order is used."]


# --- paging ----------------------------------------------------------------------------------------------------


@pytest.fixture
def thirty(alice):
    return AccountFactory.create_batch(30, owner=alice)


def test_the_first_page_shows_25_records_and_links_to_the_next(alice_client, thirty):
    response = alice_client.get(reverse("accounts:list"))

    assert len(names(response)) == 25
    assert response.context["has_next"] is True
    assert response.context["has_previous"] is False
    assert 'href="?page=2"' in response.content.decode()


def test_the_last_page_shows_the_rest_and_links_back(alice_client, thirty):
    response = alice_client.get(reverse("accounts:list"), {"page": "2"})

    assert names(response) == sorted(a.name for a in thirty)[25:]
    assert response.context["has_next"] is False
    assert response.context["has_previous"] is True
    assert 'href="?page=1"' in response.content.decode()


@pytest.mark.parametrize("size", [25, 50, 100])
def test_the_user_chooses_25_50_or_100_rows_per_page(alice_client, size, alice):
    AccountFactory.create_batch(size + 1, owner=alice)

    response = alice_client.get(reverse("accounts:list"), {"per_page": str(size)})

    assert len(names(response)) == size
    assert response.context["has_next"] is True


def test_a_bogus_page_size_falls_back_to_25_with_a_message(alice_client, thirty):
    response = alice_client.get(reverse("accounts:list"), {"per_page": "7"})

    assert len(names(response)) == 25
    assert messages_of(response) == ["Page size must be one of 25, 50, 100."]


@pytest.mark.parametrize(
    ("page", "count", "more", "has_next", "window"),
    [
        (1, 30, False, True, [1, 2]),
        (1, 0, False, False, [1]),
        (5, 250, False, True, [1, 2, 3, 4, 5, 6, 7, None, 10]),  # a gap of one page shows the page
        (1, 1000, False, True, [1, 2, 3, None, 40]),
        (20, 1000, False, True, [1, None, 18, 19, 20, 21, 22, None, 40]),
        (40, 1000, False, False, [1, None, 38, 39, 40]),
        # past the count's limit the last page is unknown: the window ends on a gap
        (1, 10_000, True, True, [1, 2, 3, None]),
        (400, 10_000, True, True, [1, None, 398, 399, 400, 401, None]),
        (500, 10_000, True, False, [1, None, 498, 499, 500, None]),
    ],
)
def test_the_pager_links_the_first_and_last_pages_and_two_either_side(page, count, more, has_next, window):
    assert page_window(page, 25, count=count, more=more, has_next=has_next) == window


def test_the_pager_links_to_numbered_pages_and_says_where_the_rows_are(alice_client, alice):
    AccountFactory.create_batch(130, owner=alice)

    response = alice_client.get(reverse("accounts:list"), {"page": "3"})
    html = response.content.decode()

    assert response.context["page_window"] == [1, 2, 3, 4, 5, 6]
    assert 'href="?page=6"' in html and 'aria-current="page"><span class="page-link">3<' in html
    assert "51–75 of 130" in html


@pytest.mark.parametrize("page", ["9", "99999999999"])
def test_a_page_past_the_end_shows_the_last_page(alice_client, thirty, page):
    """An old bookmark, or the last page emptied by a bulk delete, shows the rows that are there."""
    response = alice_client.get(reverse("accounts:list"), {"page": page})

    assert response.status_code == 200
    assert response.context["page"] == 2
    assert names(response) == sorted(a.name for a in thirty)[25:]
    assert response.context["has_next"] is False
    assert messages_of(response) == []


def test_an_empty_list_stays_on_page_one(alice_client):
    response = alice_client.get(reverse("accounts:list"), {"page": "3", "q": "nothing like this"})

    assert response.context["page"] == 1
    assert "No records match." in response.content.decode()


@pytest.mark.parametrize("page", ["abc", "-1", "0"])
def test_a_bogus_page_shows_the_first_page_with_a_message(alice_client, thirty, page):
    response = alice_client.get(reverse("accounts:list"), {"page": page})

    assert response.status_code == 200
    assert len(names(response)) == 25
    assert messages_of(response) == ["Unknown page ignored."]


# --- quick search ----------------------------------------------------------------------------------------------


def test_quick_search_finds_records_by_part_of_the_name_in_any_case(alice_client, cities):
    response = alice_client.get(reverse("accounts:list"), {"q": "wind"})

    assert names(response) == ["Northwind Traders"]


def test_quick_search_finds_records_by_phone_and_email(alice_client, alice):
    AccountFactory(name="By phone", phone="+44 20 7946 0958", owner=alice)
    AccountFactory(name="By email", email="sales@tailspin.example", owner=alice)
    AccountFactory(name="Neither", owner=alice)

    by_phone = alice_client.get(reverse("accounts:list"), {"q": "7946 09"})
    by_email = alice_client.get(reverse("accounts:list"), {"q": "tailspin"})

    assert names(by_phone) == ["By phone"]
    assert names(by_email) == ["By email"]


def test_quick_search_with_a_huge_number_finds_nothing_instead_of_failing(alice_client, cities):
    response = alice_client.get(reverse("accounts:list"), {"q": "99999999999999999999999"})

    assert response.status_code == 200
    assert names(response) == []


def test_quick_search_is_combined_with_the_filters(alice_client, alice):
    AccountFactory(name="Blue Berlin", city="Berlin", owner=alice)
    AccountFactory(name="Blue Paris", city="Paris", owner=alice)

    response = alice_client.get(reverse("accounts:list"), {"q": "blue", "city": "paris"})

    assert names(response) == ["Blue Paris"]


def test_quick_search_finds_the_words_in_any_order_and_across_fields(alice_client, alice):
    contoso = AccountFactory(name="Contoso Pharma", owner=alice)
    ContactFactory(given_name="Henry", surname="Rossi", account=contoso, owner=alice)
    ContactFactory(given_name="Henry", surname="Miller", account=contoso, owner=alice)
    ContactFactory(given_name="Paola", surname="Rossi", account=None, owner=alice)

    by_name = alice_client.get(reverse("contacts:list"), {"q": "rossi henry"})
    by_name_and_account = alice_client.get(reverse("contacts:list"), {"q": "contoso  rossi"})

    assert names(by_name) == ["Henry Rossi"]
    assert names(by_name_and_account) == ["Henry Rossi"]


# --- filters ---------------------------------------------------------------------------------------------------


def test_a_text_filter_matches_part_of_the_value(alice_client, cities):
    response = alice_client.get(reverse("accounts:list"), {"city": "sEAT"})

    assert names(response) == ["Northwind Traders"]


def test_a_lookup_filter_matches_the_chosen_value(alice_client, alice):
    retail = Industry.objects.get(name="Retail")
    AccountFactory(name="Shop", industry=retail, owner=alice)
    AccountFactory(name="Bank", industry=Industry.objects.get(name="Finance and insurance"), owner=alice)

    response = alice_client.get(reverse("accounts:list"), {"industry": str(retail.pk)})

    assert names(response) == ["Shop"]


WEDNESDAY_NOON = datetime.datetime(2026, 3, 11, 12, 0, tzinfo=datetime.UTC)


@pytest.fixture
def dated(alice):
    """Accounts created at known moments around Wednesday 11 March 2026 (the fixed clock)."""
    moments = {
        "Earlier today": WEDNESDAY_NOON - datetime.timedelta(hours=3),
        "Monday": WEDNESDAY_NOON - datetime.timedelta(days=2),
        "Last Sunday": WEDNESDAY_NOON - datetime.timedelta(days=3),
        "First of March": datetime.datetime(2026, 3, 1, 8, 0, tzinfo=datetime.UTC),
        "February": datetime.datetime(2026, 2, 27, 8, 0, tzinfo=datetime.UTC),
    }
    return [AccountFactory(name=name, created_at=at, owner=alice) for name, at in moments.items()]


@pytest.mark.parametrize(
    ("preset", "expected"),
    [
        ("today", ["Earlier today"]),
        ("this_week", ["Earlier today", "Monday"]),
        ("this_month", ["Earlier today", "First of March", "Last Sunday", "Monday"]),
        ("last_month", ["February"]),
    ],
)
def test_date_presets_filter_by_the_calendar(alice_client, dated, preset, expected):
    with mock.patch("django.utils.timezone.now", return_value=WEDNESDAY_NOON):
        response = alice_client.get(reverse("accounts:list"), {"created_at": preset})

    assert names(response) == expected


def test_the_owner_filter_me_shows_the_users_own_records(alice_client, alice, bob):
    AccountFactory(name="Alice's", owner=alice)
    AccountFactory(name="Bob's", owner=bob)

    mine = alice_client.get(reverse("accounts:list"), {"owner": "me"})
    bobs = alice_client.get(reverse("accounts:list"), {"owner": str(bob.pk)})

    assert names(mine) == ["Alice's"]
    assert names(bobs) == ["Bob's"]


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"type": "abc"}, "Filter “Type” ignored:"),
        ({"industry": "999999"}, "Filter “Industry” ignored:"),
        ({"created_at": "someday"}, "Filter “Created on” ignored:"),
        ({"owner": "nobody"}, "Filter “Owner” ignored:"),
        ({"folder": "x"}, "Unknown folder ignored."),
        ({"folder": "424242"}, "Unknown folder ignored."),
    ],
)
def test_an_invalid_filter_value_is_ignored_with_a_message(alice_client, cities, params, message):
    response = alice_client.get(reverse("accounts:list"), params)

    assert response.status_code == 200
    assert len(names(response)) == 3
    shown = messages_of(response)
    assert len(shown) == 1
    assert shown[0].startswith(message)


# --- the record count ------------------------------------------------------------------------------------------


def test_the_record_count_is_exact_below_the_limit(alice_client, cities, settings):
    settings.LIST_EXACT_COUNT_LIMIT = 5

    response = alice_client.get(reverse("accounts:list"))

    assert response.context["count"] == 3
    assert ">3 records<" in response.content.decode()


def test_the_record_count_stops_at_the_limit_and_says_so(alice_client, alice, settings):
    settings.LIST_EXACT_COUNT_LIMIT = 5
    AccountFactory.create_batch(8, owner=alice)

    response = alice_client.get(reverse("accounts:list"))

    assert (response.context["count"], response.context["count_more"]) == (5, True)
    assert ">5+ records<" in response.content.decode()


@pytest.mark.slow
def test_the_record_count_of_a_big_list_reads_10000_plus(alice_client, alice, settings):
    from accounts.models import Account

    settings.LIST_EXACT_COUNT_LIMIT = 10_000
    Account.objects.bulk_create(
        [Account(name=f"Bulk {n}", code=f"B-{n}", owner=alice) for n in range(10_001)], batch_size=2_000
    )

    response = alice_client.get(reverse("accounts:list"))

    assert ">10,000+ records<" in response.content.decode()


# --- htmx -------------------------------------------------------------------------------------------------------


def test_an_htmx_request_gets_only_the_table(alice_client, cities):
    response = alice_client.get(reverse("accounts:list"), {"sort": "city"}, HTTP_HX_REQUEST="true")

    body = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in body
    assert 'id="list-table"' in body
    assert body.index("Contoso Pharma") < body.index("Northwind Traders") < body.index("Fabrikam")


def test_a_plain_request_gets_the_whole_page(alice_client, cities):
    response = alice_client.get(reverse("accounts:list"))

    body = response.content.decode()
    assert "<html" in body
    assert 'id="filter-form"' in body


def test_the_list_needs_a_login(client, cities):
    response = client.get(reverse("accounts:list"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))

"""A list keeps what the user chose: a filter applied keeps the sort; the last filters, sort, page size and
columns come back when the user opens the list bare (per user and section); a link with its own query wins;
"Reset" forgets them; "Mine" shows the user's own records."""

import re

from django.urls import reverse

from crm.sections.models import ListPreference
from tests.factories import AccountFactory, ContactFactory


def names(response) -> list[str]:
    return [str(row) for row in response.context["rows"]]


def test_after_a_sort_click_the_filter_form_sends_the_new_sort(alice_client, alice):
    AccountFactory(name="Northwind", city="Seattle", owner=alice)

    # the sort link swaps only the results: the filter form's sort is swapped with them, out of band
    response = alice_client.get(reverse("accounts:list"), {"sort": "-city"}, HTTP_HX_REQUEST="true")

    state = re.search(r'<span id="list-state" hx-swap-oob="true">(.*?)</span>', response.content.decode())
    assert state is not None
    assert '<input type="hidden" name="sort" value="-city">' in state.group(1)


def test_applying_a_filter_keeps_the_sort_the_form_sends(alice_client, alice):
    AccountFactory(name="Alpha", city="Basel", owner=alice)
    AccountFactory(name="Beta", city="Zurich", owner=alice)
    AccountFactory(name="Gamma", city="Aarau", owner=alice)

    response = alice_client.get(reverse("accounts:list"), {"sort": "-city", "city": "r"})

    assert names(response) == ["Beta", "Gamma"]
    # the page's filter form carries the sort for the next filter
    assert '<input type="hidden" name="sort" value="-city">' in response.content.decode()


def test_opening_the_list_bare_restores_the_last_filters_and_sort(alice_client, alice):
    alice_client.get(reverse("accounts:list"), {"sort": "-city", "city": "bas", "per_page": "50", "page": "2"})

    response = alice_client.get(reverse("accounts:list"))

    assert response.status_code == 302
    assert response.url == reverse("accounts:list") + "?sort=-city&city=bas&per_page=50"  # not the page


def test_a_link_with_its_own_query_wins_over_the_remembered_one(alice_client, alice):
    AccountFactory(name="Alpha", city="Basel", owner=alice)
    AccountFactory(name="Beta", city="Zurich", owner=alice)
    alice_client.get(reverse("accounts:list"), {"city": "bas"})

    response = alice_client.get(reverse("accounts:list"), {"city": "zur"})

    assert names(response) == ["Beta"]
    assert ListPreference.objects.get(user=alice, section="accounts").query == "city=zur"


def test_the_remembered_query_is_per_section(alice_client, alice):
    alice_client.get(reverse("accounts:list"), {"city": "bas"})

    response = alice_client.get(reverse("contacts:list"))

    assert response.status_code == 200


def test_the_remembered_query_is_per_user(alice_client, alice, bob, client):
    alice_client.get(reverse("accounts:list"), {"city": "bas"})
    client.force_login(bob)

    response = client.get(reverse("accounts:list"))

    assert response.status_code == 200
    assert response.context["filterset"].form["city"].value() in (None, "")


def test_reset_forgets_the_remembered_query(alice_client, alice):
    alice_client.get(reverse("accounts:list"), {"city": "bas", "sort": "-city"})

    reset = alice_client.get(reverse("accounts:list"), {"reset": "1"})
    bare = alice_client.get(reverse("accounts:list"))

    assert reset.status_code == 302 and reset.url == reverse("accounts:list")
    assert bare.status_code == 200
    assert bare.context["sort"] == "name"  # the section's default
    assert 'href="/accounts/?reset=1"' in bare.content.decode()


def test_chosen_columns_are_kept_per_user_and_section(alice_client, alice, bob, client):
    alice_client.post(reverse("accounts:columns"), {"columns": ["name", "city"]})

    alice_accounts = alice_client.get(reverse("accounts:list"))
    alice_contacts = alice_client.get(reverse("contacts:list"))
    client.force_login(bob)
    bob_accounts = client.get(reverse("accounts:list"))

    assert [c.path for c in alice_accounts.context["columns"]] == ["name", "city"]
    assert len(alice_contacts.context["columns"]) > 2
    assert len(bob_accounts.context["columns"]) > 2


def test_mine_shows_only_the_records_the_user_owns(alice_client, alice, bob):
    AccountFactory(name="Alice's", owner=alice)
    AccountFactory(name="Bob's", owner=bob)

    everyone = alice_client.get(reverse("accounts:list"))
    mine = alice_client.get(reverse("accounts:list"), {"owner": "me"})

    assert names(everyone) == ["Alice's", "Bob's"]
    assert names(mine) == ["Alice's"]
    assert 'id="mine-filter" aria-pressed="false" href="?owner=me"' in everyone.content.decode()
    assert 'id="mine-filter" aria-pressed="true"' in mine.content.decode()


def test_every_section_with_an_owner_offers_mine(alice_client, alice):
    from crm.sections import registry

    ContactFactory(owner=alice)
    for section in registry.all_sections():
        if any(f.name == "owner" for f in section.opts.concrete_fields):
            response = alice_client.get(reverse(f"{section.name}:list"), {"per_page": "25"})
            assert 'id="mine-filter"' in response.content.decode(), section.name


def test_the_filters_button_counts_the_active_filters(alice_client, alice):
    response = alice_client.get(reverse("accounts:list"), {"city": "bas", "owner": "me", "q": "x", "sort": "name"})

    # the quick search sits behind the button too; the sort is no filter
    assert re.search(r'id="filter-toggle".*?aria-label="3 active filters"', response.content.decode(), re.S)

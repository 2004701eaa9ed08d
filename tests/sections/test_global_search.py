"""The top bar's global search: across every section, ranked, by name, email, phone and number, words in any order
and typos; grouped by section, with what tells the hits apart."""

from decimal import Decimal

import factory
import pytest
from django.urls import reverse

from crm.access.models import ColumnRight, Membership
from crm.sections.search import search
from products.models import Currency
from tests.factories import AccountFactory, ContactFactory, OpportunityFactory


def factory_sequence(pattern: str):
    return factory.Sequence(lambda n: pattern.format(n=n))


def found(client, text: str, **extra) -> list[str]:
    response = client.get(reverse("search"), {"q": text, **extra})
    assert response.status_code == 200
    return [str(hit.obj) for hit in response.context["hits"]]


def test_an_exact_name_ranks_above_a_prefix_above_a_contains(alice_client, alice):
    AccountFactory(name="The Acme Company", owner=alice)
    AccountFactory(name="Acme Holdings", owner=alice)
    AccountFactory(name="Acme", owner=alice)
    AccountFactory(name="Unrelated", owner=alice)

    assert found(alice_client, "acme") == ["Acme", "Acme Holdings", "The Acme Company"]


def test_with_more_matches_than_shown_the_best_ones_are_shown(alice_client, alice):
    AccountFactory.create_batch(12, name=factory_sequence("The Acme Branch {n}"), owner=alice)
    AccountFactory(name="Acme Holdings", owner=alice)
    AccountFactory(name="Acme", owner=alice)

    shown = found(alice_client, "acme")

    assert len(shown) == 8
    assert shown[:2] == ["Acme", "Acme Holdings"]


def test_search_spans_sections(alice_client, alice):
    account = AccountFactory(name="Davolio Foods", owner=alice)
    ContactFactory(given_name="Nancy", surname="Davolio", account=account, owner=alice)

    response = alice_client.get(reverse("search"), {"q": "davolio"})

    assert {(hit.section.name, str(hit.obj)) for hit in response.context["hits"]} == {
        ("accounts", "Davolio Foods"),
        ("contacts", "Nancy Davolio"),
    }


def test_search_finds_a_contact_by_email_and_an_account_by_phone(alice_client, alice):
    ContactFactory(given_name="Nancy", surname="Davolio", email="nancy@northwind.example", owner=alice)
    AccountFactory(name="Phoned", phone="+44 20 7946 0958", owner=alice)

    assert found(alice_client, "nancy@northwind") == ["Nancy Davolio"]
    assert found(alice_client, "7946 0958") == ["Phoned"]


def test_search_finds_an_account_by_its_number(alice_client, alice):
    AccountFactory(name="Numbered", code="ACC-04711", owner=alice)

    assert found(alice_client, "ACC-04711") == ["Numbered"]


@pytest.mark.parametrize("text", ["", "a", " b "])
def test_search_needs_two_characters(alice_client, alice, text):
    AccountFactory(name="a b", owner=alice)

    response = alice_client.get(reverse("search"), {"q": text})

    assert response.context["hits"] == []
    assert ("Type at least two characters." in response.content.decode()) == bool(text.strip())


def test_the_section_the_user_is_in_comes_first_among_equal_matches(alice_client, alice):
    ContactFactory(full_name="Smith", given_name="", surname="", account=None, owner=alice)
    AccountFactory(name="Smith", owner=alice)

    def sections_found(current: str) -> list[str]:
        response = alice_client.get(reverse("search"), {"q": "smith", "section": current})
        return [hit.section.name for hit in response.context["hits"]]

    assert sections_found("contacts") == ["contacts", "accounts"]
    assert sections_found("accounts") == ["accounts", "contacts"]


def test_the_top_bar_gets_a_dropdown_with_a_link_to_all_results(alice_client, alice):
    AccountFactory(name="Acme", owner=alice)

    response = alice_client.get(reverse("search"), {"q": "acme"}, HTTP_HX_REQUEST="true")

    body = response.content.decode()
    assert "<html" not in body
    assert 'id="search-hits"' in body
    assert f'href="{reverse("search")}?q=acme"' in body


def test_a_user_who_may_see_nothing_finds_nothing(alice, bob):
    AccountFactory(name="Acme", owner=alice)
    bob.is_active = False

    assert search(bob, "acme") == []


def test_words_in_any_order_find_a_contact(alice_client, alice):
    ContactFactory(given_name="Henry", surname="Rossi", account=None, owner=alice)
    ContactFactory(given_name="Henry", surname="Miller", account=None, owner=alice)

    assert found(alice_client, "rossi henry") == ["Henry Rossi"]


def test_a_typo_still_finds_the_account(alice_client, alice):
    AccountFactory(name="Northwind Traders", owner=alice)
    AccountFactory(name="Southern Lights", owner=alice)

    assert found(alice_client, "nortwind") == ["Northwind Traders"]


def test_what_contains_the_text_is_shown_without_what_is_only_like_it(alice_client, alice):
    AccountFactory(name="Northwind Traders", owner=alice)
    AccountFactory(name="Nortwind Cafe", owner=alice)

    assert found(alice_client, "nortwind") == ["Nortwind Cafe"]


def test_hits_are_grouped_by_section_with_a_contact_s_account(alice_client, alice):
    account = AccountFactory(name="Davolio Foods", owner=alice)
    ContactFactory(given_name="Nancy", surname="Davolio", account=account, owner=alice)

    response = alice_client.get(reverse("search"), {"q": "davolio"})

    groups = [(section.name, [hit.context for hit in hits]) for section, hits in response.context["groups"]]
    assert groups == [("accounts", [[]]), ("contacts", [["Davolio Foods"]])]
    body = response.content.decode()
    assert body.index('data-section="accounts"') < body.index('data-section="contacts"')
    assert "· Davolio Foods" in body


def test_a_deal_shows_its_stage_and_amount(alice_client, alice):
    OpportunityFactory(name="Fabrikam rollout", amount=Decimal("12345.50"), owner=alice, account__name="Fabrikam")

    response = alice_client.get(reverse("search"), {"q": "rollout"})

    [hit] = response.context["hits"]
    assert hit.context == ["Fabrikam", "Qualification", f"12,345.50 {Currency.objects.base().code}"]


def test_an_amount_the_user_may_not_read_is_not_shown(client, alice, role_tree):
    Membership.objects.create(user=alice, role=role_tree.team_a)
    ColumnRight.objects.create(
        section="opportunities", field_name="amount", role=role_tree.all_employees, access=ColumnRight.Access.HIDDEN
    )
    OpportunityFactory(name="Fabrikam rollout", amount=Decimal("12345.50"), owner=alice, account__name="Fabrikam")
    client.force_login(alice)

    response = client.get(reverse("search"), {"q": "rollout"})

    [hit] = response.context["hits"]
    assert hit.context == ["Fabrikam", "Qualification"]
    assert "12,345" not in response.content.decode()

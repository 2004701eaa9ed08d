"""The shapes global and quick search take so that they stay fast at a million records, and find the same:
each section's ranks in one query, the best ranks found anywhere in a table, and several common words looked
up through the longest word's indexes."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Account
from crm.sections import registry, text_search
from crm.sections.search import search
from tests.factories import AccountFactory, ContactFactory

postgresql_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="trigram indexes are PostgreSQL's")


def test_an_exact_name_is_ranked_first_however_many_records_before_it_contain_the_text(alice):
    template = AccountFactory.build(owner=alice)
    fields = {f.attname: getattr(template, f.attname) for f in Account._meta.concrete_fields if not f.primary_key}
    Account.objects.bulk_create(
        [Account(**{**fields, "name": f"The Acme Branch {n}", "code": f"B-{n}"}) for n in range(text_search.FEW + 1)]
    )
    AccountFactory(name="Acme", owner=alice)

    hits = search(alice, "acme")

    assert [str(hit.obj) for hit in hits][:1] == ["Acme"]
    assert len(hits) == 8


@postgresql_only
def test_each_section_s_ranks_are_read_in_one_query_or_two(alice):
    """One query for the better ranks and the first field holding the text; a second for the other fields only
    where the first found fewer than a page (here every section: two accounts have "acme")."""
    AccountFactory(name="Acme", owner=alice)
    AccountFactory(name="Acme Holdings", owner=alice)
    searched = [s for s in registry.all_sections() if s.search_fields]
    ranked_by_us = [s for s in searched if s.search_hits is None]  # the others rank their own (full text)

    with CaptureQueriesContext(connection) as queries:
        search(alice, "acme")

    ranks = [q["sql"] for q in queries.captured_queries if '"_rank"' in q["sql"]]
    first = [sql for sql in ranks if '0 AS "_rank"' in sql]
    assert len(first) == len(ranked_by_us)  # each section's better ranks in one query
    assert len(ranks) <= 2 * len(ranked_by_us)
    # and besides them only the hits' rows, the tags once and the access checks: no query per rank
    assert len(queries) <= 4 * len(searched)


@pytest.fixture
def common_words(monkeypatch):
    """Every word counts as common (more matches than FEW), as "Apex" and "Bui" are among a million contacts."""
    monkeypatch.setattr(text_search, "FEW", 0)


def quick_search(client, text: str) -> list[str]:
    response = client.get(reverse("contacts:list"), {"q": text})
    assert response.status_code == 200
    return sorted(str(row) for row in response.context["rows"])


@postgresql_only
@pytest.mark.parametrize("many", [text_search.MANY, 0], ids=["looked up by id", "more than MANY: plain conditions"])
def test_several_common_words_find_the_records_with_all_of_them_in_any_field(
    alice_client, alice, common_words, monkeypatch, many
):
    monkeypatch.setattr(text_search, "MANY", many)
    builders = AccountFactory(name="Apex Builders", owner=alice)
    apex = AccountFactory(name="Apex Foods", owner=alice)
    ContactFactory(given_name="Nancy", surname="Davolio", account=builders, owner=alice)  # both in the account
    ContactFactory(given_name="Bui", surname="Tran", account=apex, owner=alice)  # one in each
    ContactFactory(given_name="Apex", surname="Buick", account=None, owner=alice)  # both in the name
    ContactFactory(given_name="Janet", surname="Leverling", account=apex, owner=alice)  # only "Apex"

    assert quick_search(alice_client, "Bui Apex") == ["Apex Buick", "Bui Tran", "Nancy Davolio"]
    response = alice_client.get(reverse("contacts:list"), {"q": "Bui Apex"})
    assert response.context["count"] == 3


@postgresql_only
def test_several_common_words_show_only_records_the_user_may_see(
    alice_client, alice, bob, common_words, only_owners_read_records
):
    account = AccountFactory(name="Apex Builders", owner=bob)
    ContactFactory(given_name="Nancy", surname="Davolio", account=account, owner=alice)
    ContactFactory(given_name="Andrew", surname="Fuller", account=account, owner=bob)

    assert quick_search(alice_client, "Apex Bui") == ["Nancy Davolio"]


def _reads_web_for(queries, text: str) -> bool:
    """Did a query look for `text` anywhere in the accounts' web field (not only at its start)?"""
    import re

    pattern = re.compile(r'"accounts_account"\."web"[^%]{0,25}\'%' + re.escape(text) + "%'", re.IGNORECASE)
    return any(pattern.search(q["sql"]) for q in queries.captured_queries)


@postgresql_only  # on SQLite a word is one condition over every field
def test_a_word_that_fills_the_page_from_the_first_field_reads_no_other_field_for_it(alice):
    for n in range(9):
        AccountFactory(name=f"Nova Trading {n}", owner=alice)
    AccountFactory(name="Harbour Ltd", web="https://harbour-nova.example", owner=alice)

    with CaptureQueriesContext(connection) as queries:
        hits = [hit for hit in search(alice, "nova") if hit.section.name == "accounts"]

    assert len(hits) == 8 and all("Nova Trading" in str(hit.obj) for hit in hits)
    assert not _reads_web_for(queries, "nova")


def test_the_other_fields_are_read_when_the_first_finds_fewer_than_a_page(alice):
    AccountFactory(name="Nova Trading", owner=alice)
    AccountFactory(name="Harbour Ltd", web="https://harbour-nova.example", owner=alice)

    with CaptureQueriesContext(connection) as queries:
        hits = [str(hit.obj) for hit in search(alice, "nova") if hit.section.name == "accounts"]

    assert hits == ["Nova Trading", "Harbour Ltd"]  # the name's start ranks before the web's middle
    assert _reads_web_for(queries, "nova")


def test_a_search_matching_no_tag_asks_for_tags_once(alice):
    AccountFactory(name="Nova Trading", owner=alice)

    with CaptureQueriesContext(connection) as queries:
        search(alice, "nova")

    # (the knowledge base's own full-text search reads its articles' tags in its one query)
    sql = [q["sql"] for q in queries.captured_queries if "knowledge_article" not in q["sql"]]
    assert len([text for text in sql if '"sections_tag"' in text]) == 1


def test_a_related_record_s_field_is_searched_only_where_the_record_has_one(alice):
    """`contact__full_name` holds "Nova" only where the deal has a contact: said outright, the planner reads the
    few deals with a contact instead of every contact named Nova (544 ms against 0.02 ms at 1M contacts)."""
    from opportunities.models import Opportunity
    from tests.factories import OpportunityFactory

    nova = ContactFactory(owner=alice, given_name="Ana", surname="Nova")
    with_contact = OpportunityFactory(owner=alice, contact=nova)
    OpportunityFactory(owner=alice, contact=None)
    condition = text_search.field_condition(Opportunity, "contact__full_name", "icontains", "Nova")

    found = Opportunity.objects.filter(condition)

    assert list(found) == [with_contact]
    if text_search.indexed("Nova"):  # PostgreSQL: the EXISTS through the contacts' trigram index
        sql = str(found.query).replace('"', "")
        assert "contact_id IS NOT NULL" in sql and "EXISTS" in sql

"""A list adds up its money columns over everything the filter selects (not only the page), per currency, in
one query; a column the user may not see, or whose value derives from one they may not, gets no total."""

from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from crm.access.models import ColumnRight, Membership
from opportunities.models import Opportunity
from tests.factories import OpportunityFactory
from tests.factories.products import currency


def opportunity(owner, amount: str, code: str = "USD", **fields):
    record = OpportunityFactory(owner=owner, currency=currency(code), **fields)
    Opportunity.objects.filter(pk=record.pk).update(amount=Decimal(amount))
    return record


def test_the_total_adds_up_what_the_filter_selects_on_every_page_per_currency(alice_client, alice, bob):
    opportunity(alice, "1000.10")
    opportunity(alice, "0.20")
    opportunity(alice, "5.05", "EUR")
    opportunity(bob, "7777.00")  # not alice's: the "mine" filter leaves it out
    for _ in range(25):
        opportunity(alice, "1.00")

    response = alice_client.get(reverse("opportunities:list"), {"owner": "me", "per_page": "25", "page": "2"})

    # page 2 holds 3 of the 28 rows; the total is of everything the filter selects
    assert len(response.context["rows"]) == 3
    assert response.context["totals"]["amount"] == [("EUR", Decimal("5.05")), ("USD", Decimal("1025.30"))]


def test_the_totals_row_shows_the_sums(alice_client, alice):
    opportunity(alice, "1234.50")
    opportunity(alice, "0.50")

    response = alice_client.get(reverse("opportunities:list"), {"per_page": "25"})

    html = response.content.decode()
    assert 'id="list-totals"' in html
    assert '<td class="fw-semibold" data-total="amount"><div>1,235.00 USD</div></td>' in html


def test_a_section_without_money_columns_has_no_totals_row(alice_client, alice):
    response = alice_client.get(reverse("accounts:list"), {"per_page": "25"})

    assert response.context["totals"] == {}
    assert 'id="list-totals"' not in response.content.decode()


def test_a_hidden_money_column_gets_no_total(client, alice, charlie, role_tree):
    Membership.objects.create(user=alice, role=role_tree.team_a)
    ColumnRight.objects.create(
        section="opportunities", field_name="amount", role=role_tree.all_employees, access=ColumnRight.Access.HIDDEN
    )
    ColumnRight.objects.create(
        section="opportunities", field_name="amount", role=role_tree.team_a, access=ColumnRight.Access.EDIT
    )
    opportunity(charlie, "987654.32")
    opportunity(alice, "987654.32")
    client.force_login(charlie)

    hidden = client.get(reverse("opportunities:list"), {"per_page": "25"})
    client.force_login(alice)
    shown = client.get(reverse("opportunities:list"), {"per_page": "25"})

    assert hidden.context["totals"] == {}
    assert "987,654" not in hidden.content.decode() and "1,975,308" not in hidden.content.decode()
    assert shown.context["totals"]["amount"] == [("USD", Decimal("1975308.64"))]


def test_a_column_derived_from_a_hidden_field_gets_no_total(client, charlie, role_tree):
    # an invoice's paid amount is a part of its amount: whoever may not see the amount does not see it summed
    from crm.sections import registry
    from tests.factories.registry import make_record

    ColumnRight.objects.create(
        section="invoices", field_name="amount", role=role_tree.all_employees, access=ColumnRight.Access.HIDDEN
    )
    make_record(registry.get("invoices"), charlie)
    client.force_login(charlie)

    response = client.get(reverse("invoices:list"), {"per_page": "25"})

    assert "paid_amount" not in response.context["totals"]
    assert "amount" not in response.context["totals"]


def test_the_totals_are_one_query_whatever_the_page_size(alice_client, alice):
    for index in range(30):
        opportunity(alice, f"{index}.25", "EUR" if index % 3 else "USD")
    url = reverse("opportunities:list")

    def aggregate_queries(params):
        alice_client.get(url, params)  # remembered once: no write in the measured request
        with CaptureQueriesContext(connection) as context:
            alice_client.get(url, params)
        return [q["sql"] for q in context.captured_queries if 'SUM("opportunities_opportunity"."amount")' in q["sql"]]

    small, large = aggregate_queries({"per_page": "25"}), aggregate_queries({"per_page": "100"})

    assert len(small) == 1 and len(large) == 1

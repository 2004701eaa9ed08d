"""The detail wizard: a tab listing another section's records that point at the record (by a foreign key or a
custom field holding the id), the chosen columns and order, rights, a constant query count, editing in place."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from crm.designer import details_wizard
from crm.designer.models import DetailDefinition, FieldDefinition
from crm.sections import registry
from tests.factories import AccountFactory, ContactFactory, OpportunityFactory
from tests.factories.opportunities import stage

pytestmark = pytest.mark.django_db


def add_detail(user, **values):
    values = {
        "code": "deals",
        "title": "Deals",
        "source": "opportunities",
        "relation": "account",
        "columns": ["name", "stage", "budget"],
        "sort": "-budget",
        "editable": True,
        **values,
    }
    return details_wizard.save_detail(user=user, section=registry.get("accounts"), **values)


@pytest.fixture
def deals(ada):
    return add_detail(ada)


def tab_url(account, detail):
    return reverse("accounts:tab", args=[account.pk, f"detail-{detail.code}"])


def test_the_account_page_gets_a_tab_with_its_deals_in_the_chosen_order(alice_client, alice, deals):
    account = AccountFactory(owner=alice)
    OpportunityFactory(owner=alice, account=account, name="Small", budget=Decimal("10"))
    OpportunityFactory(owner=alice, account=account, name="Big", budget=Decimal("900"))
    OpportunityFactory(owner=alice, name="Elsewhere")

    page = alice_client.get(reverse("accounts:detail", args=[account.pk]))
    tab = alice_client.get(tab_url(account, deals))

    assert ("detail-deals", "Deals") in page.context["tabs"]
    assert [row.name for row in tab.context["rows"]] == ["Big", "Small"]
    assert [c.path for c in tab.context["columns"]] == ["name", "stage", "budget"]


def test_a_reader_sees_only_the_records_they_may_see(client, alice, bob, deals, only_owners_read_records):
    account = AccountFactory(owner=bob)
    OpportunityFactory(owner=bob, account=account, name="Bob's")
    OpportunityFactory(owner=alice, account=account, name="Alice's")
    client.force_login(bob)

    tab = client.get(tab_url(account, deals))

    assert [row.name for row in tab.context["rows"]] == ["Bob's"]
    assert "Alice's" not in tab.content.decode()


@pytest.mark.parametrize("rows", [2, 20])
def test_the_tab_costs_the_same_queries_whatever_its_rows(
    alice_client, alice, deals, rows, django_assert_max_num_queries
):
    account = AccountFactory(owner=alice)
    OpportunityFactory.create_batch(rows, owner=alice, account=account)
    url = tab_url(account, deals)
    alice_client.get(url)

    # session, user, the record, the access snapshot, the designer's definitions (fields, layouts, rules, details),
    # the rows with their joins, the ids the reader may edit
    with django_assert_max_num_queries(14):
        response = alice_client.get(url)
    assert len(response.context["rows"]) == rows


def test_a_custom_field_holding_the_id_points_at_the_record(alice_client, alice, ada):
    FieldDefinition.objects.create(section="contacts", code="partner", label="Partner", kind="integer")
    detail = add_detail(
        ada,
        code="partners",
        title="Partner contacts",
        source="contacts",
        relation="custom__partner",
        columns=["__str__"],
        sort="",
        editable=False,
    )
    account = AccountFactory(owner=alice)
    ContactFactory(owner=alice, surname="Partnered", custom={"partner": account.pk})
    ContactFactory(owner=alice, surname="Unrelated", custom={"partner": account.pk + 1})

    tab = alice_client.get(tab_url(account, detail))

    assert [row.surname for row in tab.context["rows"]] == ["Partnered"]


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"relation": "contact"}, "relation"),
        ({"source": "contacts", "relation": "email"}, "relation"),
        ({"columns": ["nope"]}, "columns"),
        ({"columns": []}, "columns"),
        ({"sort": "-nope"}, "sort"),
        ({"code": "Not A Code"}, "code"),
        ({"title": " "}, "title"),
    ],
)
def test_a_detail_that_does_not_fit_is_refused(ada, values, field):
    with pytest.raises(ValidationError) as refusal:
        add_detail(ada, **values)

    assert field in refusal.value.message_dict
    assert not DetailDefinition.objects.exists()


def test_a_row_edited_in_place_is_saved_through_the_services(alice_client, alice, deals):
    account = AccountFactory(owner=alice)
    deal = OpportunityFactory(owner=alice, account=account, budget=Decimal("1"))
    url = reverse("designer:detail_row", args=[deals.pk, account.pk, deal.pk])

    form = alice_client.get(url)
    saved = alice_client.post(url, {"name": "Renamed", "stage": deal.stage_id, "budget": "77", "version": deal.version})

    assert set(form.context["form"].fields) == {"name", "stage", "budget", "version"}
    deal.refresh_from_db()
    assert (deal.name, deal.budget, deal.version) == ("Renamed", Decimal("77.00"), 2)
    assert "Renamed" in saved.content.decode()


def test_editing_in_place_obeys_the_business_rules(alice_client, alice, deals, budget_at_proposal):
    account = AccountFactory(owner=alice)
    deal = OpportunityFactory(owner=alice, account=account)
    url = reverse("designer:detail_row", args=[deals.pk, account.pk, deal.pk])

    response = alice_client.post(
        url, {"name": deal.name, "stage": stage("proposal").pk, "budget": "", "version": deal.version}
    )

    assert "required by the rule “Budget at proposal”" in response.content.decode()
    deal.refresh_from_db()
    assert deal.stage == stage("qualification")


def test_a_row_the_reader_may_not_edit_cannot_be_edited_in_place(client, alice, bob, deals, only_owners_read_records):
    account = AccountFactory(owner=bob)
    deal = OpportunityFactory(owner=alice, account=account, name="Alice's")
    client.force_login(bob)

    response = client.post(
        reverse("designer:detail_row", args=[deals.pk, account.pk, deal.pk]),
        {"name": "Taken", "stage": deal.stage_id, "version": deal.version},
    )

    assert response.status_code == 404
    deal.refresh_from_db()
    assert deal.name == "Alice's"


def test_the_wizards_form_adds_a_detail(client, ada):
    client.force_login(ada)

    response = client.post(
        reverse("designer:detail_create", args=["accounts"]),
        {
            "title": "Deals",
            "code": "deals",
            "relation": "opportunities:account",
            "columns": ["name", "budget"],
            "sort": "-budget",
            "editable": "on",
        },
    )

    assert response.status_code == 302
    assert DetailDefinition.objects.get().columns == ["name", "budget"]

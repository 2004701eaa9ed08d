"""The opportunity's own pages: the stage bar's move, the action panel's outcomes, products from the catalogue
and by hand (amounts computed on the server), and who may do what."""

from decimal import Decimal

import pytest
from django.urls import reverse

from activities.models import Activity
from activities.processes import open_tasks
from opportunities.models import Opportunity, OpportunityProduct
from tests.factories import ProductFactory, ProductPriceFactory
from tests.factories.products import currency, price_list

pytestmark = pytest.mark.django_db


def move(client, opportunity, stage, version=None, json=False):
    data = {"stage": stage.pk, "version": opportunity.version if version is None else version}
    headers = {"Accept": "application/json"} if json else {}
    return client.post(reverse("opportunities:move", args=[opportunity.pk]), data, headers=headers)


def test_the_stage_bar_moves_the_opportunity(alice_client, alice, make_opportunity, stages):
    opportunity = make_opportunity(alice)

    response = move(alice_client, opportunity, stages["presentation"])

    assert response.status_code == 302
    opportunity.refresh_from_db()
    assert opportunity.stage == stages["presentation"]
    page = alice_client.get(opportunity.get_absolute_url()).content.decode()
    assert 'id="stage-bar"' in page and 'aria-current="step"' in page
    assert "Hold the presentation" in page  # the new stage's task in the action panel


def test_a_kanban_drop_gets_the_same_refusal_as_the_form(alice_client, alice, make_opportunity, stages):
    opportunity = make_opportunity(alice)
    move(alice_client, opportunity, stages["lost"])
    opportunity.refresh_from_db()

    response = move(alice_client, opportunity, stages["proposal"], json=True)

    assert response.status_code == 422
    assert "only an administrator" in response.json()["error"]
    opportunity.refresh_from_db()
    assert opportunity.stage == stages["lost"]


def test_a_stale_move_is_refused_and_changes_nothing(alice_client, alice, make_opportunity, stages):
    opportunity = make_opportunity(alice)

    response = move(alice_client, opportunity, stages["proposal"], version=opportunity.version - 1, json=True)

    assert response.status_code == 409
    opportunity.refresh_from_db()
    assert opportunity.stage == stages["qualification"]


def test_who_may_not_edit_cannot_move_or_answer_a_task(client, alice, charlie, record_rights, make_opportunity, stages):
    record_rights("opportunities")
    opportunity = make_opportunity(alice)
    task = open_tasks(opportunity)[0]
    client.force_login(charlie)

    assert move(client, opportunity, stages["proposal"], json=True).status_code == 404
    url = reverse("activities:process_outcome", args=[task.pk, "done"])
    assert client.post(url).status_code == 404
    opportunity.refresh_from_db()
    assert opportunity.stage == stages["qualification"]
    assert Activity.objects.get(pk=task.pk).status == Activity.Status.NOT_STARTED


def test_an_outcome_button_completes_the_task(alice_client, alice, make_opportunity):
    opportunity = make_opportunity(alice)
    task = open_tasks(opportunity)[0]

    response = alice_client.post(reverse("activities:process_outcome", args=[task.pk, "done"]))

    assert response.status_code == 302 and response["Location"] == opportunity.get_absolute_url()
    task.refresh_from_db()
    assert (task.status, task.result_details) == (Activity.Status.COMPLETED, "Done")
    assert task.pk not in [t.pk for t in open_tasks(opportunity)]


def test_products_from_the_catalogue_make_the_amount(alice_client, alice, make_opportunity):
    laptop = ProductFactory(owner=alice, name="Laptop", price=Decimal("120.00"))
    ProductPriceFactory(product=laptop, price_list=price_list("Base"), price=Decimal("100.00"))
    opportunity = make_opportunity(alice)
    target = {"for": "opportunities", "pk": opportunity.pk}

    assert alice_client.get(reverse("opportunities:select_products", args=[opportunity.pk])).status_code == 302
    alice_client.post(reverse("products:cart"), {**target, "product": laptop.pk, "quantity": "3"})
    alice_client.post(reverse("products:select_save"), target)

    opportunity.refresh_from_db()
    line = OpportunityProduct.objects.get(opportunity=opportunity)
    assert (line.quantity, line.price, line.total) == (Decimal("3"), Decimal("100.00"), line.subtotal + line.tax_amount)
    assert opportunity.amount == line.total
    assert opportunity.amount_base == line.total  # base currency


def test_a_line_edited_by_hand_is_priced_on_the_server(alice_client, alice, make_opportunity):
    laptop = ProductFactory(owner=alice, name="Laptop", price=Decimal("120.00"))
    opportunity = make_opportunity(alice)
    url = reverse("opportunities:detail_row_create", args=[opportunity.pk, "products"])

    response = alice_client.post(
        url,
        {
            "detail-products-product": laptop.pk,
            "detail-products-quantity": "2",
            "detail-products-unit": laptop.unit_id,
            "detail-products-price": "50.00",
            "detail-products-discount_percent": "10",
            "detail-products-tax": laptop.tax_id or "",
            "detail-products-total": "1",  # not a field: ignored
        },
    )

    assert response.status_code == 302
    line = OpportunityProduct.objects.get(opportunity=opportunity)
    rate = laptop.tax.rate if laptop.tax else Decimal(0)
    assert line.subtotal == Decimal("100.00") and line.discount_amount == Decimal("10.00")
    assert line.total == Decimal("90.00") + (Decimal("90.00") * rate / 100).quantize(Decimal("0.01"))
    opportunity.refresh_from_db()
    assert opportunity.amount == line.total


def test_a_change_of_currency_recomputes_the_base_amount(alice, make_opportunity):
    from crm.sections import registry
    from crm.sections.services import update_record
    from opportunities.services import copy_lines

    laptop = ProductFactory(owner=alice, price=Decimal("100.00"))
    opportunity = make_opportunity(alice)
    copy_lines(
        opportunity=opportunity,
        lines=[OpportunityProduct(product=laptop, quantity=1, unit=laptop.unit, price=Decimal("100.00"))],
    )
    opportunity = Opportunity.objects.get(pk=opportunity.pk)

    opportunity = update_record(
        section=registry.get("opportunities"),
        user=alice,
        obj=opportunity,
        data={"currency": currency("EUR")},
        expected_version=opportunity.version,
    )

    assert opportunity.amount == Decimal("100.00")
    assert opportunity.amount_base == Decimal("108.00")  # 1.08 USD per EUR in the seed


def test_the_decision_maker_is_named_only_to_who_may_see_them(client, alice, bob, record_rights, make_opportunity):
    from opportunities.models import ContactRole
    from tests.factories import ContactFactory, OpportunityContactFactory

    record_rights("contacts")
    opportunity = make_opportunity(alice)
    decider = ContactFactory(owner=alice, given_name="Dora", surname="Decider")
    OpportunityContactFactory(
        opportunity=opportunity, contact=decider, role=ContactRole.objects.get(name="Decision maker")
    )

    client.force_login(alice)
    assert "Dora Decider" in client.get(opportunity.get_absolute_url()).content.decode()
    client.force_login(bob)
    page = client.get(opportunity.get_absolute_url()).content.decode()
    assert "Dora Decider" not in page and "none yet" in page

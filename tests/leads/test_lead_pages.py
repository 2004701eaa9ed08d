"""The leads' own pages: quick entry, similar leads, the analytics, the products, and the list's query budget."""

import datetime
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

from leads import services
from leads.models import Lead, LeadProduct, LeadSource
from products.selection import line_targets
from tests.factories.leads import LeadFactory


def test_every_leads_url_name_reverses():
    for name, args in [("quick", ()), ("capture", ()), ("analytics", ()), ("move", (1,)), ("qualify", (1,))]:
        assert reverse(f"leads:{name}", args=args).startswith("/leads/")


def test_quick_entry_needs_only_the_customer_need(alice_client, alice):
    response = alice_client.post(reverse("leads:quick"), {"need": "Ten laptops", "contact_name": "Olga Orlova"})

    lead = Lead.objects.get()
    assert response.status_code == 302 and response["Location"] == lead.get_absolute_url()
    assert (lead.need, lead.contact_name, lead.owner, lead.stage) == (
        "Ten laptops",
        "Olga Orlova",
        alice,
        Lead.Stage.QUALIFICATION,
    )


def test_quick_entry_without_a_need_is_refused(alice_client):
    response = alice_client.post(reverse("leads:quick"), {"contact_name": "Olga Orlova"})

    assert response.status_code == 200
    assert "need" in response.context["form"].errors
    assert Lead.objects.count() == 0


def test_the_list_links_quick_entry_and_analytics(alice_client):
    content = alice_client.get(reverse("leads:list")).content.decode()

    assert reverse("leads:quick") in content and reverse("leads:analytics") in content


def test_similar_leads_share_an_email_a_phone_or_a_name(alice_client, alice):
    lead = LeadFactory(owner=alice, email="x@example.com", mobile_phone="+1 555", contact_name="Ann", account_name="A")
    by_email = LeadFactory(owner=alice, email="X@example.com", contact_name="B", account_name="B")
    by_phone = LeadFactory(owner=alice, mobile_phone="+1 555", contact_name="C", account_name="C", email="")
    by_name = LeadFactory(owner=alice, contact_name="ann", account_name="D", email="")
    LeadFactory(owner=alice, contact_name="Nobody", account_name="E", email="e@example.com")

    response = alice_client.get(reverse("leads:tab", args=[lead.pk, "similar_leads"]))

    assert {row.pk for row in response.context["rows"]} == {by_email.pk, by_phone.pk, by_name.pk}


def test_the_analytics_count_by_source_and_channel_and_the_funnel(alice_client, alice, make_lead):
    linkedin = LeadSource.objects.get(name="LinkedIn")
    first = make_lead(alice, source=linkedin, channel=linkedin.channel)
    make_lead(alice, source=linkedin, channel=linkedin.channel)
    make_lead(alice)
    services.hand_off(user=alice, lead=first, expected_version=first.version)

    response = alice_client.get(reverse("leads:analytics"))

    assert response.context["by_source"] == [("LinkedIn", 2), ("No source", 1)]
    assert response.context["by_channel"] == [("Social accounts", 2), ("No channel", 1)]
    assert response.context["funnel"] == [
        ("Qualification", 3),
        ("Nurturing", 0),
        ("Handoff to sales", 1),
        ("Awaiting sale", 0),
        ("Satisfied", 0),
    ]
    assert b'id="lead-charts"' in response.content


def test_the_analytics_period_leaves_out_older_leads(alice_client, alice):
    LeadFactory(owner=alice)
    old = LeadFactory(owner=alice)
    Lead.objects.filter(pk=old.pk).update(created_at=timezone.now() - datetime.timedelta(days=400))

    default = alice_client.get(reverse("leads:analytics"))
    everything = alice_client.get(reverse("leads:analytics"), {"start": "2000-01-01"})

    assert default.context["totals"]["total"] == 1
    assert everything.context["totals"]["total"] == 2


def test_leads_take_products_from_the_selection_page(alice_client, alice):
    lead = LeadFactory(owner=alice)

    assert "leads" in line_targets()
    response = alice_client.get(reverse("leads:select_products", args=[lead.pk]))
    assert response.status_code == 302 and "for=leads" in response["Location"]


def test_a_product_line_added_by_hand_gets_its_amounts_computed(alice_client, alice):
    from tests.factories import ProductFactory
    from tests.factories.products import unit

    lead = LeadFactory(owner=alice)
    product = ProductFactory(owner=alice)

    response = alice_client.post(
        reverse("leads:detail_row_create", args=[lead.pk, "products"]),
        {
            "detail-products-product": product.pk,
            "detail-products-quantity": "2",
            "detail-products-unit": unit("pieces").pk,
            "detail-products-price": "50.00",
            "detail-products-discount_percent": "10",
            "detail-products-total": "1",  # not a field: ignored
        },
    )

    assert response.status_code == 302
    line = LeadProduct.objects.get(lead=lead)
    assert (line.subtotal, line.discount_amount, line.total) == (Decimal("100.00"), Decimal("10.00"), Decimal("90.00"))


def test_the_list_runs_as_many_queries_for_100_rows_as_for_25(alice_client, alice, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    LeadFactory.create_batch(120, owner=alice)
    url = reverse("leads:list")
    alice_client.get(url)

    counts = []
    for per_page in (25, 100):
        with CaptureQueriesContext(connection) as context:
            response = alice_client.get(url, {"per_page": per_page})
        assert len(response.context["rows"]) == per_page
        counts.append(len(context))

    assert counts[0] == counts[1]
    # 1 session, 2 user, 3 the users of the owner filter, 4 the page of rows (sources, channels and owners
    # joined), 5 the bounded count, 6 the list preference, 7 the folders, 8 the unread notifications,
    # 9-11 the need types, sources and channels of the filter form, 12 the divisions of the filter form,
    # 13 the users of the bulk bar, 14 the custom field definitions
    with django_assert_max_num_queries(15):
        alice_client.get(url, {"per_page": 100})


def test_the_product_selection_page_opens_for_a_lead(alice_client, alice):
    lead = LeadFactory(owner=alice)

    response = alice_client.get(reverse("products:select"), {"for": "leads", "pk": lead.pk})

    assert response.status_code == 200


def test_the_lead_page_shows_the_registration_info_and_the_opportunity(alice_client, alice, make_lead):
    from tests.factories import OpportunityFactory

    lead = make_lead(alice)
    opportunity = OpportunityFactory(owner=alice, name="Northwind / 1")
    Lead.objects.filter(pk=lead.pk).update(
        registration_info={"company_size": "50-100", "email": "nina@northwind.example"}, opportunity=opportunity
    )

    content = alice_client.get(lead.get_absolute_url()).content.decode()

    assert 'data-registration="company_size"' in content and "50-100" in content
    assert "Northwind / 1" in content and opportunity.get_absolute_url() in content
    assert 'id="stage-bar"' in content

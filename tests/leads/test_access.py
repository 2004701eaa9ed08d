"""Who may see what: a lead charlie may not see answers 404 on every leads URL, and the analytics and similar
leads count only the leads the user may see."""

import pytest
from django.urls import reverse

from leads.models import Lead
from tests.factories.leads import LeadFactory

LEAD_URLS = [
    ("get", "detail", ()),
    ("get", "update", ()),
    ("get", "delete", ()),
    ("get", "tab", ("similar_leads",)),
    ("get", "tab", ("products",)),
    ("get", "tab", ("stages",)),
    ("get", "detail_rows", ("products",)),
    ("get", "qualify", ()),
    ("post", "qualify", ()),
    ("get", "distribute", ()),
    ("post", "distribute", ()),
    ("post", "move", ()),
    ("get", "select_products", ()),
]


@pytest.fixture
def alices_lead(alice, make_lead, only_owners_read_records):
    return make_lead(alice)


@pytest.mark.parametrize(("method", "name", "extra"), LEAD_URLS, ids=[f"{m}-{n}-{e}" for m, n, e in LEAD_URLS])
def test_a_lead_the_user_may_not_see_answers_404(client, charlie, alices_lead, method, name, extra):
    client.force_login(charlie)
    url = reverse(f"leads:{name}", args=[alices_lead.pk, *extra])

    response = getattr(client, method)(url, {"stage": Lead.Stage.NURTURING, "version": alices_lead.version})

    assert response.status_code == 404
    assert Lead.objects.get(pk=alices_lead.pk).stage == Lead.Stage.QUALIFICATION


@pytest.mark.parametrize(("method", "name", "extra"), LEAD_URLS, ids=[f"{m}-{n}-{e}" for m, n, e in LEAD_URLS])
def test_the_owner_reaches_every_lead_url(alice_client, alices_lead, method, name, extra):
    url = reverse(f"leads:{name}", args=[alices_lead.pk, *extra])

    response = getattr(alice_client, method)(url, {"stage": Lead.Stage.NURTURING, "version": alices_lead.version})

    assert response.status_code in (200, 302)


def test_the_handoff_outcome_of_a_hidden_lead_is_404(client, charlie, alices_lead):
    from activities.processes import open_tasks

    client.force_login(charlie)
    task = open_tasks(alices_lead)[0]

    response = client.post(reverse("activities:process_outcome", args=[task.pk, "incorrect_data"]))

    assert response.status_code == 404
    assert Lead.objects.get(pk=alices_lead.pk).stage == Lead.Stage.QUALIFICATION


def test_the_analytics_count_only_the_leads_the_user_may_see(client, alice, charlie, only_owners_read_records):
    LeadFactory.create_batch(3, owner=alice)
    LeadFactory.create_batch(2, owner=charlie)
    client.force_login(charlie)

    response = client.get(reverse("leads:analytics"))

    assert response.status_code == 200
    assert response.context["totals"]["total"] == 2
    assert response.context["by_source"] == [("No source", 2)]


def test_similar_leads_lists_only_visible_leads(client, alice, charlie, only_owners_read_records):
    own = LeadFactory(owner=charlie, email="same@example.com")
    visible = LeadFactory(owner=charlie, email="same@example.com")
    LeadFactory(owner=alice, email="same@example.com")
    client.force_login(charlie)

    response = client.get(reverse("leads:tab", args=[own.pk, "similar_leads"]))

    assert [lead.pk for lead in response.context["rows"]] == [visible.pk]

"""The lead page's toolbar offers the process's actions of the lead's stage only: Qualify at Qualification,
Distribute before the handoff to sales, neither afterwards nor to someone who may not edit the lead."""

from django.urls import reverse

from crm.access import grants
from crm.access.models import Level
from leads import services
from leads.models import Lead

Stage = Lead.Stage


def toolbar_links(client, lead: Lead) -> set[str]:
    """The URLs of the qualify and distribute actions the record page links to."""
    content = client.get(lead.get_absolute_url()).content.decode()
    urls = {reverse("leads:qualify", args=[lead.pk]), reverse("leads:distribute", args=[lead.pk])}
    return {url for url in urls if f'href="{url}"' in content}


def test_a_new_lead_offers_qualify_and_distribute(alice_client, alice, make_lead):
    lead = make_lead(alice)

    assert toolbar_links(alice_client, lead) == {
        reverse("leads:qualify", args=[lead.pk]),
        reverse("leads:distribute", args=[lead.pk]),
    }


def test_a_qualified_lead_offers_distribute_only(alice_client, alice, make_lead):
    lead = make_lead(alice)
    lead = services.qualify(user=alice, lead=lead, expected_version=lead.version)
    assert lead.stage == Stage.NURTURING

    assert toolbar_links(alice_client, lead) == {reverse("leads:distribute", args=[lead.pk])}


def test_a_lead_at_handoff_offers_neither(alice_client, alice, make_lead):
    lead = make_lead(alice)
    lead = services.distribute(user=alice, lead=lead, owner=alice, expected_version=lead.version)
    lead = services.qualify(user=alice, lead=lead, expected_version=lead.version)
    assert lead.stage == Stage.HANDOFF

    assert toolbar_links(alice_client, lead) == set()


def test_a_disqualified_lead_offers_neither(alice_client, alice, make_lead, reason):
    lead = make_lead(alice)
    services.disqualify(user=alice, lead=lead, reason=reason("No need"), expected_version=lead.version)

    assert toolbar_links(alice_client, lead) == set()


def test_someone_who_may_only_read_the_lead_is_offered_neither(client, alice, bob, make_lead, record_rights):
    record_rights("leads")
    lead = make_lead(alice)
    grants.share_record(user=alice, obj=lead, level=Level.READ, grantee_user=bob)
    client.force_login(bob)

    assert client.get(lead.get_absolute_url()).status_code == 200
    assert toolbar_links(client, lead) == set()

"""Distribution: an owner chosen by hand, or the next member of the sales division in turn."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from activities.processes import complete, open_tasks
from crm.access.models import Membership
from leads import services
from leads.models import DistributionRule, Lead
from tests.factories import UserFactory

Stage = Lead.Stage


@pytest.fixture
def team_a(role_tree, alice, bob, charlie):
    for user in (alice, bob, charlie):
        Membership.objects.create(user=user, role=role_tree.team_a)
    return role_tree.team_a


def test_distributing_by_hand_sets_the_owner(alice, bob, make_lead):
    lead = make_lead(alice)

    lead = services.distribute(user=alice, lead=lead, owner=bob, expected_version=lead.version)

    assert lead.owner == bob
    assert lead.distributed_at is not None


def test_round_robin_gives_each_member_of_the_division_a_lead_in_turn(alice, bob, charlie, team_a, make_lead):
    owners = []
    for _ in range(4):
        lead = make_lead(alice, division=team_a)
        owners.append(services.distribute(user=alice, lead=lead, expected_version=lead.version).owner)

    assert owners == [alice, bob, charlie, alice]
    assert DistributionRule.objects.get(division=team_a).last_assigned == alice


def test_round_robin_skips_members_who_left(alice, bob, charlie, team_a, make_lead):
    bob.is_active = False
    bob.save()
    owners = []
    for _ in range(3):
        lead = make_lead(alice, division=team_a)
        owners.append(services.distribute(user=alice, lead=lead, expected_version=lead.version).owner)

    assert owners == [alice, charlie, alice]


def test_a_division_without_members_cannot_take_leads(alice, role_tree, make_lead):
    lead = make_lead(alice, division=role_tree.team_b)

    with pytest.raises(ValidationError, match="Nobody is in"):
        services.distribute(user=alice, lead=lead, expected_version=lead.version)


def test_a_lead_awaiting_sale_is_not_distributed(alice, make_lead):
    lead = make_lead(alice)
    Lead.objects.filter(pk=lead.pk).update(stage=Stage.AWAITING_SALE)
    lead.refresh_from_db()

    with pytest.raises(ValidationError, match="not distributed"):
        services.distribute(user=alice, lead=lead, owner=UserFactory(), expected_version=lead.version)


def test_the_distribute_task_starts_the_handoff_with_the_next_member(alice, bob, team_a, make_lead):
    lead = make_lead(alice, division=team_a)
    DistributionRule.objects.create(division=team_a, last_assigned=alice)
    lead = services.move_to(user=alice, lead=lead, stage=Stage.NURTURING, expected_version=lead.version)
    task = open_tasks(lead)[0]

    complete(user=alice, activity=task, outcome="handoff", data={"owner": None, "division": None})

    lead.refresh_from_db()
    assert (lead.owner, lead.stage) == (bob, Stage.HANDOFF)
    assert [t.process_task for t in open_tasks(lead)] == [services.HANDOFF_TASK]
    assert open_tasks(lead)[0].owner == bob


def test_the_distribute_task_can_end_as_not_interested(alice, make_lead):
    lead = make_lead(alice)
    lead = services.move_to(user=alice, lead=lead, stage=Stage.NURTURING, expected_version=lead.version)

    complete(user=alice, activity=open_tasks(lead)[0], outcome="not_interested")

    lead.refresh_from_db()
    assert lead.stage == Stage.NOT_INTERESTED


def test_the_distribute_page_gives_the_lead_to_the_next_member(alice_client, alice, bob, team_a, make_lead):

    lead = make_lead(alice, division=team_a)
    DistributionRule.objects.create(division=team_a, last_assigned=alice)

    response = alice_client.post(
        reverse("leads:distribute", args=[lead.pk]), {"version": lead.version, "owner": "", "division": team_a.pk}
    )

    assert response.status_code == 302
    lead.refresh_from_db()
    assert lead.owner == bob


@pytest.mark.django_db(transaction=True)
def test_two_leads_distributed_at_once_go_to_two_members(alice, bob, charlie, team_a):
    """Race safety: the rule's row is locked while the next member is chosen (PostgreSQL; SQLite serialises
    writers anyway)."""
    import threading

    from django.db import connection, connections

    if connection.vendor != "postgresql":
        pytest.skip("row locks are a PostgreSQL matter")
    leads = [
        services.create_lead(user=alice, data={"need": f"Need {i}", "account_name": "Acme", "division": team_a})
        for i in range(2)
    ]
    DistributionRule.objects.create(division=team_a)
    barrier = threading.Barrier(2)
    owners, errors = [], []

    def work(lead):
        try:
            barrier.wait(timeout=10)
            owners.append(services.distribute(user=alice, lead=lead, expected_version=lead.version).owner)
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work, args=(lead,)) for lead in leads]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert errors == []
    assert sorted(owner.pk for owner in owners) == sorted([alice.pk, bob.pk])


@pytest.mark.parametrize("stage", [Stage.HANDOFF, Stage.NOT_INTERESTED, Stage.DISQUALIFIED])
def test_a_lead_past_distribution_is_not_distributed(alice, make_lead, stage):
    lead = make_lead(alice)
    Lead.objects.filter(pk=lead.pk).update(stage=stage)
    lead.refresh_from_db()

    with pytest.raises(ValidationError, match="is not distributed"):
        services.distribute(user=alice, lead=lead, owner=UserFactory(), expected_version=lead.version)
    lead.refresh_from_db()
    assert lead.owner == alice


def test_the_distribute_page_of_a_lead_at_handoff_says_why(alice_client, alice, bob, make_lead):
    lead = make_lead(alice)
    lead = services.distribute(user=alice, lead=lead, owner=alice, expected_version=lead.version)
    lead = services.qualify(user=alice, lead=lead, expected_version=lead.version)

    response = alice_client.post(
        reverse("leads:distribute", args=[lead.pk]), {"version": lead.version, "owner": bob.pk}, follow=True
    )

    assert "send it back to distribution" in response.content.decode()
    lead.refresh_from_db()
    assert lead.owner == alice

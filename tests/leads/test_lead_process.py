"""The lead management process as a state machine: each stage's tasks, allowed and refused transitions."""

import pytest
from django.core.exceptions import ValidationError

from activities.models import Activity
from activities.processes import open_tasks
from leads import services
from leads.models import Lead, LeadStageHistory

from .conftest import reload

Stage = Lead.Stage


def open_task_keys(lead):
    return sorted(task.process_task for task in open_tasks(lead))


def test_a_new_lead_is_at_qualification_with_the_qualify_task(alice, make_lead):
    lead = make_lead(alice)

    assert lead.stage == Stage.QUALIFICATION
    assert lead.maturity == Lead.Maturity.DISCOVERED
    assert open_task_keys(lead) == [services.QUALIFY_TASK]
    assert open_tasks(lead)[0].owner == alice
    assert list(lead.stage_history.values_list("stage", flat=True)) == [Stage.QUALIFICATION]


def test_nurturing_asks_to_distribute_a_lead_nobody_distributed(alice, make_lead):
    lead = make_lead(alice)

    lead = services.move_to(user=alice, lead=lead, stage=Stage.NURTURING, expected_version=lead.version)

    assert open_task_keys(lead) == [services.DISTRIBUTE_TASK]
    cancelled = Activity.objects.get(process_task=services.QUALIFY_TASK)
    assert cancelled.status == Activity.Status.CANCELED


def test_moving_on_cancels_the_previous_stage_tasks_but_not_tasks_made_by_hand(alice, make_lead):
    from activities.services import create_activity

    lead = make_lead(alice)
    by_hand = create_activity(user=alice, data={"title": "Send the brochure"}, connected_to=lead)

    lead = services.move_to(user=alice, lead=lead, stage=Stage.HANDOFF, expected_version=lead.version)

    assert open_task_keys(lead) == [services.HANDOFF_TASK]
    assert Activity.objects.get(pk=by_hand.pk).status == Activity.Status.NOT_STARTED


def test_the_stage_history_records_each_stage_entered(alice, make_lead):
    lead = make_lead(alice)
    lead = services.move_to(user=alice, lead=lead, stage=Stage.NURTURING, expected_version=lead.version)
    lead = services.move_to(user=alice, lead=lead, stage=Stage.HANDOFF, expected_version=lead.version)

    history = list(LeadStageHistory.objects.filter(lead=lead).order_by("started_at", "pk"))
    assert [h.stage for h in history] == [Stage.QUALIFICATION, Stage.NURTURING, Stage.HANDOFF]
    assert all(h.ended_at for h in history[:-1]) and history[-1].ended_at is None


@pytest.mark.parametrize(
    ("start", "target"),
    [
        (Stage.QUALIFICATION, Stage.AWAITING_SALE),
        (Stage.QUALIFICATION, Stage.SATISFIED),
        (Stage.NURTURING, Stage.SATISFIED),
        (Stage.SATISFIED, Stage.QUALIFICATION),
        (Stage.DISQUALIFIED, Stage.HANDOFF),
    ],
)
def test_a_transition_the_table_does_not_list_is_refused(alice, make_lead, start, target):
    lead = make_lead(alice)
    Lead.objects.filter(pk=lead.pk).update(stage=start)
    lead = reload(lead)

    with pytest.raises(ValidationError, match="cannot go from"):
        services.move_to(user=alice, lead=lead, stage=target, expected_version=lead.version)

    assert reload(lead).stage == start
    assert reload(lead).version == lead.version


def test_disqualifying_needs_a_reason(alice, make_lead, reason):
    lead = make_lead(alice)

    with pytest.raises(ValidationError, match="why the lead is disqualified"):
        services.move_to(user=alice, lead=lead, stage=Stage.DISQUALIFIED, expected_version=lead.version)

    lead = services.disqualify(user=alice, lead=lead, reason=reason("No need"), expected_version=lead.version)
    assert lead.stage == Stage.DISQUALIFIED
    assert reload(lead).disqualification_reason.name == "No need"
    assert open_task_keys(lead) == []


def test_a_disqualified_lead_can_be_reopened_and_forgets_its_reason(alice, make_lead, reason):
    lead = make_lead(alice)
    lead = services.disqualify(user=alice, lead=lead, reason=reason("Duplicate"), expected_version=lead.version)

    lead = services.move_to(user=alice, lead=lead, stage=Stage.QUALIFICATION, expected_version=lead.version)

    assert reload(lead).disqualification_reason is None
    assert open_task_keys(lead) == [services.QUALIFY_TASK]


def test_awaiting_sale_needs_a_qualified_customer(alice, make_lead):
    lead = make_lead(alice)
    lead = services.hand_off(user=alice, lead=lead, expected_version=lead.version)

    with pytest.raises(ValidationError, match="Qualify the lead first"):
        services.move_to(user=alice, lead=lead, stage=Stage.AWAITING_SALE, expected_version=lead.version)


def test_the_stage_bar_moves_the_lead_and_asks_the_reason_to_disqualify(alice_client, alice, make_lead, reason):
    from django.urls import reverse

    lead = make_lead(alice)
    url = reverse("leads:move", args=[lead.pk])

    response = alice_client.post(url, {"stage": Stage.NURTURING, "version": lead.version})
    assert response.status_code == 302
    assert reload(lead).stage == Stage.NURTURING

    lead = reload(lead)
    response = alice_client.post(url, {"stage": Stage.DISQUALIFIED, "version": lead.version})
    assert response.status_code == 200 and b"disqualify-form" in response.content
    assert reload(lead).stage == Stage.NURTURING

    response = alice_client.post(
        url, {"stage": Stage.DISQUALIFIED, "version": lead.version, "reason": reason("Spam").pk}
    )
    assert response.status_code == 302
    assert reload(lead).stage == Stage.DISQUALIFIED


def test_a_stale_stage_bar_changes_nothing(alice_client, alice, make_lead):
    from django.urls import reverse

    lead = make_lead(alice)

    alice_client.post(reverse("leads:move", args=[lead.pk]), {"stage": Stage.NURTURING, "version": lead.version - 1})

    assert reload(lead).stage == Stage.QUALIFICATION


def test_the_lead_page_shows_the_stage_bar_and_the_next_step(alice_client, alice, make_lead):
    lead = make_lead(alice)

    response = alice_client.get(lead.get_absolute_url())

    assert response.status_code == 200
    assert b'id="stage-bar"' in response.content
    assert b'data-process-task="leads.qualify"' in response.content

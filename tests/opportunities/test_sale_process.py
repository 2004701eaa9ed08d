"""The corporate sale process: stage history, each stage's tasks, the final-stage lock, the manager told of a win."""

import pytest
from django.core.exceptions import ValidationError

from activities.models import Activity
from activities.processes import complete, open_tasks
from activities.services import create_activity
from crm.access.models import Membership
from crm.core.models import Notification
from opportunities import services
from opportunities.models import StageHistory
from opportunities.process import STAGE_TASKS


def open_task_keys(opportunity):
    return sorted(task.process_task for task in open_tasks(opportunity))


def test_a_new_opportunity_enters_qualification_with_its_tasks(alice, make_opportunity, stages):
    opportunity = make_opportunity(alice)

    assert opportunity.stage == stages["qualification"]
    assert opportunity.probability == stages["qualification"].max_probability
    assert list(opportunity.stage_history.values_list("stage__code", flat=True)) == ["qualification"]
    expected = sorted(f"opportunities.qualification.{suffix}" for suffix, _, _ in STAGE_TASKS["qualification"])
    assert open_task_keys(opportunity) == expected
    assert all(task.owner == alice for task in open_tasks(opportunity))


def test_moving_on_cancels_the_previous_stage_tasks_and_creates_the_new_ones(alice, make_opportunity, stages):
    opportunity = make_opportunity(alice)
    by_hand = create_activity(user=alice, data={"title": "Send the brochure"}, connected_to=opportunity)

    opportunity = services.move_to(
        user=alice, opportunity=opportunity, stage=stages["proposal"], expected_version=opportunity.version
    )

    assert open_task_keys(opportunity) == sorted(
        f"opportunities.proposal.{suffix}" for suffix, _, _ in STAGE_TASKS["proposal"]
    )
    cancelled = Activity.objects.filter(process_task__startswith="opportunities.qualification.")
    assert set(cancelled.values_list("status", flat=True)) == {Activity.Status.CANCELED}
    assert Activity.objects.get(pk=by_hand.pk).status == Activity.Status.NOT_STARTED
    history = list(StageHistory.objects.filter(opportunity=opportunity).order_by("started_at", "pk"))
    assert [h.stage.code for h in history] == ["qualification", "proposal"]
    assert history[0].ended_at is not None and history[1].ended_at is None
    assert opportunity.probability == stages["proposal"].max_probability


def test_the_probability_cannot_pass_the_stage_maximum(alice, make_opportunity, stages):
    opportunity = make_opportunity(alice)
    opportunity.probability = stages["qualification"].max_probability + 1

    with pytest.raises(ValidationError) as error:
        opportunity.full_clean()

    assert "probability" in error.value.message_dict


def test_a_closed_opportunity_cannot_be_reopened_by_its_owner(alice, make_opportunity, stages):
    opportunity = make_opportunity(alice)
    opportunity = services.move_to(
        user=alice, opportunity=opportunity, stage=stages["lost"], expected_version=opportunity.version
    )
    assert opportunity.probability == 0 and opportunity.closed_on is not None

    with pytest.raises(ValidationError, match="only an administrator"):
        services.move_to(
            user=alice, opportunity=opportunity, stage=stages["proposal"], expected_version=opportunity.version
        )

    opportunity.refresh_from_db()
    assert opportunity.stage == stages["lost"]
    assert opportunity.stage_history.count() == 2


def test_an_administrator_can_reopen_a_closed_opportunity(alice, ada, make_opportunity, stages):
    opportunity = make_opportunity(alice)
    opportunity = services.move_to(
        user=alice, opportunity=opportunity, stage=stages["lost"], expected_version=opportunity.version
    )

    opportunity = services.move_to(
        user=ada, opportunity=opportunity, stage=stages["proposal"], expected_version=opportunity.version
    )

    assert opportunity.stage == stages["proposal"]
    assert opportunity.closed_on is None


def test_moving_to_closed_won_notifies_the_manager(alice, bob, role_tree, make_opportunity, stages):
    Membership.objects.create(user=alice, role=role_tree.team_a)
    Membership.objects.create(user=bob, role=role_tree.sales_managers)
    opportunity = make_opportunity(alice)

    services.move_to(user=alice, opportunity=opportunity, stage=stages["won"], expected_version=opportunity.version)

    note = Notification.objects.get(recipient=bob)
    assert note.title == f"Opportunity won: {opportunity}"
    assert note.url == opportunity.get_absolute_url()
    assert not Notification.objects.filter(recipient=alice).exists()


def test_signing_the_contract_closes_the_opportunity_as_won(alice, make_opportunity, stages):
    opportunity = make_opportunity(alice)
    opportunity = services.move_to(
        user=alice, opportunity=opportunity, stage=stages["contracting"], expected_version=opportunity.version
    )
    sign = next(t for t in open_tasks(opportunity) if t.process_task.endswith("sign_contract"))

    complete(user=alice, activity=sign, outcome="signed")

    opportunity.refresh_from_db()
    assert opportunity.stage == stages["won"]
    assert Activity.objects.get(pk=sign.pk).status == Activity.Status.COMPLETED
    assert open_task_keys(opportunity) == ["opportunities.won.next_steps"]


def test_an_outcome_runs_once(alice, make_opportunity):
    opportunity = make_opportunity(alice)
    task = open_tasks(opportunity)[0]
    complete(user=alice, activity=task, outcome="done")

    with pytest.raises(ValidationError, match="already completed"):
        complete(user=alice, activity=task, outcome="done")

"""The handoff task's five results (reference §11.2)."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from activities.models import Activity
from activities.processes import complete, open_tasks
from feed.models import Post
from leads import services
from leads.models import Lead

Stage = Lead.Stage
Maturity = Lead.Maturity


@pytest.fixture
def at_handoff(alice, make_lead):
    lead = make_lead(alice)
    lead = services.qualify(user=alice, lead=lead, expected_version=lead.version)
    return services.hand_off(user=alice, lead=lead, expected_version=lead.version)


def handoff_task(lead):
    tasks = [t for t in open_tasks(lead) if t.process_task == services.HANDOFF_TASK]
    assert len(tasks) == 1
    return tasks[0]


def test_hand_off_creates_the_handoff_task_with_its_five_results(at_handoff):
    task = handoff_task(at_handoff)

    assert task.type == Activity.Type.CALL
    assert [o.code for o in task.declaration.outcomes] == ["order", "handoff", "back", "rescheduled", "not_interested"]


def test_proceed_to_order_makes_the_need_sales_ready(alice, at_handoff):
    complete(user=alice, activity=handoff_task(at_handoff), outcome="order")

    lead = Lead.objects.get(pk=at_handoff.pk)
    assert (lead.stage, lead.maturity) == (Stage.HANDOFF, Maturity.SALES_READY)


def test_proceed_to_handoff_posts_the_notes_and_awaits_the_sale(alice, role_tree, at_handoff):
    meeting = timezone.now().replace(microsecond=0) + datetime.timedelta(days=2)
    data = {
        "budget": Decimal("25000.00"),
        "division": role_tree.team_a,
        "meeting_at": meeting,
        "decision_date": datetime.date(2027, 3, 31),
        "notes": "They decide in March; the CFO signs.",
    }

    complete(user=alice, activity=handoff_task(at_handoff), outcome="handoff", data=data)

    lead = Lead.objects.get(pk=at_handoff.pk)
    assert (lead.stage, lead.maturity) == (Stage.AWAITING_SALE, Maturity.SALES_READY)
    assert (lead.budget, lead.division, lead.meeting_at, lead.decision_date) == (
        Decimal("25000.00"),
        role_tree.team_a,
        meeting,
        datetime.date(2027, 3, 31),
    )
    post = Post.objects.get(content_type=ContentType.objects.get_for_model(Lead), object_id=lead.pk)
    assert "the CFO signs" in post.text
    assert lead.opportunity is not None
    meeting_activity = Activity.objects.get(type=Activity.Type.MEETING, connected_id=lead.pk)
    assert (meeting_activity.start, meeting_activity.due, meeting_activity.owner) == (
        meeting,
        meeting + datetime.timedelta(hours=1),
        lead.owner,
    )
    assert meeting_activity.connected_type == ContentType.objects.get_for_model(Lead)


def test_a_handoff_without_a_meeting_date_schedules_no_meeting(alice, at_handoff):
    complete(user=alice, activity=handoff_task(at_handoff), outcome="handoff", data={"notes": ""})

    assert Lead.objects.get(pk=at_handoff.pk).stage == Stage.AWAITING_SALE
    assert not Activity.objects.filter(type=Activity.Type.MEETING).exists()


def test_back_to_distribution_returns_to_nurturing_as_discovered(alice, at_handoff):
    Lead.objects.filter(pk=at_handoff.pk).update(maturity=Maturity.SALES_READY)

    complete(user=alice, activity=handoff_task(at_handoff), outcome="back")

    lead = Lead.objects.get(pk=at_handoff.pk)
    assert (lead.stage, lead.maturity) == (Stage.NURTURING, Maturity.DISCOVERED)


def test_rescheduled_stays_at_handoff_with_a_new_task(alice, at_handoff):
    first = handoff_task(at_handoff)
    due = timezone.now().replace(second=0, microsecond=0) + datetime.timedelta(days=5)

    complete(user=alice, activity=first, outcome="rescheduled", data={"due": due})

    lead = Lead.objects.get(pk=at_handoff.pk)
    assert lead.stage == Stage.HANDOFF
    again = handoff_task(lead)
    assert again.pk != first.pk and again.due == due
    assert Activity.objects.get(pk=first.pk).status == Activity.Status.COMPLETED


def test_not_interested_stays_at_handoff_with_its_maturity(alice, at_handoff):
    complete(user=alice, activity=handoff_task(at_handoff), outcome="not_interested")

    lead = Lead.objects.get(pk=at_handoff.pk)
    assert (lead.stage, lead.maturity) == (Stage.HANDOFF, Maturity.NOT_INTERESTED)


def test_the_handoff_form_is_asked_on_the_outcome_page(alice_client, alice, at_handoff):
    url = reverse("activities:process_outcome", args=[handoff_task(at_handoff).pk, "handoff"])

    page = alice_client.get(url)
    assert page.status_code == 200
    assert b'name="meeting_at"' in page.content and b'name="budget"' in page.content

    response = alice_client.post(url, {"budget": "1000", "notes": "Call back after the fair."})

    assert response.status_code == 302
    assert Lead.objects.get(pk=at_handoff.pk).stage == Stage.AWAITING_SALE


def test_the_handoff_form_neither_shows_nor_asks_a_budget_hidden_from_its_user(alice, role_tree, at_handoff):
    from crm.access.models import ColumnRight, Membership
    from leads.forms import HandoffForm

    Lead.objects.filter(pk=at_handoff.pk).update(budget=Decimal("987654.32"))
    lead = Lead.objects.get(pk=at_handoff.pk)
    assert "budget" in HandoffForm(user=alice, record=lead).fields  # the control: before the column is hidden
    Membership.objects.create(user=alice, role=role_tree.team_a)
    ColumnRight.objects.create(
        section="leads", field_name="budget", role=role_tree.team_a, access=ColumnRight.Access.HIDDEN
    )

    form = HandoffForm(user=alice, record=lead)

    assert "budget" not in form.fields
    assert "987654" not in str(form)
    complete(user=alice, activity=handoff_task(lead), outcome="handoff", data={"notes": ""})
    lead = Lead.objects.get(pk=lead.pk)
    assert (lead.stage, lead.budget) == (Stage.AWAITING_SALE, Decimal("987654.32"))

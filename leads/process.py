"""The lead management process's tasks (reference §11.2) and what each of their results does: "Qualify the lead"
at Qualification, "Distribute the lead" at Nurturing, and the handoff task with its five results at Handoff.
The stages start and cancel these tasks (see services._enter_stage); the action panel shows their buttons."""

from __future__ import annotations

from activities.processes import Outcome, ProcessTask, register_task, start

from .models import DisqualificationReason, Lead
from .services import (
    DISTRIBUTE_TASK,
    HANDOFF_TASK,
    INCORRECT_DATA,
    QUALIFY_TASK,
    Maturity,
    Stage,
    disqualify,
    distribute,
    hand_off,
    move_to,
    qualify,
)


def _current(record: Lead) -> Lead:
    return Lead.objects.get(pk=record.pk)


def qualify_outcome(*, user, record: Lead, activity, outcome: str, data: dict) -> None:
    lead = _current(record)
    if outcome == "qualify":
        qualify(
            user=user,
            lead=lead,
            expected_version=lead.version,
            contact=data.get("contact"),
            account=data.get("account"),
        )
    elif outcome == "incorrect_data":
        reason = DisqualificationReason.objects.filter(name=INCORRECT_DATA).first()
        disqualify(user=user, lead=lead, reason=reason, expected_version=lead.version)


def distribute_outcome(*, user, record: Lead, activity, outcome: str, data: dict) -> None:
    lead = _current(record)
    if outcome == "not_interested":
        move_to(user=user, lead=lead, stage=Stage.NOT_INTERESTED, expected_version=lead.version)
        return
    if data.get("owner") or data.get("division") or lead.division_id:
        lead = distribute(
            user=user, lead=lead, expected_version=lead.version, owner=data.get("owner"), division=data.get("division")
        )
    if outcome == "handoff":
        hand_off(user=user, lead=lead, expected_version=lead.version)


def handoff_outcome(*, user, record: Lead, activity, outcome: str, data: dict) -> None:
    """The five results of the handoff task (§11.2)."""
    lead = _current(record)
    if outcome == "order":
        move_to(
            user=user,
            lead=lead,
            stage=lead.stage,
            expected_version=lead.version,
            data={"maturity": Maturity.SALES_READY},
        )
    elif outcome == "handoff":
        fields = {
            name: data[name]
            for name in ("budget", "division", "meeting_at", "decision_date")
            if data.get(name) is not None
        }
        fields["maturity"] = Maturity.SALES_READY
        notes = (data.get("notes") or "").strip()
        if notes:
            from feed.services import post_on_record

            post_on_record(user=user, record=lead, text=f"Handoff to sales: {notes}")
        move_to(user=user, lead=lead, stage=Stage.AWAITING_SALE, expected_version=lead.version, data=fields)
        if data.get("meeting_at"):
            _schedule_meeting(user=user, lead=_current(lead), start=data["meeting_at"])
    elif outcome == "back":
        move_to(
            user=user,
            lead=lead,
            stage=Stage.NURTURING,
            expected_version=lead.version,
            data={"maturity": Maturity.DISCOVERED},
        )
    elif outcome == "rescheduled":
        start(user=user, record=lead, key=HANDOFF_TASK, due=data.get("due"))
    elif outcome == "not_interested":
        move_to(
            user=user,
            lead=lead,
            stage=lead.stage,
            expected_version=lead.version,
            data={"maturity": Maturity.NOT_INTERESTED},
        )


def _schedule_meeting(*, user, lead: Lead, start) -> None:
    """The meeting agreed at handoff goes into the lead owner's calendar as an hour-long meeting, connected to the
    lead (and so to its customer)."""
    import datetime

    from activities.models import Activity
    from activities.services import create_activity

    create_activity(
        user=user,
        data={
            "title": f"Meeting: {lead}",
            "type": Activity.Type.MEETING,
            "start": start,
            "due": start + datetime.timedelta(hours=1),
            "owner": lead.owner,
            "notes": f"Agreed at the handoff to sales of the lead “{lead}”.",
        },
        connected_to=lead,
    )


def register_tasks() -> None:
    from .forms import DistributeForm, HandoffForm, QualifyForm, RescheduleForm

    register_task(
        ProcessTask(
            key=QUALIFY_TASK,
            title="Qualify the lead",
            outcomes=(
                Outcome("qualify", "Qualify", form_class=QualifyForm, style="success"),
                Outcome("incorrect_data", "Disqualify: incorrect data", style="outline-danger"),
            ),
            on_outcome=qualify_outcome,
        )
    )
    register_task(
        ProcessTask(
            key=DISTRIBUTE_TASK,
            title="Distribute the lead",
            outcomes=(
                Outcome("handoff", "Start proceeding to handoff", form_class=DistributeForm, style="success"),
                Outcome("nurture", "Continue nurturing", form_class=DistributeForm),
                Outcome("not_interested", "Not interested", style="outline-danger"),
            ),
            on_outcome=distribute_outcome,
        )
    )
    register_task(
        ProcessTask(
            key=HANDOFF_TASK,
            title=(
                "Contact the customer and specify the availability and actuality of the need, budget, parameters "
                "as well as their role in decision-making"
            ),
            type="call",
            outcomes=(
                Outcome("order", "Proceed to order"),
                Outcome("handoff", "Proceed to handoff", form_class=HandoffForm, style="success"),
                Outcome("back", "Back to distribution"),
                Outcome("rescheduled", "Rescheduled", form_class=RescheduleForm),
                Outcome("not_interested", "Not interested", style="outline-danger"),
            ),
            on_outcome=handoff_outcome,
        )
    )

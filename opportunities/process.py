"""The corporate sale process (reference §12.2): the tasks each stage creates.

Moving to a stage cancels the open process tasks of the opportunity (tasks made by hand stay) and creates the new
stage's tasks, due after the stage's planning period. Completing "Approve and sign the contract" as signed moves
the opportunity to Closed won, through the same save as the form.
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from activities.models import Activity
from activities.processes import Outcome, ProcessTask, cancel_open, close_open, register_task, start

from .models import Opportunity, OpportunityStage

PREFIX = "opportunities."

#: stage code -> [(task key suffix, title, activity type)]
STAGE_TASKS: dict[str, list[tuple[str, str, str]]] = {
    "qualification": [
        ("set_owner", "Set the opportunity owner", Activity.Type.TASK),
        (
            "assess_needs",
            "Contact the client, assess the needs, coordinate the date and time of the presentation",
            Activity.Type.CALL,
        ),
        ("prepare_presentation", "Prepare the presentation", Activity.Type.TASK),
    ],
    "presentation": [
        ("presentation", "Hold the presentation: learn the attendees and the competitors", Activity.Type.MEETING),
    ],
    "proposal": [
        ("present_proposal", "Present the proposal", Activity.Type.MEETING),
        ("proposal_feedback", "Contact the client to obtain comments and approval of the proposal", Activity.Type.CALL),
        ("prepare_contract", "Prepare and approve the contract within the company", Activity.Type.TASK),
    ],
    "contracting": [
        ("send_contract", "Send the contract to the client", Activity.Type.EMAIL),
        (
            "contract_status",
            "Contact the client to clarify the contract status and the date to receive comments",
            Activity.Type.CALL,
        ),
        ("sign_contract", "Approve and sign the contract with the client", Activity.Type.TASK),
    ],
    "won": [
        ("next_steps", "Create the order and schedule the next activities with the customer", Activity.Type.TASK),
    ],
}

SIGNED = "signed"
#: the won deal's task that asks for the order: not started, and closed, once the opportunity has an order
ORDER_TASK = f"{PREFIX}won.next_steps"

#: stage code -> how other CRMs' default pipelines (Salesforce, HubSpot, Pipedrive, Zoho, Dynamics) name the stage
#: nearest to it; an import finds our stage by these when no stage's name or code matches (see the section's
#: `import_value_aliases`)
STAGE_NAMES_ELSEWHERE: dict[str, tuple[str, ...]] = {
    "qualification": (
        "Prospecting",
        "Prospect",
        "Lead in",
        "New",
        "Qualify",
        "Qualified",
        "Qualified to buy",
        "Needs analysis",
        "Discovery",
        "Appointment scheduled",
        "Contact made",
        "Engaging",
    ),
    "presentation": (
        "Develop",
        "Value proposition",
        "Id. decision makers",
        "Identify decision makers",
        "Perception analysis",
        "Presentation scheduled",
        "Demo scheduled",
        "Demo",
        "Needs defined",
    ),
    "proposal": (
        "Propose",
        "Proposal/Price quote",
        "Proposal made",
        "Proposal sent",
        "Quote",
        "Quote sent",
        "Decision maker bought-in",
    ),
    "contracting": (
        "Negotiation",
        "Negotiation/Review",
        "Negotiations started",
        "Contract sent",
        "Contract",
        "Commit",
        "Verbal",
    ),
    "won": ("Won", "Closed won", "Closed - won", "Deal won", "Win", "Signed"),
    "lost": ("Lost", "Closed lost", "Closed - lost", "Deal lost", "Closed lost to competition"),
    "rejected": ("Disqualified", "Unqualified", "Closed - disqualified"),
}


def stage_aliases() -> dict[str, str]:
    """Another system's stage name -> our stage's code, for the import."""
    return {name: code for code, names in STAGE_NAMES_ELSEWHERE.items() for name in names}


def _sign_outcome(*, user, record: Opportunity, activity, outcome: str, data: dict) -> None:
    """The contract is signed: the opportunity is won."""
    from . import services

    if outcome != SIGNED:
        return
    won = OpportunityStage.objects.filter(code=OpportunityStage.Code.WON, is_active=True).first()
    current = Opportunity.objects.get(pk=record.pk)
    if won is not None and current.stage_id != won.pk:
        services.move_to(user=user, opportunity=current, stage=won, expected_version=current.version)


def register_tasks() -> None:
    for code, tasks in STAGE_TASKS.items():
        for suffix, title, activity_type in tasks:
            outcomes = (Outcome("done", "Done", style="success"),)
            on_outcome = None
            if suffix == "sign_contract":
                outcomes = (Outcome(SIGNED, "Signed: close as won", style="success"), Outcome("done", "Done"))
                on_outcome = _sign_outcome
            register_task(
                ProcessTask(
                    key=f"{PREFIX}{code}.{suffix}",
                    title=title,
                    type=activity_type,
                    outcomes=outcomes,
                    on_outcome=on_outcome,
                )
            )


def stage_entered(*, user, opportunity: Opportunity, previous: OpportunityStage | None) -> list[Activity]:
    """Cancel the open process tasks and create the tasks of the opportunity's (new) stage."""
    cancel_open(user=user, record=opportunity, prefix=PREFIX)
    stage = opportunity.stage
    due = timezone.now() + datetime.timedelta(days=max(stage.planning_days, 1))
    keys = [f"{PREFIX}{stage.code}.{suffix}" for suffix, _title, _type in STAGE_TASKS.get(stage.code, ())]
    if ORDER_TASK in keys and has_order(opportunity):
        keys.remove(ORDER_TASK)
    return [start(user=user, record=opportunity, key=key, due=due) for key in keys]


def has_order(opportunity: Opportunity) -> bool:
    """Whether an order (not cancelled) was made for the opportunity."""
    from orders.models import OrderStatus

    return opportunity.orders.exclude(status=OrderStatus.CANCELLED).exists()


def order_created(*, user, opportunity: Opportunity, order) -> int:
    """An order was made for the opportunity: its won stage's "create the order" task is done."""
    return close_open(user=user, record=opportunity, key=ORDER_TASK, result=f"Order {order} created")

"""The lead page's panels and cards: the stage bar of the lead management process and the registration info."""

from __future__ import annotations

from django.urls import reverse

from crm import access
from crm.sections.details import Card

from .models import Lead

Stage = Lead.Stage
#: the stage bar's steps: the main path, then the two ways out
STEPS = (*Lead.MAIN_PATH, Stage.NOT_INTERESTED, Stage.DISQUALIFIED)


def stage_bar() -> Card:
    def context(user, record: Lead) -> dict:
        editable = access.can(user, "edit", record)
        on_path = record.stage in Lead.MAIN_PATH
        current = Lead.MAIN_PATH.index(record.stage) if on_path else -1
        steps = []
        for stage in STEPS:
            index = Lead.MAIN_PATH.index(stage) if stage in Lead.MAIN_PATH else None
            if stage == record.stage:
                state = "current"
            elif index is not None and index < current:
                state = "done"
            else:
                state = "todo"
            steps.append(
                {
                    "label": stage.label,
                    "value": stage.value,
                    "state": state,
                    "final": stage in (Stage.SATISFIED, Stage.NOT_INTERESTED, Stage.DISQUALIFIED),
                    "successful": stage == Stage.SATISFIED,
                    "allowed": editable and stage in record.allowed_stages,
                }
            )
        note = ""
        if record.stage == Stage.DISQUALIFIED and record.disqualification_reason_id:
            note = f"Disqualified: {record.disqualification_reason}."
        elif record.stage == Stage.AWAITING_SALE:
            note = "The opportunity is being worked on: the lead is satisfied when it is won."
        return {
            "steps": steps,
            "move_url": reverse("leads:move", args=[record.pk]),
            "version": record.version,
            "note": note,
        }

    return Card("sections/panels/_stage_bar.html", context)


def registration_card() -> Card:
    """The data exactly as entered on the web form, read-only."""

    def context(user, record: Lead) -> dict | None:
        if not record.registration_info:
            return None
        items = sorted((str(key), str(value)) for key, value in record.registration_info.items())
        return {"items": items, "web_form": record.web_form}

    return Card("leads/_registration_card.html", context)


def opportunity_card() -> Card:
    """The opportunity made from the lead, if the user may see it."""

    def context(user, record: Lead) -> dict | None:
        if record.opportunity_id is None:
            return None
        from opportunities.models import Opportunity

        opportunity = (
            access.visible(user, Opportunity.objects.select_related("stage")).filter(pk=record.opportunity_id).first()
        )
        return {"opportunity": opportunity} if opportunity else None

    return Card("leads/_opportunity_card.html", context)

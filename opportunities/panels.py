"""The opportunity page's panels and cards: the stage bar of the corporate sale process and the funnel figures."""

from __future__ import annotations

from django.urls import reverse

from crm import access
from crm.core.formats import money
from crm.sections.details import Card

from .models import Opportunity, OpportunityStage


def may_leave(user, opportunity: Opportunity) -> bool:
    """A final stage is left only by an administrator (see services.opportunity_saved)."""
    from .services import _is_admin

    return not opportunity.stage.is_final or _is_admin(user)


def stage_bar() -> Card:
    def context(user, record: Opportunity) -> dict:
        stages = list(OpportunityStage.objects.active().filter(show_in_progress_bar=True))
        if record.stage_id not in {s.pk for s in stages}:
            stages.append(record.stage)
        current = next(i for i, s in enumerate(stages) if s.pk == record.stage_id)
        movable = access.can(user, "edit", record) and may_leave(user, record)
        steps = [
            {
                "label": stage.name,
                "value": stage.pk,
                "state": "current" if i == current else ("done" if i < current and not stage.is_final else "todo"),
                "final": stage.is_final,
                "successful": stage.is_successful,
                "allowed": movable and stage.pk != record.stage_id,
            }
            for i, stage in enumerate(stages)
        ]
        return {
            "steps": steps,
            "move_url": reverse("opportunities:move", args=[record.pk]),
            "version": record.version,
            "note": "" if may_leave(user, record) else "Closed: only an administrator can reopen it.",
        }

    return Card("sections/panels/_stage_bar.html", context)


def funnel_card() -> Card:
    """Days in the funnel and at the stage, the weighted amount, and BANT's Authority: the decision makers among
    the opportunity's contacts (only those the user may see are named)."""

    def context(user, record: Opportunity) -> dict:
        from contacts.models import Contact

        decision_makers = access.visible(
            user,
            Contact.objects.filter(
                opportunity_roles__opportunity=record, opportunity_roles__role__is_decision_maker=True
            ),
        ).order_by("full_name")
        bant = [record.bant_budget, bool(decision_makers), record.bant_need, record.bant_timeframe]
        figures = [
            ("Days in funnel", record.days_in_funnel),
            ("Days at stage", record.days_at_stage),
            ("Probability", f"{record.probability} %"),
        ]
        if access.can_read_value(user, record, "weighted_amount"):
            figures.append(("Weighted, base currency", money(record.weighted_amount)))
        figures.append(("BANT", f"{sum(bant)} of 4"))
        return {
            "figures": figures,
            "decision_makers": list(decision_makers[:5]),
        }

    return Card("opportunities/_funnel_card.html", context)

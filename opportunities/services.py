"""Writes of opportunities: create one (by hand, from a lead), move it through the corporate sale process, and
keep its amount the sum of its product lines.

The generic form and the kanban save through `crm.sections.services` like every section; the section's
`after_save` hook (`opportunity_saved`) is where a change of stage does what the process says, so the form, the
kanban, the process tasks and the API all obey the same rules: the stage history, the stage's tasks, a final
stage left only by an admin, the manager told of a win.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from crm import access
from crm.core import formats
from crm.core.money import quantize
from crm.core.services import notify
from crm.sections import registry
from crm.sections import services as section_services
from products import line_rows
from products.models import Currency
from products.pricing import rates_on, to_base

from .models import Opportunity, OpportunityProduct, OpportunityStage, StageHistory

#: stage_changed(*, user, opportunity, previous, stage) runs in the transaction of every change of stage; leads
#: registers one (a won opportunity satisfies its lead)
StageListener = Callable[..., None]
_stage_listeners: list[StageListener] = []


def register_stage_listener(listener: StageListener) -> None:
    if listener not in _stage_listeners:
        _stage_listeners.append(listener)


def section():
    return registry.get("opportunities")


# --- create and change ----------------------------------------------------------------------------------------


def create_opportunity(*, user, data: dict, lines: Iterable = ()) -> Opportunity:
    """Create an opportunity from field values (stage: the first stage, currency: the base currency, unless given)
    and copy `lines` (product lines of any kind: a lead's, another opportunity's) onto it."""
    data = dict(data)
    data.setdefault("stage", OpportunityStage.objects.first_stage())
    data.setdefault("currency", Currency.objects.base())
    with transaction.atomic():
        opportunity = section_services.create_record(section=section(), user=user, data=data)
        copy_lines(opportunity=opportunity, lines=lines)
    return opportunity


def move_to(*, user, opportunity: Opportunity, stage: OpportunityStage, expected_version: int) -> Opportunity:
    """Move the opportunity to `stage`: the same save as the form's, so the same rules and errors.
    Raises StaleRecordError when someone saved it meanwhile, ValidationError when the process refuses."""
    if stage.pk == opportunity.stage_id:
        return opportunity
    return section_services.update_record(
        section=section(), user=user, obj=opportunity, data={"stage": stage}, expected_version=expected_version
    )


def opportunity_saved(*, user, obj: Opportunity, previous: dict | None) -> None:
    """The section's after_save hook: runs inside the create/update transaction."""
    if previous is None:
        _enter_stage(user=user, opportunity=obj, previous=None)
    elif "stage" in previous:
        old = OpportunityStage.objects.get(pk=previous["stage"])
        if old.is_final and not _is_admin(user):
            raise ValidationError(
                {"stage": f"“{old}” is a final stage: only an administrator can reopen the opportunity."}
            )
        _enter_stage(user=user, opportunity=obj, previous=old)
    if previous is None or "currency" in previous:
        recompute_amount(obj)


def _is_admin(user) -> bool:
    return user.is_superuser or user.has_perm("opportunities.change_opportunitystage")


def _enter_stage(*, user, opportunity: Opportunity, previous: OpportunityStage | None) -> None:
    from . import process

    now = timezone.now()
    stage = opportunity.stage
    StageHistory.objects.filter(opportunity=opportunity, ended_at__isnull=True).update(ended_at=now)
    StageHistory.objects.create(opportunity=opportunity, stage=stage, started_at=now, moved_by=user)
    fields = {"stage_started_at": now, "closed_on": timezone.localdate(now) if stage.is_final else None}
    for name, value in fields.items():
        setattr(opportunity, name, value)
    Opportunity.objects.filter(pk=opportunity.pk).update(**fields)
    process.stage_entered(user=user, opportunity=opportunity, previous=previous)
    if stage.is_final:
        _tell_the_managers(opportunity, stage)
    for listener in _stage_listeners:
        listener(user=user, opportunity=opportunity, previous=previous, stage=stage)


def _tell_the_managers(opportunity: Opportunity, stage: OpportunityStage) -> None:
    amount = f"{formats.money(opportunity.amount)} {opportunity.currency.code}"
    verb = "won" if stage.is_successful else f"closed as “{stage}”"
    for manager in access.managers_of(opportunity.owner):
        notify(
            recipient=manager,
            kind="system",
            title=f"Opportunity {verb}: {opportunity}",
            body=f"{opportunity.owner.get_full_name() or opportunity.owner} · {amount}",
            url=opportunity.get_absolute_url(),
        )


# --- imports --------------------------------------------------------------------------------------------------


def opportunities_imported(*, user, created: list[Opportunity], updated: list[Opportunity]) -> None:
    """The section's after_import hook (once per batch, in its transaction, a constant number of queries): the
    records get what the process would have written, dated from the file where it gives dates.

    A created opportunity gets one stage history entry for its stage, from its creation date (an open stage) or
    its closing date (a final stage), and a final one its closed-on date: the file's closing date, else its
    creation date (today when the file gives neither). An updated one whose stage changed ends its open entry and
    starts one now, as a move does. The amount is the file's (an imported deal has no product lines) unless the
    record has lines, whose sum it stays; its base-currency value follows. The process's tasks and the
    managers' notices are not made: an imported deal's history happened elsewhere."""
    if not created and not updated:
        return
    stages = OpportunityStage.objects.in_bulk({obj.stage_id for obj in [*created, *updated]})
    rates = rates_on()
    now = timezone.now()
    history = []
    for obj in created:
        history.append(_entered(user=user, opportunity=obj, stage=stages[obj.stage_id], at=obj.created_at))
    if updated:
        ids = [obj.pk for obj in updated]
        line_totals = dict(
            OpportunityProduct.objects.filter(opportunity_id__in=ids)
            .order_by()
            .values_list("opportunity_id")
            .annotate(total=Sum("total"))
        )
        open_entries = dict(
            StageHistory.objects.filter(opportunity_id__in=ids, ended_at__isnull=True).values_list(
                "opportunity_id", "stage_id"
            )
        )
        moved = [obj for obj in updated if open_entries.get(obj.pk, obj.stage_id) != obj.stage_id]
        StageHistory.objects.filter(opportunity__in=[obj.pk for obj in moved], ended_at__isnull=True).update(
            ended_at=now
        )
        for obj in updated:
            if obj.pk in line_totals:
                obj.amount = quantize(line_totals[obj.pk])
        for obj in moved:
            # a move happens now, after the open entry it ends, whatever closing date the file gives
            history.append(_entered(user=user, opportunity=obj, stage=stages[obj.stage_id], at=now, on_close=False))
    for obj in [*created, *updated]:
        obj.amount = quantize(obj.amount)
        obj.amount_base = quantize(obj.amount * rates[obj.currency_id]) if obj.currency_id in rates else obj.amount_base
    Opportunity.objects.bulk_update(
        [*created, *updated], ["closed_on", "stage_started_at", "amount", "amount_base"], batch_size=1000
    )
    StageHistory.objects.bulk_create(history, batch_size=1000)


def _entered(
    *, user, opportunity: Opportunity, stage: OpportunityStage, at: datetime.datetime, on_close: bool = True
) -> StageHistory:
    """Date an imported opportunity's entry into its stage, at `at` or, for a final stage (`on_close`), on the
    file's closing date; set its closed-on date (the closing date, else the day of `at`) and time at the stage.
    Unsaved."""
    if stage.is_final:
        opportunity.closed_on = opportunity.close_date or timezone.localdate(at)
        dated = on_close and opportunity.close_date
        opportunity.stage_started_at = _start_of(opportunity.close_date) if dated else at
    else:
        opportunity.closed_on, opportunity.stage_started_at = None, at
    return StageHistory(opportunity=opportunity, stage=stage, started_at=opportunity.stage_started_at, moved_by=user)


def _start_of(day: datetime.date) -> datetime.datetime:
    """The day's first moment in the installation's time zone."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time()))


# --- product lines -------------------------------------------------------------------------------------------


def recompute_amount(opportunity: Opportunity) -> None:
    """The amount is the sum of the lines' totals; its base-currency value is what analytics add up."""
    total = OpportunityProduct.objects.filter(opportunity=opportunity).aggregate(total=Sum("total"))["total"]
    amount = quantize(total or Decimal(0))
    amount_base = quantize(to_base(amount, opportunity.currency))
    opportunity.amount, opportunity.amount_base = amount, amount_base
    Opportunity.objects.filter(pk=opportunity.pk).update(amount=amount, amount_base=amount_base)


def copy_lines(*, opportunity: Opportunity, lines: Iterable) -> list[OpportunityProduct]:
    """Copy product lines (any ProductLine rows) onto the opportunity, amounts recomputed here."""
    rows = line_rows.append_copies(OpportunityProduct, opportunity, lines)
    if rows:
        recompute_amount(opportunity)
    return rows


def add_lines_from_cart(user, record: Opportunity, lines) -> None:
    """The product selection page's hook: the cart's lines become the opportunity's products."""
    line_rows.append_cart(OpportunityProduct, record, lines)
    recompute_amount(record)
    _touch(user, record)


def lines_changed(*, user, record: Opportunity) -> None:
    """The Products detail's after_write hook: a line was added, changed or removed by hand. The lines' amounts
    are computed here, never taken from the form, and the opportunity's amount follows."""
    line_rows.recompute_all(OpportunityProduct, record)
    recompute_amount(record)


def _touch(user, record) -> None:
    Opportunity.objects.filter(pk=record.pk).update(modified_at=timezone.now(), modified_by=user)


def authorise_edit(user, opportunity: Opportunity) -> None:
    if not access.can(user, "edit", opportunity):
        raise PermissionDenied("You may not edit this opportunity.")

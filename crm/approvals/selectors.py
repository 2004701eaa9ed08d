"""Reads: who decides an approval's current step, the approvals waiting for a user, a record's history."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db.models import Exists, F, OuterRef, Q, QuerySet

from crm import access
from crm.access.models import Membership
from crm.core import formats
from crm.sections import registry as sections

from . import registry
from .models import Approval, ApprovalRoute, ApprovalRouteStep


def approvers(approval: Approval) -> list:
    """The active users who may decide the approval's current step: its delegate, else the step's user or the
    members of its role."""
    User = get_user_model()  # noqa: N806
    if not approval.is_pending:
        return []
    if approval.delegated_to_id:
        return list(User.objects.filter(pk=approval.delegated_to_id, is_active=True))
    step = approval.current_step()
    if step is None:
        return []
    if step.approver_user_id:
        return list(User.objects.filter(pk=step.approver_user_id, is_active=True))
    member_ids = Membership.objects.filter(role_id=step.approver_role_id).values("user_id")
    return list(User.objects.filter(pk__in=member_ids, is_active=True).order_by("pk"))


def may_decide(user, approval: Approval) -> bool:
    if not (user and user.is_authenticated and user.is_active) or not approval.is_pending:
        return False
    if approval.delegated_to_id:
        return approval.delegated_to_id == user.pk
    step = approval.current_step()
    if step is None:
        return False
    if step.approver_user_id:
        return step.approver_user_id == user.pk
    return Membership.objects.filter(role_id=step.approver_role_id, user=user).exists()


def waiting_for(user) -> QuerySet[Approval]:
    """Pending approvals whose current step `user` may decide (records not yet checked for reading)."""
    roles = Membership.objects.filter(user=user).values("role_id")
    own_step = ApprovalRouteStep.objects.filter(route=OuterRef("route"), position=OuterRef("current_position")).filter(
        Q(approver_user=user) | Q(approver_role__in=roles)
    )
    return (
        Approval.objects.pending()
        .filter(Q(delegated_to=user) | (Q(delegated_to__isnull=True) & Exists(own_step)))
        .select_related("content_type", "route", "requested_by")
        .order_by("requested_at", "pk")
    )


def inbox(user, limit: int = 500) -> list[Approval]:
    """The approvals waiting for `user` on records they may see, each with `.record` and `.section` loaded."""
    approvals = list(waiting_for(user)[:limit])
    by_type: dict[int, list[Approval]] = {}
    for approval in approvals:
        by_type.setdefault(approval.content_type_id, []).append(approval)
    result = []
    for rows in by_type.values():
        section = sections.for_model(rows[0].content_type.model_class())
        if section is None:
            continue
        related = [name for name in CUSTOMER_FIELDS + ("currency",) if _is_relation(section.model, name)]
        queryset = section.model._default_manager.filter(pk__in=[row.object_id for row in rows])
        queryset = queryset.select_related(*related)
        records = {record.pk: record for record in access.visible(user, queryset)}
        for row in rows:
            if row.object_id in records:
                row.section = section
                row.record = records[row.object_id]
                result.append(row)
    return sorted(result, key=lambda row: (row.requested_at, row.pk))


#: the fields that say whose a record is, in the order the inbox looks for them
CUSTOMER_FIELDS = ("account", "contact")


def _is_relation(model, name: str) -> bool:
    try:
        return model._meta.get_field(name).many_to_one
    except Exception:  # noqa: BLE001 - FieldDoesNotExist: the section has no such field
        return False


@dataclass
class InboxRow:
    approval: Approval
    customer: object | None
    amount: object | None
    currency: object | None


def _row(user, approval: Approval) -> InboxRow:
    record, section = approval.record, approval.section
    customer = next(
        (
            getattr(record, name)
            for name in CUSTOMER_FIELDS
            if _is_relation(section.model, name) and access.can_read_value(user, section, name)
        ),
        None,
    )
    has_amount = any(f.name == "amount" for f in section.model._meta.concrete_fields)
    amount = record.amount if has_amount and access.can_read_value(user, section, "amount") else None
    return InboxRow(approval=approval, customer=customer, amount=amount, currency=getattr(record, "currency", None))


def inbox_rows(user) -> list[InboxRow]:
    """The inbox with each record's customer and amount, each shown only where the user's column rights show it."""
    return [_row(user, approval) for approval in inbox(user)]


def inbox_row(user, pk: int) -> InboxRow | None:
    """One approval as the inbox draws it, whether or not it still waits for `user` (after a decision)."""
    approval = Approval.objects.filter(pk=pk).select_related("content_type", "route", "requested_by").first()
    if approval is None:
        return None
    section = sections.for_model(approval.content_type.model_class())
    record = access.visible(user, section.model._default_manager.filter(pk=approval.object_id)).first()
    if record is None:
        return None
    approval.section, approval.record = section, record
    return _row(user, approval)


def history(record) -> list[Approval]:
    return list(
        Approval.objects.for_record(record)
        .select_related("route", "requested_by", "delegated_to")
        .prefetch_related("decisions__decided_by", "decisions__delegated_to")
    )


def record_amount(record) -> Decimal | None:
    """The record's amount in the base currency (what route thresholds compare), None when it has no amount: its
    `amount_base` where the section keeps one (and it was computed), else its `amount` converted from its currency
    at today's rate, else its `amount` as it is."""
    names = {f.name for f in record._meta.concrete_fields}
    amount = record.amount if "amount" in names else None
    if amount is None:
        return None
    kept = record.amount_base if "amount_base" in names else None
    if kept is not None and (kept or not amount):
        return Decimal(kept)
    currency = record.currency if "currency_id" in {f.attname for f in record._meta.concrete_fields} else None
    if currency is None:
        return Decimal(amount)
    from products.models import Currency
    from products.pricing import MissingRateError, to_base

    try:
        return to_base(amount, currency)
    except (MissingRateError, Currency.DoesNotExist):
        return Decimal(amount)


def route_applies(route: ApprovalRoute, amount: Decimal | None) -> bool:
    """A route without a threshold applies to every record; one with a threshold to amounts strictly over it."""
    if route.min_amount is None:
        return True
    return amount is not None and amount > route.min_amount


def refusal(route: ApprovalRoute, amount: Decimal | None) -> str:
    """Why `route` does not apply to a record of `amount` (the threshold and the amount in the base currency)."""
    threshold = f"{formats.money(route.min_amount)} {base_currency_code()}".strip()
    if amount is None:
        return f"The route “{route.name}” applies only when the amount is over {threshold}: this record has none."
    shown = f"{formats.money(amount)} {base_currency_code()}".strip()
    return f"The route “{route.name}” applies only when the amount is over {threshold}: this record’s is {shown}."


def base_currency_code() -> str:
    """The code of the base currency (empty when none is set up)."""
    from products.models import Currency

    base = Currency.objects.filter(is_base=True).values_list("code", flat=True).first()
    return base or ""


def routes_of(section_name: str) -> list[ApprovalRoute]:
    """The active routes of a section that have steps, the most specific first: the highest threshold, then those
    without one, each by name."""
    if not registry.is_registered(section_name):
        return []
    return list(
        ApprovalRoute.objects.active()
        .for_section(section_name)
        .filter(Exists(ApprovalRouteStep.objects.filter(route=OuterRef("pk"))))
        .order_by(F("min_amount").desc(nulls_last=True), "name", "pk")
    )


def route_for(section_name: str, record) -> ApprovalRoute | None:
    """The route `record` of the section goes along: of the active routes with steps that apply to its amount, the
    one with the highest threshold below it wins over those without a threshold (then the first by name)."""
    amount = record_amount(record)
    return next((route for route in routes_of(section_name) if route_applies(route, amount)), None)

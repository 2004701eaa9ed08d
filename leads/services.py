"""The lead management process (reference §11.2): capture, qualify, distribute, hand off to sales, and the
opportunity made from a lead.

Every write goes through `crm.sections.services` like every section, and the section's `after_save` hook
(`lead_saved`) is where a change of stage does what the process says: it checks the transition, writes the stage
history, cancels the previous stage's process tasks, starts the new stage's, and at "Awaiting sale" creates the
opportunity. So the stage bar, the process tasks (leads.process) and any later API obey the same rules.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from activities.processes import cancel_open, start
from crm import access
from crm.access.models import Membership
from crm.sections import details, registry
from crm.sections import services as section_services
from crm.sections.services import ChangeLogEntry, log_change
from products import line_rows

from .models import DisqualificationReason, DistributionRule, Lead, LeadProduct, LeadStageHistory, WebForm
from .sources import detect, load_rules

Stage = Lead.Stage
Maturity = Lead.Maturity

PREFIX = "leads."
QUALIFY_TASK = "leads.qualify"
DISTRIBUTE_TASK = "leads.distribute"
HANDOFF_TASK = "leads.handoff"
INCORRECT_DATA = "Incorrect data"


def section():
    return registry.get("leads")


# --- create --------------------------------------------------------------------------------------------------


def create_lead(*, user, data: dict) -> Lead:
    """Create a lead from field values (the quick entry, the full form); it enters Qualification."""
    return section_services.create_record(section=section(), user=user, data=dict(data))


def capture(*, web_form: WebForm, data: dict, referrer: str = "", landing: str = "", raw: dict | None = None) -> Lead:
    """A lead posted by a landing page's form: owned by the form's default owner, in its sales division, with the
    source the tracking rules find and the data exactly as posted. With "create contact" set, a contact is
    created (and linked) at once."""
    owner = web_form.owner
    tracking = detect(referrer=referrer, landing=landing, rules=load_rules())
    fields = {
        **data,
        **tracking.as_lead_fields(),
        "owner": owner,
        "division": web_form.division,
        "need_type": data.get("need_type") or web_form.need_type,
        "web_form": web_form,
        "registration_info": raw or {},
    }
    with transaction.atomic():
        if web_form.create_contact and data.get("contact_name"):
            fields["contact"] = _create_contact(user=owner, lead=Lead(**data), account=None)
        return section_services.create_record(section=section(), user=owner, data=fields)


# --- moving through the process ------------------------------------------------------------------------------


def move_to(*, user, lead: Lead, stage: str, expected_version: int, reason=None, data: dict | None = None) -> Lead:
    """Move the lead to `stage` (with more field values in `data`): the same save as the form's. Disqualifying
    needs a reason. Raises StaleRecordError when someone saved the lead meanwhile, ValidationError when the
    process refuses, PermissionDenied when the user may not edit it."""
    values = dict(data or {})
    if stage != lead.stage:
        values["stage"] = stage
    if stage == Stage.DISQUALIFIED:
        values["disqualification_reason"] = reason
    if not values:
        return lead
    return section_services.update_record(
        section=section(), user=user, obj=lead, data=values, expected_version=expected_version
    )


def check_transition(lead: Lead, previous_stage: str) -> None:
    """The rules of a change of stage, whichever way the lead was saved."""
    if lead.stage not in Lead.TRANSITIONS.get(previous_stage, ()):
        raise ValidationError(
            {"stage": f"A lead cannot go from “{Stage(previous_stage).label}” to “{Stage(lead.stage).label}”."}
        )
    if lead.stage == Stage.DISQUALIFIED and lead.disqualification_reason_id is None:
        raise ValidationError({"disqualification_reason": "Say why the lead is disqualified."})
    if lead.stage == Stage.AWAITING_SALE and not (lead.account_id or lead.contact_id):
        raise ValidationError(
            {"stage": "Qualify the lead first: the opportunity needs a customer (account or contact)."}
        )


def lead_saved(*, user, obj: Lead, previous: dict | None) -> None:
    """The section's after_save hook: runs inside the create/update transaction."""
    if previous is None:
        _enter_stage(user=user, lead=obj)
    elif "stage" in previous:
        check_transition(obj, previous["stage"])
        _enter_stage(user=user, lead=obj)
    if obj.stage != Stage.DISQUALIFIED and obj.disqualification_reason_id:
        details.update_record_fields(obj, {"disqualification_reason": None}, bump_version=False)


def _enter_stage(*, user, lead: Lead) -> None:
    now = timezone.now()
    LeadStageHistory.objects.filter(lead=lead, ended_at__isnull=True).update(ended_at=now)
    LeadStageHistory.objects.create(lead=lead, stage=lead.stage, started_at=now, moved_by=user)
    lead.stage_started_at = now
    Lead.objects.filter(pk=lead.pk).update(stage_started_at=now)
    cancel_open(user=user, record=lead, prefix=PREFIX)
    if lead.stage == Stage.QUALIFICATION:
        start(user=user, record=lead, key=QUALIFY_TASK)
    elif lead.stage == Stage.NURTURING and lead.distributed_at is None:
        start(user=user, record=lead, key=DISTRIBUTE_TASK)
    elif lead.stage == Stage.HANDOFF:
        start(user=user, record=lead, key=HANDOFF_TASK)
    elif lead.stage == Stage.AWAITING_SALE and lead.opportunity_id is None:
        opportunity = create_opportunity_from(user=user, lead=lead)
        details.update_record_fields(lead, {"opportunity": opportunity}, bump_version=False)


# --- qualification -------------------------------------------------------------------------------------------


def similar_contacts(user, lead: Lead):
    """Contacts the user may see with the lead's contact name and its email or its mobile phone."""
    from contacts.models import Contact

    if not lead.contact_name or not (lead.email or lead.mobile_phone):
        return Contact.objects.none()
    same = Q()
    if lead.email:
        same |= Q(email__iexact=lead.email)
    if lead.mobile_phone:
        same |= Q(mobile_phone=lead.mobile_phone)
    queryset = Contact.objects.filter(same, full_name__iexact=lead.contact_name.strip()).select_related("account")
    return access.visible(user, queryset).order_by("full_name", "pk")


def similar_accounts(user, lead: Lead):
    """Accounts the user may see with the lead's account name (and its country, when both have one)."""
    from accounts.models import Account

    if not lead.account_name:
        return Account.objects.none()
    queryset = Account.objects.filter(name__iexact=lead.account_name.strip())
    if lead.country:
        queryset = queryset.filter(Q(country="") | Q(country__iexact=lead.country))
    return access.visible(user, queryset).order_by("name", "pk")


def _create_account(*, user, lead: Lead):
    data = {"name": lead.account_name, "phone": lead.business_phone, "web": lead.web, "country": lead.country}
    data["city"] = lead.city
    data = {name: value for name, value in data.items() if value}
    return section_services.create_record(section=registry.get("accounts"), user=user, data=data)


def _create_contact(*, user, lead: Lead, account):
    """A contact from the lead's name and communication options (the contact's own rules make the options)."""
    data = {
        "full_name": lead.contact_name,
        "email": lead.email,
        "mobile_phone": lead.mobile_phone,
        "job_title": lead.job_title,
        "account": account,
    }
    data = {name: value for name, value in data.items() if value}
    return section_services.create_record(section=registry.get("contacts"), user=user, data=data)


def contact_choices(user, lead: Lead):
    """The contacts the qualification offers: the similar ones and the one already linked (if the user may see
    it), so that a lead entered with its contact shows that contact rather than "Create a new contact"."""
    from contacts.models import Contact

    similar = similar_contacts(user, lead).values("pk")
    queryset = Contact.objects.filter(Q(pk__in=similar) | Q(pk=lead.contact_id)).select_related("account")
    return access.visible(user, queryset).order_by("full_name", "pk")


def account_choices(user, lead: Lead):
    """The accounts the qualification offers: the similar ones and the one already linked (if the user may see
    it)."""
    from accounts.models import Account

    similar = similar_accounts(user, lead).values("pk")
    queryset = Account.objects.filter(Q(pk__in=similar) | Q(pk=lead.account_id))
    return access.visible(user, queryset).order_by("name", "pk")


def qualify_refusal(lead: Lead) -> str:
    """Why the process does not qualify the lead at its stage, or "" when it does: qualification is the first
    stage's step (and that of a lead moved on to Nurturing without a customer)."""
    if lead.stage == Stage.QUALIFICATION:
        return ""
    if lead.stage == Stage.NURTURING:
        if not (lead.contact_id or lead.account_id):
            return ""
        return (
            "The lead is qualified already: its customer is linked. Move it back to Qualification to qualify it again."
        )
    return f"A lead at “{lead.get_stage_display()}” is qualified already: only a lead at Qualification is qualified."


def may_qualify(user, lead: Lead) -> bool:
    """Whether the record page offers Qualify: the user may edit the lead and the process qualifies it now."""
    return not qualify_refusal(lead) and access.can(user, "edit", lead)


def qualify(*, user, lead: Lead, expected_version: int, contact=None, account=None) -> Lead:
    """Qualify the lead: link the contact and account picked from the similar ones, or create them from what was
    entered (through their sections' services, so their access rules and own rules apply), then move on to
    Nurturing (or straight to Handoff when the lead is already distributed).

    A lead with neither a contact name nor an account name cannot be qualified: disqualify it as "Incorrect
    data"."""
    if not access.can(user, "edit", lead):
        raise PermissionDenied("You may not qualify this lead.")
    refusal = qualify_refusal(lead)
    if refusal:
        raise ValidationError(refusal)
    if not (lead.contact_name or lead.account_name or contact or account or lead.contact_id or lead.account_id):
        raise ValidationError(
            "There is not enough data to qualify the lead: enter a contact or account name, or disqualify it "
            f"as “{INCORRECT_DATA}”."
        )
    with transaction.atomic():
        if account is not None and account not in account_choices(user, lead):
            raise ValidationError("Choose one of the similar accounts.")
        if contact is not None and contact not in contact_choices(user, lead):
            raise ValidationError("Choose one of the similar contacts.")
        account = account or lead.account
        if account is None and lead.account_name:
            account = _create_account(user=user, lead=lead)
        contact = contact or lead.contact
        if contact is None and lead.contact_name:
            contact = _create_contact(user=user, lead=lead, account=account)
        stage = Stage.HANDOFF if lead.distributed_at else Stage.NURTURING
        data = {"account": account, "contact": contact}
        return move_to(user=user, lead=lead, stage=stage, expected_version=expected_version, data=data)


def disqualify(*, user, lead: Lead, reason: DisqualificationReason, expected_version: int) -> Lead:
    return move_to(user=user, lead=lead, stage=Stage.DISQUALIFIED, reason=reason, expected_version=expected_version)


# --- distribution --------------------------------------------------------------------------------------------


def next_in_division(division) -> object:
    """The division's next member in turn (round robin over its active members, by id). The rule's row is locked
    until the caller's transaction ends, so concurrent distributions never pick the same member twice in a row."""
    User = get_user_model()
    members = list(
        User.objects.filter(is_active=True, pk__in=Membership.objects.filter(role=division).values("user_id")).order_by(
            "pk"
        )
    )
    if not members:
        raise ValidationError(f"Nobody is in “{division}” to distribute the lead to.")
    DistributionRule.objects.get_or_create(division=division)
    rule = DistributionRule.objects.select_for_update().get(division=division)
    if not rule.is_active:
        raise ValidationError(f"Round-robin distribution is switched off in “{division}”: choose the owner.")
    after = rule.last_assigned_id or 0
    chosen = next((member for member in members if member.pk > after), members[0])
    DistributionRule.objects.filter(pk=rule.pk).update(last_assigned=chosen)
    return chosen


def distribute_refusal(lead: Lead) -> str:
    """Why the process does not distribute the lead at its stage, or "" when it does: a lead is distributed before
    its handoff to sales (at Qualification or Nurturing); from Handoff on, "Back to distribution" comes first."""
    if lead.stage in Lead.DISTRIBUTABLE:
        return ""
    if lead.stage in Lead.FINAL_FOR_DISTRIBUTION:
        return f"A lead at “{lead.get_stage_display()}” is the opportunity's now: it is not distributed."
    if lead.stage == Stage.HANDOFF:
        return "A lead at “Handoff to sales” is not distributed: send it back to distribution (Nurturing) first."
    return f"A lead at “{lead.get_stage_display()}” is not distributed: reopen it at Qualification or Nurturing first."


def may_distribute(user, lead: Lead) -> bool:
    """Whether the record page offers Distribute: the user may edit the lead and the process distributes it now."""
    return not distribute_refusal(lead) and access.can(user, "edit", lead)


def distribute(*, user, lead: Lead, expected_version: int, owner=None, division=None) -> Lead:
    """Give the lead an owner: the one chosen by hand, or the next member of the sales division in turn. Possible
    before the handoff to sales only (see distribute_refusal)."""
    if not access.can(user, "edit", lead):
        raise PermissionDenied("You may not distribute this lead.")
    refusal = distribute_refusal(lead)
    if refusal:
        raise ValidationError(refusal)
    division = division or lead.division
    with transaction.atomic():
        if owner is None:
            if division is None:
                raise ValidationError("Choose the owner or the sales division to distribute the lead in.")
            owner = next_in_division(division)
        data = {"owner": owner, "division": division, "distributed_at": timezone.now()}
        return section_services.update_record(
            section=section(), user=user, obj=lead, data=data, expected_version=expected_version
        )


def hand_off(*, user, lead: Lead, expected_version: int) -> Lead:
    """Start the handoff to sales: the lead goes to Handoff, whose task asks the owner to contact the customer."""
    return move_to(user=user, lead=lead, stage=Stage.HANDOFF, expected_version=expected_version)


# --- the opportunity -----------------------------------------------------------------------------------------


def opportunity_name(lead: Lead, *, user) -> str:
    """ "Customer / N+1": the customer's name and one more than the customer's opportunities `user` may see (a
    count of those they may not would tell them how many there are)."""
    from opportunities.models import Opportunity

    customer = lead.account or lead.contact
    field = "account" if lead.account_id else "contact"
    count = access.visible(user, Opportunity.objects.filter(**{field: customer})).count()
    return f"{customer} / {count + 1}"[:250]


def create_opportunity_from(*, user, lead: Lead):
    """The opportunity of a lead awaiting sale: customer, budget, owner, need type, closing date (the decision
    date), sales division and the lead's products."""
    from opportunities.models import NeedType
    from opportunities.services import create_opportunity

    need_type = lead.need_type or NeedType.objects.active().first()
    if need_type is None:
        raise ValidationError("Set the lead's need type: the opportunity needs one.")
    data = {
        "name": opportunity_name(lead, user=user),
        "account": lead.account,
        "contact": lead.contact,
        "need_type": need_type,
        "budget": lead.budget,
        "owner": lead.owner,
        "close_date": lead.decision_date,
        "division": lead.division,
        "description": lead.need,
    }
    data = {name: value for name, value in data.items() if value is not None}
    return create_opportunity(user=user, data=data, lines=list(LeadProduct.objects.filter(lead=lead)))


def opportunity_stage_changed(*, user, opportunity, previous, stage) -> None:
    """The stage listener (registered in LeadsConfig.ready): a won opportunity satisfies its lead. The process moves
    the lead whoever won the deal, so this write does not ask for the right to edit the lead."""
    if not (stage.is_final and stage.is_successful):
        return
    for lead in Lead.objects.select_for_update().filter(opportunity=opportunity, stage=Stage.AWAITING_SALE):
        Lead.objects.filter(pk=lead.pk).update(
            stage=Stage.SATISFIED, version=lead.version + 1, modified_at=timezone.now(), modified_by=user
        )
        log_change(
            obj=lead,
            user=user,
            action=ChangeLogEntry.Action.UPDATE,
            changes=[
                {"field": "stage", "label": "stage", "old": lead.get_stage_display(), "new": Stage.SATISFIED.label}
            ],
        )
        lead.stage, lead.version = Stage.SATISFIED, lead.version + 1
        _enter_stage(user=user, lead=lead)


# --- products ------------------------------------------------------------------------------------------------


def add_lines_from_cart(user, record: Lead, lines) -> None:
    """The product selection page's hook: the cart's lines become the lead's products."""
    line_rows.append_cart(LeadProduct, record, lines)
    Lead.objects.filter(pk=record.pk).update(modified_at=timezone.now(), modified_by=user)


def lines_changed(*, user, record: Lead) -> None:
    """The Products detail's after_write hook: the amounts of a line are computed here, never taken from a form."""
    line_rows.recompute_all(LeadProduct, record)

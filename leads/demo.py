"""Demo leads: ~60 requests of the demo reps over the last twelve months, from every source and channel, walked
through the lead management process by its services (some awaiting sale or satisfied, with their opportunities);
or N at scale with bulk inserts (stage histories included) for the benchmarks."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal

from django.utils import timezone

from crm.duplicates.normalisation import normalise_name

from .models import Lead, LeadChannel, LeadSource, LeadStageHistory, WebForm

ORDER = 45  # after the roles, accounts, products, contacts, activities and opportunities

DEMO_COUNT = 60
MARKER = {"demo": "leads"}
SCALE_BATCH = 5000
Stage = Lead.Stage

PEOPLE = [
    ("Hannah Schmidt", "Bergmann Maschinenbau", "Germany"),
    ("Lucas Martin", "Atelier Lumière", "France"),
    ("Sofia Rossi", "Trattoria Group", "Italy"),
    ("Jan Novák", "Vltava Logistics", "Czechia"),
    ("Emma Johnson", "Brightside Dental", "United Kingdom"),
    ("Olivia Brown", "Harbour Freight", "United Kingdom"),
    ("Mateo García", "Sol Energía", "Spain"),
    ("Ingrid Larsen", "Fjord Seafood", "Norway"),
    ("Piotr Kowalski", "Wisła Build", "Poland"),
    ("Ana Silva", "Lisboa Travel", "Portugal"),
    ("Noah Weber", "Alpen Health", "Austria"),
    ("Mia Jansen", "Delta Greenhouses", "Netherlands"),
]
NEEDS = [
    "Laptops for the new office",
    "CRM for the sales team",
    "Support contract renewal",
    "Server room upgrade",
    "Training for 20 users",
    "Office 365 licences",
    "Data migration from the old system",
    "Monitors for the design team",
]
#: where a demo lead ends up, by weight
OUTCOMES = (
    (Stage.QUALIFICATION, 14),
    (Stage.NURTURING, 10),
    (Stage.HANDOFF, 10),
    (Stage.AWAITING_SALE, 8),
    (Stage.SATISFIED, 7),
    (Stage.NOT_INTERESTED, 6),
    (Stage.DISQUALIFIED, 5),
)


def already_seeded(context) -> bool:
    return Lead.objects.filter(custom__demo=MARKER["demo"]).exists()


def _domain(company: str) -> str:
    return re.sub(r"[^a-z0-9]", "", company.split()[0].lower()) or "customer"


def _pick(rng, weighted):
    return rng.choices([value for value, _ in weighted], weights=[weight for _, weight in weighted])[0]


def _tracking(rng, sources: list[LeadSource]) -> dict:
    source = rng.choice(sources + [None])
    if source is None:
        return {}
    fields = {"source": source, "channel": source.channel}
    if source.code:
        fields.update(utm_source=source.code, utm_medium=source.channel.code if source.channel else "")
        fields["utm_campaign"] = rng.choice(["spring-offer", "webinar", "newsletter-06", ""])
        fields["landing"] = f"https://www.opencrm.example/offer?utm_source={source.code}"
    return fields


def seed(context) -> None:
    from activities.demo import settle_process_tasks
    from contacts.models import Contact
    from crm.sections.details import update_record_fields
    from opportunities import services as opportunity_services
    from opportunities.demo import divisions_of
    from opportunities.models import NeedType, OpportunityStage

    from . import services

    rng = context.rng
    reps = context.sales_users
    units = divisions_of(reps)
    sources = list(LeadSource.objects.select_related("channel"))
    need_types = list(NeedType.objects.active())
    won = OpportunityStage.objects.filter(code="won").first()
    if not WebForm.objects.exists():
        WebForm.objects.create(name="Website contact form", owner=reps[0], division=units.get(reps[0].pk))
    now = timezone.now()
    customers = _customers(reps)
    used = {normalise_name(name) for name in Contact.objects.values_list("full_name", flat=True)}
    created = 0
    for index in range(DEMO_COUNT):
        owner = reps[index % len(reps)]
        _, company, country = PEOPLE[index % len(PEOPLE)]
        person = _person(index, used)
        if customers[owner.pk]:
            # requests from the demo company's customers: qualification links the account ("Select from similar")
            account = customers[owner.pk][index % len(customers[owner.pk])]
            company, country = account.name, account.country
        target = _pick(rng, OUTCOMES)
        data = {
            "need": NEEDS[index % len(NEEDS)],
            "need_type": rng.choice(need_types) if need_types else None,
            "contact_name": person,
            "account_name": company,
            "country": country,
            "email": f"{person.split()[0].lower()}.{index}@{_domain(company)}.example",
            "mobile_phone": f"+1 555 02{index:02d}",
            "owner": owner,
            "division": units.get(owner.pk),
            **_tracking(rng, sources),
        }
        lead = services.create_lead(user=owner, data=data)
        lead = _walk(services, opportunity_services, owner, lead, target, rng, won)
        # back-date the lead and its stage history over the last twelve months
        shift = datetime.timedelta(days=rng.randrange(3, 365), hours=rng.randrange(0, 24))
        Lead.objects.filter(pk=lead.pk).update(created_at=now - shift)
        windows = []
        for row in LeadStageHistory.objects.filter(lead=lead).order_by("started_at", "pk"):
            ended = row.ended_at - shift if row.ended_at else None
            LeadStageHistory.objects.filter(pk=row.pk).update(started_at=row.started_at - shift, ended_at=ended)
            windows.append((row.started_at - shift, ended))
        settle_process_tasks(lead, windows, rng=rng, now=now)
        if lead.opportunity_id:
            _back_date_opportunity(lead.opportunity, windows[-1][0])
            settle_process_tasks(lead.opportunity, windows[-1:], rng=rng, now=now)
        update_record_fields(lead, {"custom": MARKER}, bump_version=False)
        created += 1
    context.created["leads"] = created


def _person(index: int, used: set[str]) -> str:
    """A different person for each demo lead, and none of the demo contacts (`used`: the names taken so far,
    which it extends), so that the contacts their qualification makes are not taken for duplicates."""
    last = PEOPLE[index % len(PEOPLE)][0].split()[-1]
    for shift in range(len(PEOPLE)):
        first = PEOPLE[(index + index // len(PEOPLE) + shift) % len(PEOPLE)][0].split()[0]
        if normalise_name(f"{first} {last}") not in used:
            break
    used.add(normalise_name(f"{first} {last}"))
    return f"{first} {last}"


def _customers(reps) -> dict[int, list]:
    """The demo accounts each rep may see, so that demo leads link accounts rather than make new ones."""
    from accounts.models import Account
    from crm import access

    customers = Account.objects.exclude(type__name="Our company").order_by("pk")
    return {rep.pk: list(access.visible(rep, customers)[:20]) for rep in reps}


def _walk(services, opportunity_services, user, lead, target, rng, won):
    """Move a demo lead through the process by the services, as a rep would, up to `target`."""
    from .models import DisqualificationReason

    def at(stage, **data):
        return services.move_to(user=user, lead=lead, stage=stage, expected_version=lead.version, data=data)

    if target == Stage.QUALIFICATION:
        return lead
    if target == Stage.DISQUALIFIED:
        reason = rng.choice(list(DisqualificationReason.objects.all()))
        return services.disqualify(user=user, lead=lead, reason=reason, expected_version=lead.version)
    account = services.similar_accounts(user, lead).first()
    lead = services.qualify(user=user, lead=lead, expected_version=lead.version, account=account)
    if target in (Stage.NURTURING, Stage.NOT_INTERESTED):
        return lead if target == Stage.NURTURING else at(Stage.NOT_INTERESTED)
    lead = services.distribute(user=user, lead=lead, owner=user, expected_version=lead.version)
    lead = services.hand_off(user=user, lead=lead, expected_version=lead.version)
    if target == Stage.HANDOFF:
        return lead
    decision = timezone.localdate() + datetime.timedelta(days=rng.randrange(20, 120))
    budget = Decimal(rng.randrange(20, 400) * 100)
    lead = at(Stage.AWAITING_SALE, budget=budget, decision_date=decision, maturity=Lead.Maturity.SALES_READY)
    lead = Lead.objects.select_related("opportunity__account", "opportunity__currency").get(pk=lead.pk)
    if lead.opportunity is not None and not lead.opportunity.amount:
        # the customer's budget buys products: the deal's amount is the sum of its lines
        _add_products(rng, opportunity_services, lead.opportunity)
    if target == Stage.SATISFIED and won is not None and lead.opportunity is not None:
        opportunity = lead.opportunity
        opportunity_services.move_to(
            user=user, opportunity=opportunity, stage=won, expected_version=opportunity.version
        )
        lead.refresh_from_db()
    return lead


def _back_date_opportunity(opportunity, started: datetime.datetime) -> None:
    """The lead's opportunity began when the lead went on to sale (and a satisfied lead's deal was won then)."""
    from opportunities.models import Opportunity, StageHistory

    opportunity = Opportunity.objects.select_related("stage").get(pk=opportunity.pk)
    closed_on = timezone.localdate(started) if opportunity.stage.is_final else None
    Opportunity.objects.filter(pk=opportunity.pk).update(
        created_at=started, modified_at=started, stage_started_at=started, closed_on=closed_on
    )
    history = list(StageHistory.objects.filter(opportunity=opportunity).order_by("started_at", "pk"))
    for row in history:
        row.started_at = started
        row.ended_at = started if row.ended_at else None
    StageHistory.objects.bulk_update(history, ["started_at", "ended_at"])


def _add_products(rng, opportunity_services, opportunity) -> None:
    from opportunities.demo import product_lines
    from opportunities.models import OpportunityProduct
    from products.models import Product

    products = list(Product.objects.filter(is_inactive=False).select_related("currency", "tax", "unit").order_by("pk"))
    tax_included = OpportunityProduct._meta.get_field("tax_included").get_default()
    lines = product_lines(
        rng, products, base=opportunity.currency, account=opportunity.account, tax_included=tax_included
    )
    opportunity_services.copy_lines(opportunity=opportunity, lines=lines)


def seed_scale(context, n: int) -> None:
    """N leads with their stage histories in bulk (no per-record services), spread over stages, sources and the
    last twelve months. Leads awaiting sale or satisfied are left out: they need an opportunity each."""
    from opportunities.demo import divisions_of
    from opportunities.models import NeedType

    rng = context.rng
    now = timezone.now()
    owners = context.sales_users
    units = divisions_of(owners)
    sources = list(LeadSource.objects.all())
    channels = {c.pk: c for c in LeadChannel.objects.all()}
    need_types = list(NeedType.objects.values_list("pk", flat=True))
    outcomes = [(stage, weight) for stage, weight in OUTCOMES if stage not in (Stage.AWAITING_SALE, Stage.SATISFIED)]
    done = 0
    while done < n:
        size = min(SCALE_BATCH, n - done)
        leads, paths = [], []
        for offset in range(size):
            number = done + offset
            owner = owners[number % len(owners)]
            person, company, country = PEOPLE[number % len(PEOPLE)]
            stage = _pick(rng, outcomes)
            source = rng.choice(sources + [None])
            created_at = now - datetime.timedelta(days=rng.randrange(0, 365), minutes=rng.randrange(0, 1440))
            division = units.get(owner.pk)
            leads.append(
                Lead(
                    need=NEEDS[number % len(NEEDS)],
                    need_type_id=need_types[number % len(need_types)] if need_types else None,
                    contact_name=person,
                    account_name=f"{company} {number + 1}",
                    country=country,
                    email=f"lead{number + 1}@{_domain(company)}.example",
                    stage=stage,
                    stage_started_at=created_at,
                    source=source,
                    channel=channels.get(source.channel_id) if source else None,
                    utm_source=source.code if source else "",
                    owner=owner,
                    created_by=owner,
                    modified_by=owner,
                    created_at=created_at,
                    modified_at=created_at,
                    division_id=division.pk if division else None,
                    custom=MARKER,
                )
            )
            path = list(Lead.MAIN_PATH[: Lead.MAIN_PATH.index(stage) + 1]) if stage in Lead.MAIN_PATH else []
            paths.append(path or [Stage.QUALIFICATION, stage])
        Lead.objects.bulk_create(leads, batch_size=SCALE_BATCH)
        history = []
        for lead, path in zip(leads, paths, strict=True):
            for step, stage in enumerate(path):
                started = lead.created_at + datetime.timedelta(days=step)
                ended = started + datetime.timedelta(days=1) if step < len(path) - 1 else None
                history.append(LeadStageHistory(lead=lead, stage=stage, started_at=started, ended_at=ended))
        LeadStageHistory.objects.bulk_create(history, batch_size=SCALE_BATCH)
        done += size
    context.created["leads"] = n

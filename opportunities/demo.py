"""Demo opportunities: ~120 deals of the demo reps, created and moved through the sale process by its services and
then back-dated over the last twelve months so the pipeline and its analytics show real trends; or N at scale
with bulk inserts (stage histories included) for the benchmarks."""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass
from decimal import Decimal
from types import SimpleNamespace

from django.db import connection
from django.utils import timezone

from crm.core.money import quantize

from .models import NeedType, Opportunity, OpportunityProduct, OpportunityStage, StageHistory

ORDER = 40  # after the roles (5), accounts (10), products (15), contacts (20) and activities (30)

DEMO_COUNT = 120
MARKER = {"demo": "opportunities"}
SCALE_BATCH = 5000

TOPICS = [
    "laptop refresh",
    "CRM roll-out",
    "support renewal",
    "data centre upgrade",
    "training programme",
    "office network",
    "cloud migration",
    "security audit",
    "printer fleet",
    "analytics licences",
    "field tablets",
    "consulting retainer",
]

#: days a visit of each stage lasts (low, high): proposals wait longest, the demo's bottleneck
STAGE_DAYS = {
    "qualification": (2, 12),
    "presentation": (4, 18),
    "proposal": (7, 40),
    "contracting": (4, 20),
}
#: how a deal ends, by weight: still open, won, lost, rejected, rerouted
OUTCOMES = (("open", 40), ("won", 30), ("lost", 22), ("rejected", 5), ("rerouted", 3))


@dataclass
class Plan:
    """The life of one demo deal: its stage visits [(stage, started, ended or None)] and its closing date."""

    created: datetime.datetime
    visits: list[tuple[OpportunityStage, datetime.datetime, datetime.datetime | None]]
    close_date: datetime.date

    @property
    def stage(self) -> OpportunityStage:
        return self.visits[-1][0]

    @property
    def closed_on(self) -> datetime.date | None:
        return timezone.localdate(self.visits[-1][1]) if self.stage.is_final else None


def plan(rng: random.Random, stages: dict[str, OpportunityStage], now: datetime.datetime) -> Plan:
    """A believable path: created up to a year ago (an open deal within five months), through the open stages in
    order (now and then skipping one), lost or won on the way or still open; nothing in the future."""
    outcome = rng.choices([o for o, _ in OUTCOMES], weights=[w for _, w in OUTCOMES])[0]
    # deals still open are mostly young ones: a year-old deal is usually decided
    age = rng.uniform(0, 150 if outcome == "open" else 365)
    created = now - datetime.timedelta(days=age, hours=rng.uniform(0, 9))
    if outcome == "won":
        furthest = 3
    elif outcome == "open":
        furthest = rng.choices(range(4), weights=[4, 3, 3, 2])[0]
    else:
        furthest = rng.choices(range(4), weights=[4, 3, 3, 1])[0]
    path = [code for index, code in enumerate(STAGE_DAYS) if index <= furthest]
    if len(path) > 2 and rng.random() < 0.15:
        path.pop(1)  # straight from qualification to the proposal
    visits, started = [], created
    for index, code in enumerate(path):
        low, high = STAGE_DAYS[code]
        ended = started + datetime.timedelta(days=rng.uniform(low, high))
        last = index == len(path) - 1 and outcome == "open"
        if ended >= now or last:
            visits.append((stages[code], started, None))
            break
        visits.append((stages[code], started, ended))
        started = ended
    else:
        visits.append((stages[outcome], started, None))
    if visits[-1][0].is_final:
        close_date = timezone.localdate(visits[-1][1])
    else:
        close_date = timezone.localdate(now) + datetime.timedelta(days=rng.randint(-20, 180))
    return Plan(created=created, visits=visits, close_date=close_date)


def divisions_of(users) -> dict[int, object]:
    """Each user's sales unit: the department they are a member of, or the unit their management role manages."""
    from crm.access.models import Membership, Role

    found = {}
    memberships = Membership.objects.filter(user__in=users, role__kind__in=[*Role.UNIT_KINDS, Role.Kind.MANAGEMENT])
    for membership in memberships.select_related("role__parent").order_by("pk"):
        role = membership.role
        unit = role.parent if role.kind == Role.Kind.MANAGEMENT else role
        if unit is not None:
            found.setdefault(membership.user_id, unit)
    return found


def already_seeded(context) -> bool:
    return Opportunity.objects.filter(custom__demo=MARKER["demo"]).exists()


def seed(context) -> None:
    """~120 deals through the services (stage history, process tasks, managers told of the closes), then
    back-dated with queryset updates."""
    from accounts.models import Account
    from activities.demo import settle_process_tasks
    from products.models import Currency, Product

    from . import services

    rng = context.rng
    now = timezone.now()
    stages = {stage.code: stage for stage in OpportunityStage.objects.exclude(code="")}
    need_types = list(NeedType.objects.all())
    accounts = list(Account.objects.exclude(type__name="Our company").order_by("name")[:40])
    if not accounts or len(stages) < 8:
        return
    products = list(Product.objects.filter(is_inactive=False).select_related("currency", "tax", "unit"))
    base = Currency.objects.base()
    tax_included = OpportunityProduct._meta.get_field("tax_included").get_default()
    reps = context.sales_users
    units = divisions_of(reps)
    weights = [1 if rep.username == "manager" else 3 for rep in reps]
    created_ids = []
    for index in range(DEMO_COUNT):
        owner = rng.choices(reps, weights=weights)[0]
        account = accounts[index % len(accounts)]
        life = plan(rng, stages, now)
        lines = product_lines(rng, products, base=base, account=account, tax_included=tax_included)
        opportunity = services.create_opportunity(
            user=owner,
            data={
                "name": f"{account.name}: {TOPICS[index % len(TOPICS)]}",
                "account": account,
                "need_type": rng.choice(need_types),
                "owner": owner,
                "division": units.get(owner.pk),
                "close_date": life.close_date,
                "customer_kind": rng.choice(list(Opportunity.CustomerKind.values)),
            },
            lines=lines,
        )
        for stage, _, _ in life.visits[1:]:
            opportunity = services.move_to(
                user=owner, opportunity=opportunity, stage=stage, expected_version=opportunity.version
            )
        _back_date(opportunity, life)
        settle_process_tasks(opportunity, [(started, ended) for _, started, ended in life.visits], rng=rng, now=now)
        created_ids.append(opportunity.pk)
    Opportunity.objects.filter(pk__in=created_ids).update(custom=MARKER)
    context.created["opportunities"] = len(created_ids)


def product_lines(rng, products, *, base, account, tax_included, count: int | None = None) -> list:
    """One to three product lines a customer would buy, priced by the customer's price list (a demo deal's amount
    is the sum of its lines, never 0.00)."""
    from products.pricing import prices_for

    if not products:
        return []
    chosen = rng.sample(products, k=min(len(products), count or rng.randint(1, 3)))
    prices = prices_for(chosen, currency=base, customer_account=account)
    return [
        SimpleNamespace(
            product=product,
            quantity=Decimal(rng.choice([1, 2, 3, 5, 10, 20, 50])),
            unit=product.unit,
            price=prices[product.pk],
            discount_percent=Decimal(rng.choice([0, 0, 0, 5, 10])),
            tax=product.tax,
            tax_rate=product.tax.rate if product.tax else Decimal(0),
            tax_included=tax_included,
        )
        for product in chosen
    ]


def _back_date(opportunity: Opportunity, life: Plan) -> None:
    """Give the deal and its stage history the dates of its plan (the services stamped them all "now")."""
    history = list(StageHistory.objects.filter(opportunity=opportunity).order_by("started_at", "pk"))
    for row, (_, started, ended) in zip(history, life.visits, strict=False):
        row.started_at, row.ended_at = started, ended
    StageHistory.objects.bulk_update(history, ["started_at", "ended_at"])
    Opportunity.objects.filter(pk=opportunity.pk).update(
        created_at=life.created,
        modified_at=life.visits[-1][1],
        stage_started_at=life.visits[-1][1],
        closed_on=life.closed_on,
        close_date=life.close_date,
    )


def seed_scale(context, n: int) -> None:
    """N opportunities with their stage histories in bulk (no per-record services), spread like the demo's."""
    from accounts.models import Account
    from products.models import Currency

    rng = context.rng
    now = timezone.now()
    stages = {stage.code: stage for stage in OpportunityStage.objects.exclude(code="")}
    need_types = list(NeedType.objects.values_list("pk", flat=True))
    account_ids = list(Account.objects.order_by("pk").values_list("pk", flat=True)[:20000])
    if not account_ids or len(stages) < 8 or n <= 0:
        return
    base = Currency.objects.base()
    owners = context.sales_users
    units = divisions_of(owners)
    done = 0
    while done < n:
        size = min(SCALE_BATCH, n - done)
        plans = [plan(rng, stages, now) for _ in range(size)]
        records = []
        for offset, life in enumerate(plans):
            number = done + offset
            owner = owners[number % len(owners)]
            amount = quantize(Decimal(rng.randrange(500, 250_000)))
            stage = life.stage
            division = units.get(owner.pk)
            records.append(
                Opportunity(
                    name=f"{TOPICS[number % len(TOPICS)].capitalize()} {number + 1}",
                    account_id=account_ids[number % len(account_ids)],
                    stage=stage,
                    need_type_id=need_types[number % len(need_types)],
                    division_id=division.pk if division else None,
                    probability=stage.max_probability,
                    currency=base,
                    amount=amount,
                    amount_base=amount,
                    close_date=life.close_date,
                    closed_on=life.closed_on,
                    stage_started_at=life.visits[-1][1],
                    owner=owner,
                    created_by=owner,
                    modified_by=owner,
                    created_at=life.created,
                    modified_at=life.visits[-1][1],
                )
            )
        Opportunity.objects.bulk_create(records, batch_size=SCALE_BATCH)
        StageHistory.objects.bulk_create(
            [
                StageHistory(opportunity_id=record.pk, stage=stage, started_at=started, ended_at=ended)
                for record, life in zip(records, plans, strict=True)
                for stage, started, ended in life.visits
            ],
            batch_size=SCALE_BATCH,
        )
        done += size
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for table in ("opportunities_opportunity", "opportunities_stagehistory"):
                cursor.execute(f"ANALYZE {table}")  # noqa: S608 - constant table names
    context.created["opportunities"] = context.created.get("opportunities", 0) + n

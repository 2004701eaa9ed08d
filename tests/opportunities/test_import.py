"""Importing a pipeline exported from another CRM: its stage names find our stages (an import never adds one),
and the deals come in whole (closed on, a stage history dated from the file, the amount), so the pipeline
analytics over the imported years match the file; a rollback takes the history it made away with the deals."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from crm.imports import engine, services
from crm.imports.models import ImportJob
from opportunities import analytics
from opportunities import services as services_of_opportunities
from opportunities.forms import Period
from opportunities.models import Opportunity, OpportunityStage, StageHistory
from products.models import Currency
from tests.factories import AccountFactory
from tests.factories.opportunities import OpportunityFactory, stage
from tests.factories.products import ProductFactory
from tests.imports.conftest import csv_bytes, upload

pytestmark = pytest.mark.django_db

#: the columns of a Salesforce-like opportunities report, and the fields they go to
HEADER = ["Opportunity Name", "Account Name", "Stage", "Amount", "Close Date", "Created Date", "Type", "Currency"]
MAPPING = ["name", "account", "stage", "amount", "close_date", "created_at", "need_type", "currency"]


def deal(name, stage_name, amount="", close="", created="", account="Northwind Traders"):
    return [name, account, stage_name, amount, close, created, "Consulting", Currency.objects.base().code]


def import_pipeline(user, rows, *, create_lookups=False, keys=()):
    """Import the rows through the import engine as the import pages do; the finished job."""
    job = services.create_job(
        user=user, section_name="opportunities", upload=upload(csv_bytes([HEADER, *rows]), "p.csv")
    )
    mode = ImportJob.LookupMode.CREATE if create_lookups else ImportJob.LookupMode.REFUSE
    mapping = {str(index): name for index, name in enumerate(MAPPING)}
    services.configure(user=user, job=job, sheet="", mapping=mapping, keys=list(keys), lookup_mode=mode)
    services.start(user=user, job=job)
    return services.run(job.pk)


@pytest.fixture
def northwind(alice):
    return AccountFactory(owner=alice, name="Northwind Traders")


@pytest.mark.parametrize(
    ("theirs", "ours"),
    [
        ("Won", "won"),
        ("Closed Won", "won"),
        ("Closed - Won", "won"),
        ("closed lost", "lost"),
        ("Prospecting", "qualification"),
        ("Engaging", "qualification"),
        ("Appointment scheduled", "qualification"),
        ("Needs Analysis", "qualification"),
        ("Proposal/Price Quote", "proposal"),
        ("Negotiation/Review", "contracting"),
        ("Contract sent", "contracting"),
        ("Contracting", "contracting"),  # our own name still comes first
    ],
)
def test_stage_names_of_other_crms_find_our_nearest_stage(alice, northwind, theirs, ours):
    job = import_pipeline(alice, [deal("Laptops", theirs, "100")])

    assert (job.created_count, job.refused_count) == (1, 0)
    assert Opportunity.objects.get().stage.code == ours


def test_an_import_never_creates_a_stage_even_when_told_to_create_missing_values(alice, northwind):
    stages_before = OpportunityStage.objects.count()

    job = import_pipeline(alice, [deal("Laptops", "Frobnicating", "100")], create_lookups=True)

    assert (job.created_count, job.refused_count) == (0, 1)
    assert job.refused_rows.get().reason == (
        "Stage: There is no opportunity stage “Frobnicating” (new opportunity stages are added by an administrator)."
    )
    assert OpportunityStage.objects.count() == stages_before


def test_a_closed_deal_is_closed_on_the_files_closing_date_else_on_its_creation_date(alice, northwind):
    import_pipeline(
        alice,
        [
            deal("Dated", "Won", "100", close="2022-06-30", created="2022-01-10"),
            deal("Undated", "Lost", "100", created="2021-03-04"),
            deal("Open", "Negotiation", "100", close="2030-01-31", created="2024-05-01"),
        ],
    )

    closed_on = dict(Opportunity.objects.values_list("name", "closed_on"))
    assert closed_on == {"Dated": datetime.date(2022, 6, 30), "Undated": datetime.date(2021, 3, 4), "Open": None}


def test_a_closed_deal_without_dates_is_closed_today(alice, northwind):
    import_pipeline(alice, [deal("Laptops", "Won", "100")])

    assert Opportunity.objects.get().closed_on == timezone.localdate()


def test_an_imported_deal_has_one_stage_history_entry_dated_from_the_file(alice, northwind):
    import_pipeline(
        alice,
        [
            deal("Won deal", "Closed Won", "100", close="2022-06-30", created="2022-01-10"),
            deal("Open deal", "Prospecting", "100", close="2030-01-31", created="2024-05-01"),
        ],
    )

    def local(moment):
        return timezone.localtime(moment).replace(tzinfo=None)

    entries = [
        (e.opportunity.name, e.stage.code, local(e.started_at), e.ended_at, e.moved_by)
        for e in StageHistory.objects.select_related("opportunity", "stage").order_by("opportunity__name")
    ]
    assert entries == [
        ("Open deal", "qualification", datetime.datetime(2024, 5, 1), None, alice),
        ("Won deal", "won", datetime.datetime(2022, 6, 30), None, alice),
    ]
    opportunity = Opportunity.objects.get(name="Won deal")
    assert local(opportunity.stage_started_at) == datetime.datetime(2022, 6, 30)
    assert local(opportunity.created_at) == datetime.datetime(2022, 1, 10)


def test_an_imported_deal_keeps_its_amount_and_takes_the_probability_of_its_stage(alice, northwind):
    import_pipeline(alice, [deal("Laptops", "Negotiation", "12,500.50", close="2030-01-31")])

    opportunity = Opportunity.objects.get()
    assert (opportunity.amount, opportunity.amount_base) == (Decimal("12500.50"), Decimal("12500.50"))
    assert opportunity.probability == stage("contracting").max_probability


def test_reimporting_a_deal_with_product_lines_keeps_the_amount_of_its_lines(alice, northwind):
    opportunity = OpportunityFactory(owner=alice, name="Laptops", account=northwind, amount=Decimal("300.00"))
    product = ProductFactory(owner=alice)
    opportunity.lines.create(product=product, unit=product.unit, price=Decimal("300.00"), total=Decimal("300.00"))

    job = import_pipeline(alice, [deal("Laptops", opportunity.stage.name, "999")], keys=["name"])

    assert job.updated_count == 1
    opportunity.refresh_from_db()
    assert (opportunity.amount, opportunity.amount_base) == (Decimal("300.00"), Decimal("300.00"))


def test_reimporting_a_deal_at_another_stage_moves_it_in_its_history(alice, northwind, make_opportunity):
    opportunity = make_opportunity(alice, name="Laptops", account=northwind)

    import_pipeline(alice, [deal("Laptops", "Closed Won", "500", close="2026-01-15")], keys=["name"])

    entries = [
        (code, ended is None) for code, ended in opportunity.stage_history.values_list("stage__code", "ended_at")
    ]
    assert entries == [("qualification", False), ("won", True)]
    opportunity.refresh_from_db()
    assert (opportunity.closed_on, opportunity.amount) == (datetime.date(2026, 1, 15), Decimal("500.00"))


#: three years of another CRM's pipeline: (stage, amount, closing date, created date)
HISTORY = [
    ("Won", "1000", "2022-03-15", "2022-01-05"),
    ("Won", "2500.50", "2022-11-30", "2022-06-01"),
    ("Lost", "4000", "2022-08-01", "2022-02-01"),
    ("Closed Won", "700", "2023-02-28", "2022-12-01"),
    ("Closed Lost", "300", "2023-05-05", "2023-01-10"),
    ("Closed Lost", "200", "2023-09-09", "2023-03-03"),
    ("Lost", "900", "2024-04-04", "2024-01-01"),
    ("Negotiation", "5000", "2030-06-30", "2024-02-02"),
]


def test_the_pipeline_analytics_over_an_imported_history_match_the_file(alice, northwind):
    rows = [deal(f"Deal {n}", *fields) for n, fields in enumerate(HISTORY, 1)]
    job = import_pipeline(alice, rows)
    assert (job.created_count, job.refused_count) == (len(HISTORY), 0)

    def year(number):
        return analytics.win_rate(
            Opportunity.objects.all(), Period(datetime.date(number, 1, 1), datetime.date(number + 1, 1, 1))
        )

    figures = {
        number: (rate.closed, rate.won, rate.won_amount, rate.closed_amount, rate.by_count)
        for number, rate in ((n, year(n)) for n in (2022, 2023, 2024))
    }
    assert figures == {
        2022: (3, 2, Decimal("3500.50"), Decimal("7500.50"), Decimal("66.7")),
        2023: (3, 1, Decimal("700.00"), Decimal("1200.00"), Decimal("33.3")),
        2024: (1, 0, Decimal("0.00"), Decimal("900.00"), Decimal("0.0")),
    }
    started_2022 = analytics.funnel(
        Opportunity.objects.all(), Period(datetime.date(2022, 1, 1), datetime.date(2023, 1, 1))
    )
    won_row = next(row for row in started_2022 if row.stage.code == "won")
    assert (started_2022.started, won_row.count) == (4, 3)
    forecast = analytics.forecast_by_month(Opportunity.objects.all(), datetime.date(2022, 1, 1), months=12)
    assert sum(month.won for month in forecast) == Decimal("3500.50")


def test_rolling_back_the_import_removes_its_deals_and_their_history_and_nothing_else(
    alice, northwind, make_opportunity
):
    kept = make_opportunity(alice, name="Made by hand", account=northwind)
    job = import_pipeline(alice, [deal(f"Deal {n}", *fields) for n, fields in enumerate(HISTORY, 1)])
    assert StageHistory.objects.count() == 1 + len(HISTORY)

    engine.rollback(user=alice, job=job)

    assert list(Opportunity.objects.all()) == [kept]
    assert list(StageHistory.objects.values_list("opportunity", flat=True)) == [kept.pk]


def test_the_import_hook_queries_do_not_grow_with_the_rows(alice, northwind):
    """The after_import hook alone (the engine's model check before it still reads each new deal's stage)."""

    def queries(count):
        created = [
            OpportunityFactory(owner=alice, account=northwind, stage=stage("won"), amount=Decimal(10))
            for _ in range(count)
        ]
        with CaptureQueriesContext(connection) as captured:
            services_of_opportunities.opportunities_imported(user=alice, created=created, updated=created[:2])
        return len(captured)

    # the stages, the rates (2), the lines and open entries of the updated, ending the moved, one bulk update
    # and one bulk insert
    queries(1)  # the process's caches (content types, rates) filled once, as in a running worker
    assert queries(40) == queries(4) <= 9

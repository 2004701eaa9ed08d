"""Pipeline analytics from a small hand-built history (stage visits with chosen dates): the funnel of the
opportunities started in 2025, conversions, days per stage and the bottleneck, the win rate, the weighted forecast,
two pipelines compared, and a rep under record rights counting only what they may see.

The year 2025 at a glance (all alice's but G, bob's):
    A  created Jan 10  Qualification 10 d, Presentation 20 d, Proposal 20 d, Contracting 10 d, won Mar 11  1,000.00
    B  created Feb 1   Qualification 10 d, Presentation 20 d, lost Mar 3                                        500.00
    C  created Nov 20  Qualification 11 d, at Proposal since Dec 1 (60 %, closing Feb 15 2026)             2,000.00
    D  created Dec 1   at Qualification since Dec 1 (20 %, closing Jan 20 2026)                              412.35
    E  created Dec 20  Qualification 16 d, Presentation from Jan 5 2026 (40 %, closing Feb 10 2026)           333.33
    F  created 2024    Qualification until Jan 15, won Jan 15                                                  700.00
    G  created May 1   Qualification 10 d, at Contracting since May 11 (90 %, closing Jan 31 2026), bob's   9,000.00
"""

import datetime
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from crm.access.models import Membership
from opportunities import analytics, selectors
from opportunities.forms import Period
from opportunities.models import Opportunity, StageHistory
from tests.factories.opportunities import OpportunityFactory, stage

YEAR = Period(datetime.date(2025, 1, 1), datetime.date(2026, 1, 1))
NOW = timezone.make_aware(datetime.datetime(2025, 12, 31, 12))


def at(year, month, day) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(year, month, day, 12))


def opportunity(owner, created, visits, *, amount, probability=0, close_date=None, closed_on=None, division=None):
    """An opportunity with its stage visits [(stage code, started, ended or None)]; it is at the last one."""
    record = OpportunityFactory(
        owner=owner,
        stage=stage(visits[-1][0]),
        amount=Decimal(amount),
        amount_base=Decimal(amount),
        probability=probability,
        close_date=close_date,
        closed_on=closed_on,
        division=division,
    )
    Opportunity.objects.filter(pk=record.pk).update(created_at=created)
    StageHistory.objects.bulk_create(
        [StageHistory(opportunity=record, stage=stage(code), started_at=s, ended_at=e) for code, s, e in visits]
    )
    return record


@pytest.fixture
def year(alice, bob, role_tree):
    Membership.objects.create(user=alice, role=role_tree.team_a)
    Membership.objects.create(user=bob, role=role_tree.team_b)
    team_a, team_b = role_tree.team_a, role_tree.team_b
    d = at
    return {
        "A": opportunity(
            alice,
            d(2025, 1, 10),
            [
                ("qualification", d(2025, 1, 10), d(2025, 1, 20)),
                ("presentation", d(2025, 1, 20), d(2025, 2, 9)),
                ("proposal", d(2025, 2, 9), d(2025, 3, 1)),
                ("contracting", d(2025, 3, 1), d(2025, 3, 11)),
                ("won", d(2025, 3, 11), None),
            ],
            amount="1000.00",
            probability=100,
            closed_on=datetime.date(2025, 3, 11),
            division=team_a,
        ),
        "B": opportunity(
            alice,
            d(2025, 2, 1),
            [
                ("qualification", d(2025, 2, 1), d(2025, 2, 11)),
                ("presentation", d(2025, 2, 11), d(2025, 3, 3)),
                ("lost", d(2025, 3, 3), None),
            ],
            amount="500.00",
            closed_on=datetime.date(2025, 3, 3),
            division=team_a,
        ),
        "C": opportunity(
            alice,
            d(2025, 11, 20),
            [("qualification", d(2025, 11, 20), d(2025, 12, 1)), ("proposal", d(2025, 12, 1), None)],
            amount="2000.00",
            probability=60,
            close_date=datetime.date(2026, 2, 15),
            division=team_a,
        ),
        "D": opportunity(
            alice,
            d(2025, 12, 1),
            [("qualification", d(2025, 12, 1), None)],
            amount="412.35",
            probability=20,
            close_date=datetime.date(2026, 1, 20),
            division=team_a,
        ),
        "E": opportunity(
            alice,
            d(2025, 12, 20),
            [("qualification", d(2025, 12, 20), d(2026, 1, 5)), ("presentation", d(2026, 1, 5), None)],
            amount="333.33",
            probability=40,
            close_date=datetime.date(2026, 2, 10),
            division=team_a,
        ),
        "F": opportunity(
            alice,
            d(2024, 11, 1),
            [("qualification", d(2024, 11, 1), d(2025, 1, 15)), ("won", d(2025, 1, 15), None)],
            amount="700.00",
            probability=100,
            closed_on=datetime.date(2025, 1, 15),
            division=team_a,
        ),
        "G": opportunity(
            bob,
            d(2025, 5, 1),
            [("qualification", d(2025, 5, 1), d(2025, 5, 11)), ("contracting", d(2025, 5, 11), None)],
            amount="9000.00",
            probability=90,
            close_date=datetime.date(2026, 1, 31),
            division=team_b,
        ),
    }


def funnel_table(funnel) -> list[tuple]:
    return [(row.stage.code, row.count, row.reached, row.stage_conversion, row.from_first) for row in funnel]


def test_the_funnel_counts_the_furthest_stage_reached_by_the_end_of_the_period(year):
    funnel = analytics.funnel(Opportunity.objects.all(), YEAR)

    assert funnel.started == 6  # A B C D E G; F started in 2024
    assert funnel_table(funnel) == [
        # E reached Presentation only in 2026: at the end of 2025 it was furthest at Qualification
        ("qualification", 2, 6, None, Decimal("100.0")),
        ("presentation", 1, 4, Decimal("66.7"), Decimal("66.7")),
        # G skipped Presentation and Proposal: it passed them on its way to Contracting
        ("proposal", 1, 3, Decimal("75.0"), Decimal("50.0")),
        ("contracting", 1, 2, Decimal("66.7"), Decimal("33.3")),
        ("won", 1, 1, Decimal("50.0"), Decimal("16.7")),
    ]


def test_an_opportunity_without_history_counts_at_its_current_stage(alice):
    record = OpportunityFactory(owner=alice, stage=stage("proposal"))
    Opportunity.objects.filter(pk=record.pk).update(created_at=at(2025, 6, 1))

    funnel = analytics.funnel(Opportunity.objects.all(), YEAR)

    assert [(row.stage.code, row.count) for row in funnel] == [
        ("qualification", 0),
        ("presentation", 0),
        ("proposal", 1),
        ("contracting", 0),
        ("won", 0),
    ]


def test_average_days_per_stage_show_the_bottleneck(year):
    times = analytics.days_per_stage(Opportunity.objects.all(), YEAR, now=NOW)

    assert [(t.stage.code, t.visits, t.average_days, t.is_bottleneck) for t in times] == [
        # A 10, B 10, C 11, D 30 (open until now), E 16, G 10
        ("qualification", 6, Decimal("14.5"), False),
        ("presentation", 2, Decimal("20.0"), False),  # A 20, B 20; E's visit began in 2026
        ("proposal", 2, Decimal("25.0"), False),  # A 20, C 30 (open)
        ("contracting", 2, Decimal("122.0"), True),  # A 10, G 234 (open since May 11)
    ]


def test_the_win_rate_counts_what_closed_in_the_period_by_count_and_by_amount(year):
    rate = analytics.win_rate(Opportunity.objects.all(), YEAR)

    assert (rate.closed, rate.won) == (3, 2)  # A won, B lost, F won
    assert (rate.closed_amount, rate.won_amount) == (Decimal("2200.00"), Decimal("1700.00"))
    assert (rate.by_count, rate.by_amount) == (Decimal("66.7"), Decimal("77.3"))


def test_the_forecast_weighs_open_opportunities_by_their_closing_month(year):
    months = analytics.forecast_by_month(Opportunity.objects.all(), datetime.date(2025, 12, 15), 3)

    assert [(m.month, m.open_count, m.pipeline, m.weighted, m.won) for m in months] == [
        (datetime.date(2025, 12, 1), 0, Decimal("0.00"), Decimal("0.00"), Decimal("0.00")),
        # D 412.35 × 20 % + G 9,000 × 90 %
        (datetime.date(2026, 1, 1), 2, Decimal("9412.35"), Decimal("8182.47"), Decimal("0.00")),
        # C 2,000 × 60 % + E 333.33 × 40 %
        (datetime.date(2026, 2, 1), 2, Decimal("2333.33"), Decimal("1333.33"), Decimal("0.00")),
    ]


def test_the_forecast_shows_what_was_won_each_month(year):
    months = analytics.forecast_by_month(Opportunity.objects.all(), datetime.date(2025, 1, 1), 12)

    won = {m.month.month: m.won for m in months if m.won}
    assert won == {1: Decimal("700.00"), 3: Decimal("1000.00")}


def test_two_owners_compared_side_by_side(year, alice, bob):
    mine = selectors.filtered(Opportunity.objects.all(), owner_id=alice.pk)
    bobs = selectors.filtered(Opportunity.objects.all(), owner_id=bob.pk)

    started, rows = analytics.compare([mine, bobs], YEAR)

    assert started == [5, 1]
    assert [(row.stage.code, row.reached, row.conversions) for row in rows] == [
        ("qualification", [5, 1], [Decimal("100.0"), Decimal("100.0")]),
        ("presentation", [3, 1], [Decimal("60.0"), Decimal("100.0")]),
        ("proposal", [2, 1], [Decimal("40.0"), Decimal("100.0")]),
        ("contracting", [1, 1], [Decimal("20.0"), Decimal("100.0")]),
        ("won", [1, 0], [Decimal("20.0"), Decimal("0.0")]),
    ]


def test_a_division_counts_the_units_below_it(year, role_tree):
    everyone = Opportunity.objects.all()

    sales = analytics.funnel(selectors.filtered(everyone, division_id=role_tree.sales.pk), YEAR)
    team_b = analytics.funnel(selectors.filtered(everyone, division_id=role_tree.team_b.pk), YEAR)

    assert (sales.started, team_b.started) == (6, 1)


def figures(response, table_id: str, figure: str) -> list[str]:
    html = response.content.decode()
    table = re.search(rf'id="{table_id}".*?</table>', html, re.S).group(0)
    return re.findall(rf'data-figure="{figure}">([^<]*)<', table)


ANALYTICS = reverse("opportunities:analytics")
YEAR_2025 = {"period": "custom", "start": "2025-01-01", "end": "2025-12-31"}


def test_the_page_shows_the_funnel_win_rate_and_charts_data(client, ada, year):
    client.force_login(ada)

    response = client.get(ANALYTICS, YEAR_2025)

    assert response.status_code == 200
    assert figures(response, "funnel-table", "reached") == ["6", "4", "3", "2", "1"]
    assert figures(response, "funnel-table", "from-first") == ["100.0 %", "66.7 %", "50.0 %", "33.3 %", "16.7 %"]
    html = response.content.decode()
    assert re.search(r'data-figure="by-count">66.7 %<', html)
    assert re.search(r'data-figure="won-amount">1,700.00<', html)
    assert '<script id="pipeline-data" type="application/json">' in html
    assert re.search(r'class="table-warning bottleneck">\s*<th[^>]*>Contracting', html)


def test_the_page_compares_the_two_chosen_pipelines(client, ada, alice, bob, year):
    client.force_login(ada)

    response = client.get(ANALYTICS, {**YEAR_2025, "compare_a": f"user-{alice.pk}", "compare_b": f"user-{bob.pk}"})

    assert figures(response, "comparison-table", "started") == ["5", "1"]
    assert figures(response, "comparison-table", "reached")[:2] == ["5", "1"]


def test_the_page_defaults_to_this_year_and_survives_bad_filters(alice_client):
    response = alice_client.get(ANALYTICS, {"period": "nonsense", "owner": "x", "compare_a": "user-abc"})

    assert response.status_code == 200
    this_year = timezone.localdate().year
    assert f"01 Jan {this_year} – 31 Dec {this_year}" in response.content.decode()


def test_a_rep_under_record_rights_counts_and_sums_only_their_own(client, alice, year, only_owners_read_records):
    client.force_login(alice)

    response = client.get(ANALYTICS, YEAR_2025)
    by_bob = client.get(ANALYTICS, {**YEAR_2025, "owner": str(year["G"].owner_id)})

    # bob's G is neither counted in the funnel nor summed in the forecast
    assert figures(response, "funnel-table", "reached") == ["5", "3", "2", "1", "1"]
    assert "8,182.47" not in response.content.decode()
    assert "82.47" in figures(response, "forecast-table", "weighted")  # D, in January 2026
    assert figures(by_bob, "funnel-table", "reached") == ["0", "0", "0", "0", "0"]

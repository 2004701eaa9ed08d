"""One set of filters decides how money, numbers and dates look: the language's separators, thousands always
grouped, money always to the cent."""

import datetime
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import timezone, translation

from crm.core import formats


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (Decimal("1349"), "1,349.00"),
        (Decimal("1349.005"), "1,349.01"),
        (Decimal("-1234567.125"), "-1,234,567.13"),
        (12500, "12,500.00"),
        (Decimal("0"), "0.00"),
        (None, ""),
    ],
)
def test_money_is_grouped_and_to_the_cent(value, shown):
    assert formats.money(value) == shown


@pytest.mark.parametrize(
    ("value", "places", "shown"),
    [(Decimal("2.500"), None, "2.5"), (Decimal("12000.000"), None, "12,000"), (Decimal("1.5"), 2, "1.50")],
)
def test_numbers_drop_trailing_zeros_unless_places_are_given(value, places, shown):
    assert formats.number(value, places) == shown


def test_dates_and_moments_use_the_short_patterns_of_the_language_in_local_time(settings):
    settings.TIME_ZONE = "Europe/Berlin"
    moment = datetime.datetime(2026, 3, 4, 23, 30, tzinfo=datetime.UTC)  # 5 March, 00:30 in Berlin

    assert formats.short_date(datetime.date(2026, 3, 4)) == "03/04/2026"
    assert formats.short_date(moment) == "03/05/2026"
    assert formats.short_datetime(moment) == "03/05/2026 12:30 a.m."
    assert formats.short_time(moment) == "12:30 a.m."


def test_the_language_decides_the_separators():
    with translation.override("de"):
        assert formats.money(Decimal("1349")) == "1.349,00"
        assert formats.short_date(datetime.date(2026, 3, 4)) == "04.03.2026"
        assert formats.short_time(datetime.datetime(2026, 3, 4, 14, 5)) == "14:05"


def test_every_template_has_the_filters_without_loading_them():
    template = Template("{{ amount|money }} · {{ quantity|number }} · {{ day|short_date }}")
    context = Context({"amount": Decimal("1349"), "quantity": Decimal("3.000"), "day": datetime.date(2026, 3, 4)})

    assert template.render(context) == "1,349.00 · 3 · 03/04/2026"


def test_how_long_ago_says_just_now_under_a_minute_and_never_zero_minutes():
    now = timezone.now()
    assert formats.ago(now - datetime.timedelta(seconds=20)) == "just now"
    assert formats.ago(now - datetime.timedelta(hours=3, minutes=5)) == "3\xa0hours, 5\xa0minutes ago"
    assert formats.ago(None) == ""
    rendered = Template("{{ moment|ago }}").render(Context({"moment": now - datetime.timedelta(seconds=5)}))
    assert rendered == "just now"

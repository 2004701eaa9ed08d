"""The demo company looks like a working one: a year of activity behind it and a few weeks ahead, deals worth what
their products cost, invoices across the months and a handful of messages in each bell. One seeding (it takes
seconds) serves every assertion."""

import datetime

from django.db.models import Count
from django.db.models.functions import TruncDate
from django.utils import timezone

from activities.models import Activity
from crm.core.demo import NOTIFICATIONS_KEPT
from crm.core.models import Notification
from invoices.models import Invoice
from opportunities.models import Opportunity


def test_the_demo_data_is_spread_over_past_and_coming_months_as_a_real_companys(seeded_demo):
    now = timezone.now()
    today = timezone.localdate()

    activities = Activity.objects.all()
    per_day = activities.annotate(day=TruncDate("start")).values("day").annotate(n=Count("id"))
    assert per_day.count() >= 120  # working days over half a year, not a pile on the seed day
    assert max(row["n"] for row in per_day) <= 3 * 25  # the busiest day: at most ~25 items for each of the reps
    past, coming = activities.filter(start__lt=now), activities.filter(start__gte=now)
    assert past.filter(status=Activity.Status.COMPLETED).count() >= 0.8 * past.count()
    assert coming.count() >= 30 and coming.count() <= 0.3 * activities.count()
    assert not activities.filter(status=Activity.Status.CANCELED, process_task__gt="").exists()
    longest = max((a.due - a.start for a in activities.only("start", "due")), default=datetime.timedelta(0))
    assert longest <= datetime.timedelta(hours=8)  # nothing spans days on the calendar

    won = Opportunity.objects.won()
    assert won.count() >= 10
    assert not won.filter(amount=0).exists()
    assert won.values("closed_on").distinct().count() >= 10

    invoice_months = {(d.year, d.month) for d in Invoice.objects.values_list("date", flat=True)}
    assert len(invoice_months) >= 6
    assert not Invoice.objects.filter(date__gt=today).exists()

    for username in ("admin", "manager", "alice", "bob"):
        assert Notification.objects.filter(recipient__username=username).count() <= NOTIFICATIONS_KEPT, username

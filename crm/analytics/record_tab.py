"""Dashboards on record pages: a section's records get a Dashboards tab once a dashboard is placed there (an
account: its opportunities won per year, its open invoices); each tile reads the rows that point at the record."""

from __future__ import annotations

from django.core.cache import cache
from django.shortcuts import render

from crm.sections.registry import RecordTab, register_record_tab

PLACES_KEY = "crm.analytics:record-places"


def record_places() -> frozenset[str]:
    """The sections whose record pages carry a dashboard (cached; saving a dashboard forgets it)."""
    places = cache.get(PLACES_KEY)
    if places is None:
        from .models import Dashboard

        names = Dashboard.objects.filter(place__startswith="record:").values_list("place", flat=True)
        places = frozenset(name.split(":", 1)[1] for name in names)
        cache.set(PLACES_KEY, places, 300)
    return places


def forget_places() -> None:
    cache.delete(PLACES_KEY)


def dashboards_tab(request, section, record):
    from . import selectors
    from .views import grid_context

    dashboards = list(selectors.visible_dashboards(request.user, f"record:{section.name}"))
    grids = [
        grid_context(request.user, dashboard, page_query=f"record={section.name}:{record.pk}")
        for dashboard in dashboards
    ]
    return render(request, "analytics/_record_dashboards.html", {"grids": grids, "record": record})


register_record_tab(
    RecordTab(
        name="dashboards",
        title="Dashboards",
        view=dashboards_tab,
        position=80,
        applies_to=lambda section: section.name in record_places(),
    )
)

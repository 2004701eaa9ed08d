"""Demo dashboards: the sales managers' home dashboard (team pipeline, forecast by month, win rate, goals), the
reps' (my pipeline, my activities this week, my overdue tasks, my goals), and the dashboards sections place on
their lists and record pages; and the demo goals. This module knows no section: the section apps say what goes
on them in their `tiles` modules (`demo_tiles(context)` and `demo_goals(context)`), and it builds the dashboards
through the services, as the administrator."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from importlib import import_module

from django.apps import apps
from django.utils.module_loading import module_has_submodule

from crm.access.models import Role

from . import services
from .models import Dashboard, Goal

ORDER = 97  # after every section's demo records

#: the home dashboards of the sales managers and of the reps
MANAGERS = "Sales manager"
REPS = "Sales rep"
NAME = MANAGERS


@dataclass(frozen=True)
class DemoTiles:
    """Tiles a section app puts on a demo dashboard: MANAGERS' or REPS' home dashboard, or a dashboard of another
    name, company-wide, at `place` (`section:<name>`: a list's Dashboards view; `record:<name>`: a record page).
    Each tile is (kind, width, height, settings); the dashboards take them in `position` order."""

    dashboard: str
    tiles: Sequence[tuple[str, int, int, dict]]
    position: int = 50
    place: str = ""


def already_seeded(context) -> bool:
    return Dashboard.objects.filter(name=NAME).exists()


def contributions(context, hook: str) -> list:
    """What every app's `tiles` module answers to `hook(context)` (an app without the hook gives nothing)."""
    found = []
    for config in apps.get_app_configs():
        if not module_has_submodule(config.module, "tiles"):
            continue
        function = getattr(import_module(f"{config.name}.tiles"), hook, None)
        if function is not None:
            found.extend(function(context))
    return found


def _tiles(user, dashboard, specs) -> None:
    tab = dashboard.tabs.first()
    placed = []
    for kind, width, height, data in specs:
        tile = services.save_tile(user=user, tab=tab, kind_name=kind, data=data)
        placed.append({"id": tile.pk, "w": width, "h": height})
    # row by row, left to right, as a 12-column grid fills
    x = y = row_height = 0
    for item in placed:
        if x + item["w"] > 12:
            x, y, row_height = 0, y + row_height, 0
        item.update(x=x, y=y)
        x += item["w"]
        row_height = max(row_height, item["h"])
    services.save_layout(user=user, tab=tab, items=placed)


def _home_roles() -> dict[str, list[int]]:
    """The roles whose home page shows each home dashboard: the demo company's sales managers and sales teams."""
    managers = Role.objects.filter(kind=Role.Kind.MANAGEMENT, name="Sales managers").values_list("pk", flat=True)
    reps = Role.objects.filter(name__in=["Sales team A", "Sales team B"]).order_by("pk").values_list("pk", flat=True)
    return {MANAGERS: list(managers[:1]), REPS: list(reps)}


def seed(context) -> None:
    admin = context.users["admin"]
    offered = sorted(contributions(context, "demo_tiles"), key=lambda entry: entry.position)
    home = _home_roles()
    for name in dict.fromkeys(entry.dashboard for entry in offered):
        entries = [entry for entry in offered if entry.dashboard == name]
        if name in home:
            roles = home[name]
            data = {"name": name, "sharing": "roles" if roles else "company", "roles": roles, "home_roles": roles}
        else:
            data = {"name": name, "sharing": "company"}
            place = next((entry.place for entry in entries if entry.place), "")
            if place:
                data["place"] = place
        dashboard = services.save_dashboard(user=admin, data=data)
        _tiles(admin, dashboard, [tile for entry in entries for tile in entry.tiles])
    for goal in contributions(context, "demo_goals"):
        Goal.objects.create(created_by=admin, **goal)
    context.created["dashboards"] = Dashboard.objects.count()


def seed_scale(context, n: int) -> None:
    """Nothing at scale: the dashboards are the same at any size."""

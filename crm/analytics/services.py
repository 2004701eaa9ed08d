"""Writes of dashboards, tabs, tiles, layouts and goals. Each authorises first, validates through the kind's form
(so a crafted setting is refused here whatever posted it) and writes in one transaction."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max

from crm import access

from . import kinds
from .forms import DashboardForm, GoalForm
from .models import Dashboard, DashboardTab, Goal, Tile
from .record_tab import forget_places
from .selectors import may_change

GRID_COLUMNS = 12


def _require_change(user, dashboard: Dashboard) -> None:
    if not may_change(user, dashboard):
        raise PermissionDenied("Changing this dashboard needs the “analytics setup” right.")


def _errors(form) -> ValidationError:
    messages = [
        f"{form.fields[name].label or name}: {' '.join(errors)}" if name != "__all__" else " ".join(errors)
        for name, errors in form.errors.items()
    ]
    return ValidationError(messages)


@transaction.atomic
def save_dashboard(*, user, data, dashboard: Dashboard | None = None) -> Dashboard:
    if dashboard is not None:
        _require_change(user, dashboard)
    form = DashboardForm(data, instance=dashboard, user=user)
    if not form.is_valid():
        raise _errors(form)
    created = dashboard is None
    dashboard = form.save(commit=False)
    if created:
        dashboard.owner = user
    dashboard.save()
    form.save_m2m()
    forget_places()
    if created:
        DashboardTab.objects.create(dashboard=dashboard, title="Overview")
    return dashboard


@transaction.atomic
def delete_dashboard(*, user, dashboard: Dashboard) -> None:
    _require_change(user, dashboard)
    dashboard.delete()
    forget_places()


@transaction.atomic
def add_tab(*, user, dashboard: Dashboard, title: str) -> DashboardTab:
    _require_change(user, dashboard)
    title = (title or "").strip()[:100]
    if not title:
        raise ValidationError("Name the tab.")
    position = (dashboard.tabs.aggregate(last=Max("position"))["last"] or 0) + 1
    return DashboardTab.objects.create(dashboard=dashboard, title=title, position=position)


@transaction.atomic
def delete_tab(*, user, tab: DashboardTab) -> None:
    _require_change(user, tab.dashboard)
    if tab.dashboard.tabs.count() <= 1:
        raise ValidationError("A dashboard keeps at least one tab.")
    tab.delete()


def tile_form(kind: kinds.TileKind, *, user, data=None, tile: Tile | None = None, initial=None):
    initial = dict(initial or {})
    if tile is not None:
        initial = {"title": tile.title, **tile.settings}
    return kind.form(data, user=user, initial=initial)


@transaction.atomic
def save_tile(*, user, tab: DashboardTab, kind_name: str, data, tile: Tile | None = None) -> Tile:
    """Create or change a tile; its settings are what the kind's form accepts from `user`."""
    _require_change(user, tab.dashboard)
    kind = kinds.get(kind_name)
    if kind is None or (kind.available is not None and not kind.available(user)):
        raise ValidationError(f"Unknown tile kind “{kind_name}”.")
    form = tile_form(kind, user=user, data=data, tile=tile)
    if not form.is_valid():
        raise _errors(form)
    if tile is None:
        bottom = max((t.y + t.height for t in tab.tiles.all()), default=0)
        width, height = kind.default_size
        tile = Tile(tab=tab, kind=kind.name, x=0, y=bottom, width=width, height=height)
    tile.title = form.cleaned_data["title"]
    tile.settings = form.settings()
    tile.save()
    return tile


@transaction.atomic
def delete_tile(*, user, tile: Tile) -> None:
    _require_change(user, tile.tab.dashboard)
    tile.delete()


@transaction.atomic
def save_layout(*, user, tab: DashboardTab, items: list) -> int:
    """Place the tab's tiles: [{"id", "x", "y", "w", "h"}] as the grid reports them after a drag or resize."""
    _require_change(user, tab.dashboard)
    tiles = {tile.pk: tile for tile in tab.tiles.all()}
    changed = []
    for item in items if isinstance(items, list) else []:
        try:
            pk, x, y, width, height = (int(item[key]) for key in ("id", "x", "y", "w", "h"))
        except (KeyError, TypeError, ValueError):
            raise ValidationError("The layout is not understood.") from None
        tile = tiles.get(pk)
        if tile is None:
            continue
        width = max(1, min(GRID_COLUMNS, width))
        tile.x, tile.y = max(0, min(GRID_COLUMNS - width, x)), max(0, min(500, y))
        tile.width, tile.height = width, max(1, min(24, height))
        changed.append(tile)
    Tile.objects.bulk_update(changed, ["x", "y", "width", "height"])
    return len(changed)


@transaction.atomic
def save_goal(*, user, data, goal: Goal | None = None) -> Goal:
    if not access.can(user, "analytics_setup"):
        raise PermissionDenied("Setting goals needs the “analytics setup” right.")
    form = GoalForm(data, instance=goal, user=user)
    if not form.is_valid():
        raise _errors(form)
    goal = form.save(commit=False)
    if goal.created_by_id is None:
        goal.created_by = user
    goal.save()
    return goal


@transaction.atomic
def delete_goal(*, user, goal: Goal) -> None:
    if not access.can(user, "analytics_setup"):
        raise PermissionDenied("Setting goals needs the “analytics setup” right.")
    goal.delete()

"""The Dashboards pages: a dashboard's tabs and grid, the tile editor, each tile's figures (loaded by htmx on its
own), its .xlsx download, the layout the grid posts after a drag or resize, and the goals."""

from __future__ import annotations

import json
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, JsonResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.http import require_GET, require_POST

from crm import access
from crm.sections import registry
from crm.sections.export import xlsx_bytes

from . import kinds, selectors, services
from . import render as tiles
from .forms import DashboardForm, GoalForm
from .kinds import TileRequest
from .models import Dashboard, Goal

#: the query parameters of a tile's URL that say which page it is on; the rest are that page's list filters
PAGE_PARAMETERS = ("on", "record")


# --- where a grid is shown -------------------------------------------------------------------------------------------


def grid_context(user, dashboard: Dashboard, *, tab_pk=None, page_query: str = "") -> dict:
    """What templates/analytics/_grid.html needs: the tab shown, its tiles, who may arrange them, and the query
    string each tile's URL carries (the page it is on)."""
    tabs = list(dashboard.tabs.all())
    tab = next((t for t in tabs if str(t.pk) == str(tab_pk)), tabs[0] if tabs else None)
    tiles_of_tab = list(tab.tiles.all()) if tab else []
    return {
        "dashboard": dashboard,
        "tabs": tabs,
        "tab": tab,
        "tiles": tiles_of_tab,
        "editable": selectors.may_change(user, dashboard),
        "page_query": page_query,
        "kinds": kinds.all_kinds(user),
    }


def tile_request(request, tile) -> TileRequest:
    """The viewer and the page a tile is computed for, from its URL: ?on=<section>&<the list's filters> for a
    section's Dashboards view, ?record=<section>:<pk> for a record page."""
    params = request.GET
    page_section, page_params, record = "", None, None
    if params.get("on"):
        page_section = params["on"]
        page_params = QueryDict(mutable=True)
        for key, values in params.lists():
            if key not in PAGE_PARAMETERS:
                page_params.setlist(key, values)
    if params.get("record"):
        name, _, pk = params["record"].partition(":")
        try:
            section = registry.get(name)
        except KeyError:
            raise Http404("No such record.") from None
        if not pk.isdigit():
            raise Http404("No such record.")
        record = access.get_object_or_404(request.user, section.model, "read", pk=int(pk))
    return TileRequest(
        settings=tile.settings,
        viewer=request.user,
        title=tile.title,
        page_section=page_section,
        page_params=page_params,
        record=record,
    )


# --- dashboards -----------------------------------------------------------------------------------------------------


@require_GET
def index(request):
    dashboards = list(selectors.visible_dashboards(request.user))
    if dashboards:
        return redirect(dashboards[0].get_absolute_url())
    return render(request, "analytics/index.html", {"dashboards": dashboards})


@require_GET
def dashboard(request, pk: int):
    shown = selectors.get_dashboard(request.user, pk)
    context = grid_context(request.user, shown, tab_pk=request.GET.get("tab"))
    context["dashboards"] = list(selectors.visible_dashboards(request.user, shown.place))
    return render(request, "analytics/dashboard.html", context)


def dashboard_form(request, pk: int | None = None):
    existing = selectors.get_dashboard(request.user, pk) if pk else None
    if existing is not None and not selectors.may_change(request.user, existing):
        raise Http404("No such page.")
    if request.method == "POST":
        try:
            saved = services.save_dashboard(user=request.user, data=request.POST, dashboard=existing)
        except ValidationError as error:
            form = DashboardForm(request.POST, instance=existing, user=request.user)
            form.is_valid()
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, f"Dashboard “{saved}” saved.")
            return redirect(saved.get_absolute_url())
    else:
        form = DashboardForm(instance=existing, user=request.user, initial={"place": request.GET.get("place", "")})
    return render(request, "analytics/dashboard_form.html", {"form": form, "dashboard": existing})


@require_POST
def dashboard_delete(request, pk: int):
    shown = selectors.get_dashboard(request.user, pk)
    try:
        services.delete_dashboard(user=request.user, dashboard=shown)
    except PermissionDenied as error:
        messages.error(request, str(error))
        return redirect(shown.get_absolute_url())
    messages.success(request, f"Dashboard “{shown}” deleted.")
    return redirect("analytics:index")


def _refused(request, error) -> None:
    messages.error(request, " ".join(getattr(error, "messages", [str(error)])))


@require_POST
def tab_create(request, pk: int):
    shown = selectors.get_dashboard(request.user, pk)
    try:
        tab = services.add_tab(user=request.user, dashboard=shown, title=request.POST.get("title", ""))
    except (ValidationError, PermissionDenied) as error:
        _refused(request, error)
        return redirect(shown.get_absolute_url())
    return redirect(f"{shown.get_absolute_url()}?tab={tab.pk}")


@require_POST
def tab_delete(request, pk: int):
    tab = selectors.get_tab(request.user, pk)
    try:
        services.delete_tab(user=request.user, tab=tab)
    except (ValidationError, PermissionDenied) as error:
        _refused(request, error)
    return redirect(tab.dashboard.get_absolute_url())


@require_POST
def layout(request, pk: int):
    tab = selectors.get_tab(request.user, pk)
    try:
        items = json.loads(request.POST.get("layout") or request.body or b"[]")
        changed = services.save_layout(user=request.user, tab=tab, items=items)
    except (ValueError, ValidationError) as error:
        return JsonResponse(
            {"error": " ".join(getattr(error, "messages", ["The layout is not understood."]))}, status=400
        )
    except PermissionDenied as error:
        return JsonResponse({"error": str(error)}, status=403)
    return JsonResponse({"saved": changed})


# --- tiles ---------------------------------------------------------------------------------------------------------


def tile_form(request, tab: int | None = None, pk: int | None = None):
    """The tile editor (in the dashboard's dialog through htmx, or as a page). Changing the section redraws the
    form with that section's fields (?refresh=1)."""
    tile = selectors.get_tile(request.user, pk) if pk else None
    tab_obj = tile.tab if tile else selectors.get_tab(request.user, tab)
    if not selectors.may_change(request.user, tab_obj.dashboard):
        raise Http404("No such page.")
    kind = kinds.get(tile.kind if tile else request.GET.get("kind", "") or request.POST.get("kind", ""))
    if kind is None:
        raise Http404("No such tile kind.")
    errors = []
    if request.method == "POST" and not request.POST.get("refresh"):
        try:
            services.save_tile(user=request.user, tab=tab_obj, kind_name=kind.name, data=request.POST, tile=tile)
        except ValidationError as error:
            errors = error.messages
        else:
            target = f"{tab_obj.dashboard.get_absolute_url()}?tab={tab_obj.pk}"
            if request.htmx:
                response = HttpResponse(status=204)
                response["HX-Redirect"] = target
                return response
            return redirect(target)
        form = services.tile_form(kind, user=request.user, data=request.POST, tile=tile)
    elif request.method == "POST":  # the section changed: the same form for the new section, unbound
        form = services.tile_form(kind, user=request.user, initial=request.POST.dict())
    else:
        form = services.tile_form(kind, user=request.user, tile=tile, initial={"title": kind.label})
    context = {"form": form, "kind": kind, "tile": tile, "tab": tab_obj, "errors": errors}
    template = "analytics/_tile_form.html" if request.htmx else "analytics/tile_form.html"
    return render(request, template, context)


@require_POST
def tile_delete(request, pk: int):
    tile = selectors.get_tile(request.user, pk)
    try:
        services.delete_tile(user=request.user, tile=tile)
    except PermissionDenied as error:
        messages.error(request, str(error))
    return redirect(f"{tile.tab.dashboard.get_absolute_url()}?tab={tile.tab_id}")


@require_GET
def tile(request, pk: int):
    """One tile's figures, as the person asking may see them (loaded by the grid, each tile on its own)."""
    shown = selectors.get_tile(request.user, pk)
    result = tiles.compute(shown, tile_request(request, shown))
    context = {
        "tile": shown,
        "result": result,
        "chart_json": json.dumps(result.chart) if result.chart else "",
        **result.context,
    }
    query = urlencode([(k, v) for k, values in request.GET.lists() for v in values])
    context["export_url"] = f"{request.path}export/?{query}"
    return render(request, result.template, context)


@require_GET
def tile_export(request, pk: int):
    """The tile's figures as a spreadsheet (who may export)."""
    if not access.can(request.user, "export"):
        raise Http404("No such page.")
    shown = selectors.get_tile(request.user, pk)
    result = tiles.compute(shown, tile_request(request, shown), use_cache=False)
    table = [result.headers, *result.rows] if result.headers else [["Message"], [result.context.get("message", "")]]
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response = HttpResponse(
        xlsx_bytes(table, shown.title[:31] or "Tile"),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{slugify(shown.title) or "tile"}-{stamp}.xlsx"'
    return response


# --- goals -----------------------------------------------------------------------------------------------------------


def goals(request):
    """The goals, and (for who has the analytics setup right) the form that sets one."""
    may_set = access.can(request.user, "analytics_setup")
    form = GoalForm(user=request.user, initial={"section": request.GET.get("section", "")}) if may_set else None
    if request.method == "POST":
        if request.POST.get("refresh"):
            form = GoalForm(user=request.user, initial=request.POST.dict())
        else:
            try:
                goal = services.save_goal(user=request.user, data=request.POST)
            except PermissionDenied:
                raise Http404("No such page.") from None
            except ValidationError as error:
                form = GoalForm(request.POST, user=request.user)
                form.is_valid()
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(request, f"Goal “{goal}” set.")
                return redirect("analytics:goals")
    rows = Goal.objects.select_related("owner", "division").order_by("-period_start", "name")[:200]
    return render(request, "analytics/goals.html", {"form": form, "goals": rows, "may_set": may_set})


@require_POST
def goal_delete(request, pk: int):
    goal = get_object_or_404(Goal, pk=pk)
    try:
        services.delete_goal(user=request.user, goal=goal)
    except PermissionDenied:
        raise Http404("No such page.") from None
    messages.success(request, f"Goal “{goal}” deleted.")
    return redirect("analytics:goals")


# --- elsewhere: a section's Dashboards view, the home page ------------------------------------------------------------


def section_dashboards(request, section, params):
    """A section's Dashboards view (its list's ?view=dashboards): the dashboards placed there, whose tiles of the
    section follow the list's filters, search and folder."""
    place = f"section:{section.name}"
    filters = params.copy()
    for key in ("view", "page", "per_page", "sort", "reset", "format"):
        filters.pop(key, None)
    page_query = urlencode([("on", section.name), *((k, v) for k, values in filters.lists() for v in values if v)])
    dashboards = list(selectors.visible_dashboards(request.user, place))
    chosen = next(
        (d for d in dashboards if str(d.pk) == request.GET.get("dashboard")), dashboards[0] if dashboards else None
    )
    context = {
        "section": section,
        "dashboards": dashboards,
        "filters": [(k, v) for k, values in filters.lists() for v in values if v],
        "list_query": filters.urlencode(),
        "place": place,
        **(grid_context(request.user, chosen, tab_pk=request.GET.get("tab"), page_query=page_query) if chosen else {}),
    }
    return render(request, "analytics/section_dashboards.html", context)


def home_context(user) -> dict:
    """The dashboard the home page shows for the user's role, with its first tab's grid (or nothing)."""
    chosen = selectors.home_dashboard(user)
    return grid_context(user, chosen) if chosen else {}

"""Reads of dashboards: those a user may see, may change, and the one their home page shows."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from crm import access
from crm.access.principal import principal_for

from .models import Dashboard, DashboardTab, Tile


def _role_ids(user) -> list[int]:
    return sorted(principal_for(user).role_ids)


def visible_dashboards(user, place: str = "") -> QuerySet:
    """The dashboards `user` may open at `place`: their own, those shared with one of their roles, and the
    company's."""
    shared_with_roles = Dashboard.objects.filter(sharing=Dashboard.Sharing.ROLES, roles__in=_role_ids(user))
    condition = Q(owner=user) | Q(sharing=Dashboard.Sharing.COMPANY) | Q(pk__in=shared_with_roles.values("pk"))
    return Dashboard.objects.filter(condition, place=place).select_related("owner")


def may_change(user, dashboard: Dashboard) -> bool:
    """Its owner changes a private dashboard; a shared one needs the "analytics setup" right."""
    if dashboard.sharing == Dashboard.Sharing.PRIVATE:
        return dashboard.owner_id == user.pk
    return access.can(user, "analytics_setup")


def get_dashboard(user, pk: int) -> Dashboard:
    """The dashboard, if the user may see it; the 404 of a missing one otherwise."""
    from django.http import Http404

    dashboard = (
        Dashboard.objects.filter(pk=pk)
        .filter(pk__in=_visible_anywhere(user).values("pk"))
        .select_related("owner")
        .first()
    )
    if dashboard is None:
        raise Http404("No such dashboard.")
    return dashboard


def _visible_anywhere(user) -> QuerySet:
    shared_with_roles = Dashboard.objects.filter(sharing=Dashboard.Sharing.ROLES, roles__in=_role_ids(user))
    return Dashboard.objects.filter(
        Q(owner=user) | Q(sharing=Dashboard.Sharing.COMPANY) | Q(pk__in=shared_with_roles.values("pk"))
    )


def get_tab(user, pk: int) -> DashboardTab:
    from django.http import Http404

    tab = DashboardTab.objects.filter(pk=pk, dashboard__in=_visible_anywhere(user)).select_related("dashboard").first()
    if tab is None:
        raise Http404("No such tab.")
    return tab


def get_tile(user, pk: int) -> Tile:
    from django.http import Http404

    tile = (
        Tile.objects.filter(pk=pk, tab__dashboard__in=_visible_anywhere(user))
        .select_related("tab", "tab__dashboard")
        .first()
    )
    if tile is None:
        raise Http404("No such tile.")
    return tile


def home_dashboard(user) -> Dashboard | None:
    """The dashboard chosen for one of the user's roles for the home page (the most specific: the one listed
    first), or None."""
    return (
        _visible_anywhere(user)
        .filter(home_roles__in=_role_ids(user))
        .order_by("position", "pk")
        .select_related("owner")
        .first()
    )

"""The shell's own pages: home, health check, notifications, and the login/password pages."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache

from crm import access
from crm.sections import registry

from .models import Notification


def home(request):
    sections = [s for s in registry.all_sections() if access.can(request.user, "read", s)]
    recent = []
    for section in sections:
        queryset = access.visible(request.user, section.get_queryset()).filter(owner=request.user)
        for obj in queryset.order_by("-modified_at")[:5]:
            recent.append((section, obj))
    recent.sort(key=lambda pair: pair[1].modified_at, reverse=True)
    return render(request, "home.html", {"sections": sections, "recent": recent[:10]})


def _database_state() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return "ok"
    except Exception as error:  # noqa: BLE001 - any failure means "down"
        return f"down: {error.__class__.__name__}"


def _broker_state() -> str:
    if not settings.REDIS_URL:
        return "in-process"
    try:
        import redis

        client = redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=2, socket_timeout=2)
        client.ping()
        return "ok"
    except Exception as error:  # noqa: BLE001
        return f"down: {error.__class__.__name__}"


@login_not_required
@never_cache
def healthz(request):
    """200 when the database and the broker answer, 503 naming what is down."""
    state = {"database": _database_state(), "broker": _broker_state(), "time": timezone.now().isoformat()}
    down = [name for name in ("database", "broker") if state[name].startswith("down")]
    state["status"] = "down: " + ", ".join(down) if down else "ok"
    return JsonResponse(state, status=503 if down else 200)


def notifications(request):
    kind = request.GET.get("kind", "")
    items = Notification.objects.filter(recipient=request.user)
    if kind in Notification.Kind.values:
        items = items.filter(kind=kind)
    if request.method == "POST":
        Notification.objects.filter(recipient=request.user, read_at__isnull=True).update(read_at=timezone.now())
        cache.delete(f"unread:{request.user.pk}")
    return render(
        request,
        "notifications.html",
        {"items": items[:200], "kinds": Notification.Kind.choices, "kind": kind},
    )


class LoginView(auth_views.LoginView):
    redirect_authenticated_user = True


class PasswordResetView(auth_views.PasswordResetView):
    pass


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    pass


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    pass


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    pass

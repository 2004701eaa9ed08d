"""The shell's own pages: home, health check, notifications, and the login/password pages."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.db.models import Count, Q
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from crm import access
from crm.analytics.views import home_context
from crm.sections import registry

from . import services
from .models import Notification


def home(request):
    sections = [s for s in registry.all_sections() if access.can(request.user, "read", s)]
    recent = []
    for section in sections:
        queryset = access.visible(request.user, section.get_queryset()).filter(owner=request.user)
        for obj in queryset.order_by("-modified_at")[:5]:
            recent.append((section, obj))
    recent.sort(key=lambda pair: pair[1].modified_at, reverse=True)
    context = {"sections": sections, "recent": recent[:10], "home": home_context(request.user)}
    return render(request, "home.html", context)


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


NOTIFICATION_READ_KEPT_DAYS = 30  # read items older than this leave the notification centre


def unread_notification_counts(user) -> dict[str, int]:
    """Unread notifications per kind, in one query."""
    rows = (
        Notification.objects.filter(recipient=user, read_at__isnull=True)
        .values_list("kind")
        .annotate(count=Count("pk"))
        .order_by()
    )
    return dict(rows)


def notifications(request):
    """The notification centre: a tab per kind with its unread count. Opening a tab marks its items read,
    except reminders and approvals, which stay until marked done. Read items older than 30 days are not shown."""
    counts = unread_notification_counts(request.user)
    kind = request.GET.get("kind", "")
    if kind not in Notification.Kind.values:
        kind = next((value for value in Notification.Kind.values if counts.get(value)), Notification.Kind.REMINDER)
    cutoff = timezone.now() - timedelta(days=NOTIFICATION_READ_KEPT_DAYS)
    items = list(
        Notification.objects.filter(recipient=request.user, kind=kind).filter(
            Q(read_at__isnull=True) | Q(created_at__gte=cutoff)
        )[:200]
    )
    if services.mark_notifications_read(user=request.user, kind=kind):
        counts[kind] = 0
    tabs = [(value, label, counts.get(value, 0)) for value, label in Notification.Kind.choices]
    return render(
        request,
        "notifications.html",
        {"items": items, "tabs": tabs, "kind": kind, "needs_done": kind in services.PROCESSED_KINDS},
    )


@require_POST
def notification_done(request, pk: int):
    """Mark a reminder or approval processed; answers the htmx request with nothing (the item disappears)."""
    if not services.mark_notification_done(user=request.user, notification_id=pk):
        raise Http404("No such notification.")
    if request.htmx:
        return HttpResponse("")
    kind = request.POST.get("kind", "")
    return redirect(reverse("notifications") + (f"?kind={kind}" if kind in Notification.Kind.values else ""))


@login_not_required
@never_cache
def notifications_count(request):
    """The bell's badge, polled by htmx. 286 tells htmx to stop polling once the session is gone."""
    if not request.user.is_authenticated:
        return HttpResponse(status=286)
    count = Notification.objects.filter(recipient=request.user, read_at__isnull=True).count()
    return render(request, "_notification_badge.html", {"count": count})


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


@login_not_required
def favicon(request):
    """The product's icon for a browser that asks /favicon.ico (a page that names none: a PDF, a JSON answer)."""
    return redirect(static("img/favicon.svg"), permanent=True)

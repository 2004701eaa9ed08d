"""The pages activities add to the generic section: the calendar (day, week, month) with its JSON endpoints for
the events of a range, quick creation and drag-and-drop rescheduling; the participants of an activity; and the
iCalendar feed at a secret address."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from crm import access
from crm.sections.services import StaleRecordError

from . import calendar, ical, processes, selectors, services
from .forms import ParticipantForm, QuickActivityForm, RecordActivityForm, RescheduleForm
from .models import Activity, CalendarFeed, Participant


def _require_section(user, action: str = "read") -> None:
    if not access.can(user, action, selectors.section()):
        raise Http404("No such page.")


def _calendar_owner(request):
    """Whose calendar is shown: ?user=<id> of an active user, else the user's own."""
    raw = request.GET.get("user", "")
    if raw.isdigit():
        return get_object_or_404(get_user_model(), pk=int(raw), is_active=True)
    return request.user


def _errors(error: ValidationError) -> str:
    return " ".join(error.messages)


def event_json(activity: Activity, *, editable: bool) -> dict:
    """One activity as the calendar draws it. Times are in the server's time zone, to the minute. One longer
    than a day is a due item: drawn once, on the day it is due, in the strip above the time grid."""
    long = activity.due - activity.start > selectors.LONG
    return {
        "id": activity.pk,
        "title": activity.title,
        "account": str(activity.account) if activity.account_id else "",
        "type": activity.type,
        "status": activity.get_status_display(),
        "state": activity.state,
        "start": calendar.local(activity.start),
        "end": calendar.local(activity.due),
        "long": long,
        "kind": "due" if long else "timed",
        "day": timezone.localtime(activity.due).date().isoformat(),
        "version": activity.version,
        "editable": editable,
        "url": activity.get_absolute_url(),
    }


# --- the calendar ------------------------------------------------------------------------------------------------


@require_GET
def calendar_page(request):
    _require_section(request.user)
    view = request.GET.get("view", "week")
    view = view if view in calendar.VIEWS else "week"
    anchor = calendar.parse_date(request.GET.get("date")) or timezone.localdate()
    scale = request.GET.get("scale", "")
    scale = int(scale) if scale.isdigit() and int(scale) in calendar.SCALES else calendar.DEFAULT_SCALE
    shown = calendar.period(view, anchor)
    owner = _calendar_owner(request)
    feed = CalendarFeed.objects.filter(user=request.user).first()
    final = request.GET.get("final") == "1"
    # what the links to another period or view keep
    keep = urlencode({"user": owner.pk, "scale": scale, **({"final": 1} if final else {})})
    context = {
        "final": final,
        "keep": keep,
        "section": selectors.section(),
        "view": view,
        "period": shown,
        "scale": scale,
        "scales": calendar.SCALES,
        "views": calendar.VIEWS,
        "slots": calendar.slots(scale),
        "today": timezone.localdate(),
        "calendar_user": owner,
        "users": get_user_model().objects.filter(is_active=True).order_by("first_name", "last_name", "username"),
        "can_create": access.can(request.user, "create", selectors.section()),
        "feed_url": request.build_absolute_uri(feed.get_absolute_url()) if feed else "",
        "type_choices": Activity.Type.choices,
    }
    return render(request, "activities/calendar.html", context)


@require_GET
def calendar_events(request):
    """The activities of a user's calendar between ?start and ?end (dates), as far as the viewer may see them."""
    _require_section(request.user)
    first, last = calendar.parse_date(request.GET.get("start")), calendar.parse_date(request.GET.get("end"))
    if first is None or last is None or last <= first:
        return JsonResponse({"error": "Give start and end dates, e.g. ?start=2026-03-02&end=2026-03-09."}, status=400)
    activities = list(
        selectors.calendar_activities(
            request.user,
            of_user=_calendar_owner(request),
            start=calendar.start_of(first),
            end=calendar.start_of(last),
            include_final=request.GET.get("final") == "1",
        )[:2000]
    )
    editable = selectors.editable_ids(request.user, activities)
    return JsonResponse({"events": [event_json(a, editable=a.pk in editable) for a in activities]})


@require_POST
def calendar_create(request):
    """Create an activity from a drag over empty time. Answers the new event, or why it was refused."""
    _require_section(request.user, "create")
    form = QuickActivityForm(request.POST)
    if not form.is_valid():
        message = " ".join(e for errors in form.errors.values() for e in errors)
        return JsonResponse({"error": message, "fields": form.errors}, status=422)
    data = dict(form.cleaned_data)
    data["show_in_calendar"] = True
    try:
        activity = services.create_activity(user=request.user, data=data)
    except ValidationError as error:
        return JsonResponse({"error": _errors(error)}, status=422)
    except PermissionDenied as error:
        return JsonResponse({"error": str(error)}, status=403)
    return JsonResponse({"event": event_json(activity, editable=True)}, status=201)


@require_POST
def calendar_move(request, pk: int):
    """Move or resize an activity (drag and drop). A stale version is refused and the current event answered,
    so the calendar snaps it back."""
    _require_section(request.user, "edit")
    activity = selectors.get_activity_or_404(request.user, pk, "edit")
    form = RescheduleForm(request.POST)
    if not form.is_valid():
        return JsonResponse({"error": "Give the new start, due and the version."}, status=422)
    try:
        activity = services.reschedule(
            user=request.user,
            activity=activity,
            start=form.cleaned_data["start"],
            due=form.cleaned_data["due"],
            expected_version=form.cleaned_data["version"],
        )
    except StaleRecordError as stale:
        current = selectors.get_activity_or_404(request.user, stale.current.pk)
        return JsonResponse(
            {
                "error": "Someone else changed this activity after the calendar showed it; it was not moved.",
                "event": event_json(current, editable=True),
            },
            status=409,
        )
    except ValidationError as error:
        current = selectors.get_activity_or_404(request.user, pk)
        return JsonResponse({"error": _errors(error), "event": event_json(current, editable=True)}, status=422)
    except PermissionDenied as error:
        return JsonResponse({"error": str(error)}, status=403)
    return JsonResponse({"event": event_json(activity, editable=True)})


# --- the iCalendar feed ------------------------------------------------------------------------------------------


@require_POST
def calendar_feed_regenerate(request):
    _require_section(request.user)
    services.regenerate_calendar_feed(user=request.user)
    messages.success(request, "Your calendar has a new secret address; the old one no longer works.")
    return redirect(reverse("activities:calendar") + "#calendar-feed")


@login_not_required
@never_cache
@require_GET
def ical_feed(request, token: str):
    """The user's calendar for calendar clients, at a secret address (no login: the token is the key)."""
    feed = CalendarFeed.objects.select_related("user").filter(token=token).first()
    if feed is None or not feed.user.is_active:
        raise Http404("No such calendar.")
    user = feed.user
    body = ical.calendar(
        selectors.feed_activities(user),
        name=f"OpenCRM: {user.get_full_name() or user.get_username()}",
        host=request.get_host().split(":")[0],
        url_for=lambda activity: request.build_absolute_uri(activity.get_absolute_url()),
        stamp=timezone.now(),
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="activities.ics"'
    response["X-Robots-Tag"] = "noindex"
    return response


# --- participants ---------------------------------------------------------------------------------------------


def _back_to_participants(activity):
    return redirect(reverse("activities:detail", args=[activity.pk]) + "?tab=participants")


@require_POST
def participant_add(request, pk: int):
    _require_section(request.user, "edit")
    activity = selectors.get_activity_or_404(request.user, pk, "edit")
    form = ParticipantForm(request.POST, viewer=request.user)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return _back_to_participants(activity)
    try:
        services.add_participant(
            user=request.user,
            activity=activity,
            participant_user=form.cleaned_data.get("user"),
            contact=form.cleaned_data.get("contact"),
        )
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
    return _back_to_participants(activity)


@require_POST
def participant_remove(request, pk: int, participant: int):
    _require_section(request.user, "edit")
    activity = selectors.get_activity_or_404(request.user, pk, "edit")
    row = get_object_or_404(Participant.objects.select_related("activity"), pk=participant, activity=activity)
    try:
        services.remove_participant(user=request.user, participant=row)
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
    return _back_to_participants(activity)


@require_http_methods(["GET", "POST"])
def process_outcome(request, pk: int, outcome: str):
    """Complete a process task with one of its outcomes; an outcome with a form asks for it first."""
    activity = processes.task_for_outcome(request.user, pk)
    chosen = activity.declaration.outcome(outcome)
    if chosen is None:
        raise Http404("No such outcome.")
    record = activity.connected
    form = None
    if chosen.form_class is not None:
        form = chosen.form_class(request.POST or None, user=request.user, record=record)
    if request.method == "POST" and (form is None or form.is_valid()):
        try:
            processes.complete(
                user=request.user, activity=activity, outcome=outcome, data=form.cleaned_data if form else {}
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, f"“{activity.title}”: {chosen.label}.")
        return redirect(record.get_absolute_url())
    context = {"activity": activity, "outcome": chosen, "form": form, "record": record}
    return render(request, "activities/process_outcome.html", context, status=422 if form and form.errors else 200)


@require_POST
def record_activity(request, section: str, pk: int):
    """The action panel's "Log a call" and "Schedule": an activity connected to the record, created by the
    activities service. Refused input comes back on a page of its own with what was typed and why."""
    from crm.sections import registry

    record_section = registry.get_or_404(section)
    if not access.can(request.user, "read", record_section):
        raise Http404("No such section.")
    record = access.get_object_or_404(request.user, record_section.get_queryset(), "read", pk=pk)
    logged = request.POST.get("action") == "log"
    form = RecordActivityForm(request.POST, logged=logged)
    error = ""
    if form.is_valid():
        try:
            activity = services.create_activity(user=request.user, data=form.activity_data(), connected_to=record)
        except ValidationError as refusal:
            error = _errors(refusal)
        except PermissionDenied as refusal:
            error = str(refusal)
        else:
            done = "logged" if logged else "scheduled"
            messages.success(request, f"{activity.get_type_display()} “{activity}” {done}.")
            return redirect(record_section.url("detail", record.pk) + "?tab=activities")
    action = {"form": form, "error": error, "object": record, "section": record_section}
    context = {"action": action, "object": record, "section": record_section, "logged": logged}
    return render(request, "activities/record_activity.html", context, status=422)

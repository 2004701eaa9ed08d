"""What activities give record pages: the Activities tab and the "Activities" timeline items on every section's
record, and the Participants tab on an activity."""

from __future__ import annotations

from urllib.parse import urlencode

from django.shortcuts import render
from django.urls import reverse

from crm import access
from crm.sections.registry import RecordAction, RecordTab, register_record_action, register_record_tab
from crm.sections.timeline import TimelineItem, register_provider

from . import selectors
from .forms import ParticipantForm, RecordActivityForm

ICONS = {"task": "bi-check2-square", "call": "bi-telephone", "meeting": "bi-people", "email": "bi-envelope"}
TAB_LIMIT = 100


def timeline_items(user, record) -> list[TimelineItem]:
    """The activities about `record` the user may see, at their start."""
    items = []
    activities = selectors.connected_to(user, record).select_related("owner", "result").order_by("-start", "-pk")
    for activity in activities[:TAB_LIMIT]:
        who = activity.owner.get_full_name() or activity.owner.get_username()
        summary = activity.get_status_display()
        if activity.result_id:
            summary += f": {activity.result}"
        if activity.result_details:
            summary += f". {activity.result_details}"
        items.append(
            TimelineItem(
                at=activity.start,
                kind="activity",
                title=f"{activity.get_type_display()}: {activity.title}",
                url=activity.get_absolute_url(),
                icon=ICONS.get(activity.type, "bi-calendar-check"),
                summary=summary,
                who=who,
            )
        )
    return items


def activities_tab(request, section, record):
    """The activities connected to any record, with a "New activity" button that connects the new one."""
    activities_section = selectors.section()
    activities = list(
        selectors.connected_to(request.user, record)
        .select_related("owner", "category")
        .order_by("-start", "-pk")[: TAB_LIMIT + 1]
    )
    new_url = ""
    if access.can(request.user, "create", activities_section):
        new_url = reverse("activities:create") + "?" + urlencode(selectors.connection_params(record))
    return render(
        request,
        "activities/_record_activities.html",
        {"activities": activities[:TAB_LIMIT], "more": len(activities) > TAB_LIMIT, "new_url": new_url},
    )


def participants_tab(request, section, activity):
    """An activity's participants: users and contacts (with job title and business phone), and the form to add."""
    can_edit = access.can(request.user, "edit", activity)
    return render(
        request,
        "activities/_participants.html",
        {
            "object": activity,
            "participants": selectors.participants_of(activity),
            "connected": selectors.connectable_record(request.user, activity.connected_type, activity.connected_id),
            "can_edit": can_edit,
            "form": ParticipantForm(viewer=request.user) if can_edit else None,
        },
    )


register_record_tab(
    RecordTab(
        name="activities",
        title="Activities",
        view=activities_tab,
        position=20,
        applies_to=lambda section: section.name != "activities",
    )
)
register_record_tab(
    RecordTab(
        name="participants",
        title="Participants",
        view=participants_tab,
        position=10,
        applies_to=lambda section: section.name == "activities",
    )
)
register_provider("activity", "Activities", timeline_items)


def _action(logged: bool):
    def context(user, section, record) -> dict | None:
        if not access.can(user, "create", selectors.section()):
            return None
        return {"form": RecordActivityForm(logged=logged)}

    return context


def _not_activities(section) -> bool:
    return section.name != "activities"


register_record_action(
    RecordAction(
        name="log_call",
        label="Log a call",
        icon="bi-telephone",
        template="activities/_record_activity_form.html",
        context=_action(logged=True),
        position=10,
        applies_to=_not_activities,
    )
)
register_record_action(
    RecordAction(
        name="schedule",
        label="Schedule a task or meeting",
        icon="bi-calendar-plus",
        template="activities/_record_activity_form.html",
        context=_action(logged=False),
        position=20,
        applies_to=_not_activities,
    )
)

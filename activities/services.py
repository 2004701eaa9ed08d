"""Writes of activities: create one connected to a record, move it through its statuses, reschedule it from the
calendar, manage its participants, fire due reminders once, and the calendar feed's secret token.

Each runs in one transaction with the acting user passed in. Creating and changing go through the section
services (crm.sections.services), so the change log, optimistic locking and access checks are the same as on
the generic form."""

from __future__ import annotations

import datetime
import logging
import secrets

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from crm import access
from crm.core.services import notify
from crm.sections import services as section_services

from . import selectors
from .models import Activity, CalendarFeed, Participant

logger = logging.getLogger(__name__)


# --- create and change ----------------------------------------------------------------------------------------


def create_activity(*, user, data: dict, connected_to=None, users=(), contacts=()) -> Activity:
    """Create an activity from field values, connected to the record `connected_to` (any section's record the user
    may see), with the extra participants `users` and `contacts` (the owner and the contact take part anyway)."""
    data = dict(data)
    if connected_to is not None:
        content_type = ContentType.objects.get_for_model(connected_to)
        if selectors.connectable_record(user, content_type, connected_to.pk) is None:
            raise ValidationError("The record to connect the activity to was not found.")
        for name, value in selectors.connection_fields(connected_to).items():
            data.setdefault(name, value)
    for contact in contacts:
        _check_contact(user, contact)
    with transaction.atomic():
        activity = section_services.create_record(section=selectors.section(), user=user, data=data)
        for participant_user in users:
            _check_user(participant_user)
            Participant.objects.get_or_create(activity=activity, user=participant_user)
        for contact in contacts:
            Participant.objects.get_or_create(activity=activity, contact=contact)
    return activity


def move_to(
    *, user, activity: Activity, status: str, expected_version: int, result=None, result_details: str = ""
) -> Activity:
    """Move the activity to `status` along the declared transitions. A result is given only with a final status;
    reopening a final activity discards its result. Raises StaleRecordError if someone saved it meanwhile."""
    if status not in Activity.Status.values:
        raise ValidationError({"status": "Unknown status."})
    if status not in Activity.FINAL_STATUSES and (result is not None or result_details.strip()):
        raise ValidationError({"result": "A result can be given only once the activity is completed or canceled."})
    data = {"status": status}
    if status in Activity.FINAL_STATUSES:
        data.update(result=result, result_details=result_details.strip())
    return section_services.update_record(
        section=selectors.section(), user=user, obj=activity, data=data, expected_version=expected_version
    )


def reschedule(
    *, user, activity: Activity, start: datetime.datetime, due: datetime.datetime, expected_version: int
) -> Activity:
    """Move or resize the activity in time (the calendar's drag and drop). Refused if it is stale."""
    if timezone.is_naive(start) or timezone.is_naive(due):
        raise ValueError("Times must be time-zone aware.")
    if due < start:
        raise ValidationError({"due": "The activity cannot end before it starts."})
    return section_services.update_record(
        section=selectors.section(),
        user=user,
        obj=activity,
        data={"start": start, "due": due},
        expected_version=expected_version,
    )


# --- participants -----------------------------------------------------------------------------------------------


def add_participant(*, user, activity: Activity, participant_user=None, contact=None) -> Participant:
    """Add a user or a contact (one the acting user may see) to the activity; adding one twice changes nothing."""
    if not access.can(user, "edit", activity):
        raise PermissionDenied("You may not change this activity.")
    if (participant_user is None) == (contact is None):
        raise ValidationError("Choose a user or a contact.")
    if participant_user is not None:
        _check_user(participant_user)
    else:
        _check_contact(user, contact)
    with transaction.atomic():
        participant, _ = Participant.objects.get_or_create(
            activity=activity,
            user=participant_user,
            contact=contact,
        )
    return participant


def _check_user(participant_user) -> None:
    if not participant_user.is_active:
        raise ValidationError("Only active users can take part.")


def _check_contact(user, contact) -> None:
    """A contact the acting user may not see cannot be added: the same answer as for a missing one."""
    if not access.visible(user, type(contact)._default_manager.filter(pk=contact.pk)).exists():
        raise ValidationError("The contact was not found.")


def remove_participant(*, user, participant: Participant) -> None:
    """Remove a participant; the owner always takes part."""
    activity = participant.activity
    if not access.can(user, "edit", activity):
        raise PermissionDenied("You may not change this activity.")
    if participant.user_id is not None and participant.user_id == activity.owner_id:
        raise ValidationError("The owner always takes part in the activity.")
    with transaction.atomic():
        participant.delete()


# --- reminders ----------------------------------------------------------------------------------------------------


def send_due_reminders(*, now: datetime.datetime | None = None, batch_size: int = 500) -> int:
    """Remind the owners and authors of the open activities whose reminder time has come; returns the number of
    notifications made.

    Each activity reminds once, however many schedulers or workers run this at the same time: the reminder is
    claimed by flipping `reminded_at` in a conditional UPDATE, which only one transaction can win (a second one
    waits for the row and then finds it already claimed). The notifications are written in the same
    transaction, so a crash before the commit leaves the reminder to fire on the next run.
    """
    now = now or timezone.now()
    due = Activity.objects.reminders_due(now).order_by("remind_at", "pk").values_list("pk", flat=True)
    return sum(_remind(activity_id, now) for activity_id in list(due[:batch_size]))


def _remind(activity_id: int, now: datetime.datetime) -> int:
    with transaction.atomic():
        claimed = Activity.objects.filter(pk=activity_id, reminded_at__isnull=True).update(reminded_at=now)
        if not claimed:
            return 0
        activity = Activity.objects.select_related("owner", "created_by", "account", "contact").get(pk=activity_id)
        recipients = reminder_recipients(activity)
        title = f"Reminder: {activity.title}"
        body = _reminder_body(activity)
        for recipient in recipients:
            notify(recipient=recipient, kind="reminder", title=title, body=body, url=activity.get_absolute_url())
        emails = [r.email for r in recipients if r.email]
        if emails:
            transaction.on_commit(lambda: _email(title, body, emails))
    return len(recipients)


def reminder_recipients(activity: Activity) -> list:
    """The owner and/or the author, as asked, once each, if they are active and may still read the activity."""
    candidates = []
    if activity.remind_owner:
        candidates.append(activity.owner)
    if activity.remind_author and activity.created_by is not None:
        candidates.append(activity.created_by)
    recipients, seen = [], set()
    for candidate in candidates:
        if candidate.pk in seen or not candidate.is_active or not access.can(candidate, "read", activity):
            continue
        seen.add(candidate.pk)
        recipients.append(candidate)
    return recipients


def _reminder_body(activity: Activity) -> str:
    start = timezone.localtime(activity.start)
    parts = [f"{activity.get_type_display()} at {start:%a %d %b %Y, %H:%M}"]
    parts += [str(record) for record in (activity.account, activity.contact) if record is not None]
    return " · ".join(parts)


def _email(subject: str, body: str, recipients: list[str]) -> None:
    """Reminder emails go after the commit; a mail server that is down never takes the notification back."""
    try:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)
    except Exception:  # noqa: BLE001 - the notification is there; the email is best effort
        logger.warning("Could not email a reminder to %s", recipients, exc_info=True)


# --- the calendar feed ------------------------------------------------------------------------------------------


def _new_token() -> str:
    return secrets.token_urlsafe(32)


def regenerate_calendar_feed(*, user) -> CalendarFeed:
    """Give the user a new secret calendar address (the first one, or a new one that revokes the old)."""
    if not (user and user.is_authenticated and user.is_active):
        raise PermissionDenied("Log in first.")
    with transaction.atomic():
        feed, _ = CalendarFeed.objects.update_or_create(
            user=user, defaults={"token": _new_token(), "created_at": timezone.now()}
        )
    return feed

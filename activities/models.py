"""Activities: tasks, calls, meetings and emails, their participants, and each user's calendar feed token."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from crm.core.models import Lookup, Record

#: "Due" defaults to this long after "start"
DEFAULT_LENGTH = datetime.timedelta(minutes=30)


def next_half_hour() -> datetime.datetime:
    """The default start of a new activity: the next full or half hour, local time."""
    now = timezone.localtime().replace(second=0, microsecond=0)
    return now + datetime.timedelta(minutes=30 - now.minute % 30)


class ActivityCategory(Lookup):
    class Meta(Lookup.Meta):
        verbose_name = "activity category"
        verbose_name_plural = "activity categories"


class ActivityResult(Lookup):
    """How an activity ended. A result tied to a category is offered only for activities of that category."""

    category = models.ForeignKey(
        ActivityCategory,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="results",
        help_text="Empty: offered for every category.",
    )

    class Meta(Lookup.Meta):
        verbose_name = "activity result"


class ActivityQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status__in=Activity.OPEN_STATUSES)

    def overdue(self, now: datetime.datetime | None = None):
        return self.open().filter(due__lt=now or timezone.now())

    def overlapping(self, start: datetime.datetime, end: datetime.datetime):
        """Activities that take up some of [start, end); an activity without length counts when it starts in it."""
        return self.filter(start__lt=end).filter(Q(due__gt=start) | Q(start__gte=start))

    def process_tasks(self):
        return self.exclude(process_task="")

    def of_user(self, user):
        """The user's activities: owned, or taken part in."""
        taking_part = Participant.objects.filter(user=user).values("activity_id")
        return self.filter(Q(owner=user) | Q(pk__in=taking_part))

    def reminders_due(self, now: datetime.datetime):
        """Open activities whose reminder time has come and that have not reminded anyone yet."""
        return (
            self.open()
            .filter(remind_at__lte=now, reminded_at__isnull=True)
            .filter(Q(remind_owner=True) | Q(remind_author=True))
        )


class Activity(Record):
    class Type(models.TextChoices):
        TASK = "task", "Task"
        CALL = "call", "Call"
        MEETING = "meeting", "Meeting"
        EMAIL = "email", "Email"

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", "Not started"
        IN_PROGRESS = "in_progress", "In progress"
        COMPLETED = "completed", "Completed"
        CANCELED = "canceled", "Canceled"

    class Priority(models.TextChoices):
        HIGH = "high", "High"
        MEDIUM = "medium", "Medium"
        LOW = "low", "Low"

    OPEN_STATUSES = (Status.NOT_STARTED, Status.IN_PROGRESS)
    FINAL_STATUSES = (Status.COMPLETED, Status.CANCELED)
    #: where each status may go; a final activity can be reopened, which discards its result
    TRANSITIONS = {
        Status.NOT_STARTED: (Status.IN_PROGRESS, Status.COMPLETED, Status.CANCELED),
        Status.IN_PROGRESS: (Status.NOT_STARTED, Status.COMPLETED, Status.CANCELED),
        Status.COMPLETED: (Status.IN_PROGRESS,),
        Status.CANCELED: (Status.NOT_STARTED,),
    }

    title = models.CharField("subject", max_length=500)
    type = models.CharField(max_length=10, choices=Type.choices, default=Type.TASK)
    category = models.ForeignKey(ActivityCategory, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.NOT_STARTED)
    priority = models.CharField(max_length=6, choices=Priority.choices, default=Priority.MEDIUM)
    start = models.DateTimeField(default=next_half_hour)
    due = models.DateTimeField(blank=True, help_text="Empty: 30 minutes after the start.")
    duration = models.PositiveIntegerField("duration, minutes", default=30, editable=False)
    show_in_calendar = models.BooleanField("show in calendar", default=True)
    account = models.ForeignKey(
        "accounts.Account", on_delete=models.PROTECT, null=True, blank=True, related_name="activities"
    )
    contact = models.ForeignKey(
        "contacts.Contact", on_delete=models.PROTECT, null=True, blank=True, related_name="activities"
    )
    # Any other record (lead, opportunity, order, ...) the activity is about: sections connect without a migration.
    connected_type = models.ForeignKey(
        ContentType,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="connected record type",
    )
    connected_id = models.PositiveBigIntegerField("connected record", null=True, blank=True)
    connected = GenericForeignKey("connected_type", "connected_id")
    result = models.ForeignKey(ActivityResult, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    result_details = models.TextField("result details", blank=True)
    notes = models.TextField("description", blank=True)
    remind_owner = models.BooleanField("remind the owner", default=False)
    remind_author = models.BooleanField("remind the author", default=False)
    remind_at = models.DateTimeField("remind on", null=True, blank=True)
    reminded_at = models.DateTimeField("reminded on", null=True, blank=True, editable=False)
    #: the business-process step that created the activity ("opportunities.proposal.present"); empty: made by hand
    process_task = models.CharField("process task", max_length=100, blank=True, editable=False)

    objects = ActivityQuerySet.as_manager()

    class Meta:
        verbose_name = "activity"
        verbose_name_plural = "activities"
        ordering = ("-start",)
        indexes = [
            models.Index(fields=["-start", "-id"], name="activity_list_start_idx"),
            models.Index(fields=["-created_at", "-id"], name="activity_created_idx"),
            models.Index(fields=["owner", "start"], name="activity_calendar_idx"),
            models.Index(fields=["connected_type", "connected_id"], name="activity_connected_idx"),
            models.Index(
                fields=["remind_at"], condition=Q(reminded_at__isnull=True), name="activity_reminder_scan_idx"
            ),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(due__gte=F("start")), name="activity_due_not_before_start"),
            models.CheckConstraint(
                condition=Q(result__isnull=True) | Q(status__in=["completed", "canceled"]),
                name="activity_result_only_when_final",
            ),
            models.CheckConstraint(
                condition=Q(connected_type__isnull=True, connected_id__isnull=True)
                | Q(connected_type__isnull=False, connected_id__isnull=False),
                name="activity_connected_type_and_id",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("activities:detail", args=[self.pk])

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        # What the row held when loaded: a status change is checked against it, a new reminder time re-arms it.
        instance._loaded = {
            name: instance.__dict__.get(name) for name in ("status", "remind_at", "owner_id", "contact_id")
        }
        return instance

    def loaded(self, name: str):
        return getattr(self, "_loaded", {}).get(name)

    # --- derived --------------------------------------------------------------------------------------------

    @property
    def is_final(self) -> bool:
        return self.status in self.FINAL_STATUSES

    @property
    def is_overdue(self) -> bool:
        return not self.is_final and self.due is not None and self.due < timezone.now()

    @property
    def state(self) -> str:
        """The calendar colour: overdue (red), open (blue) or final (grey)."""
        if self.is_final:
            return "final"
        return "overdue" if self.is_overdue else "open"

    def fill_derived(self) -> None:
        """Due defaults to 30 minutes after the start; the duration follows both."""
        if self.start and not self.due:
            self.due = self.start + DEFAULT_LENGTH
        if self.start and self.due and self.due >= self.start:
            self.duration = int((self.due - self.start).total_seconds() // 60)

    def clean(self) -> None:
        self.fill_derived()
        previous = self.loaded("status")
        errors = {}
        if previous and self.status != previous:
            if self.status not in self.TRANSITIONS.get(previous, ()):
                errors["status"] = (
                    f"An activity cannot move from “{self.Status(previous).label}” "
                    f"to “{self.Status(self.status).label}”."
                )
            elif previous in self.FINAL_STATUSES and not self.is_final:
                # reopened: the result no longer holds
                self.result = None
                self.result_details = ""
        if self.remind_at != self.loaded("remind_at"):
            self.reminded_at = None
        if not self.is_final:
            if self.result_id:
                errors["result"] = "A result can be given only once the activity is completed or canceled."
            if self.result_details.strip():
                errors["result_details"] = (
                    "Result details can be given only once the activity is completed or canceled."
                )
        elif self.result_id and self.category_id and self.result.category_id not in (None, self.category_id):
            errors["result"] = f"“{self.result}” is not a result of a “{self.category}” activity."
        if self.start and self.due and self.due < self.start:
            errors["due"] = "The activity cannot end before it starts."
        if (self.connected_type_id is None) != (self.connected_id is None):
            errors["connected_id"] = "Choose the connected record."
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        self.fill_derived()
        super().save(*args, **kwargs)
        self._add_default_participants()

    def _add_default_participants(self) -> None:
        """The owner and the contact always take part. Kept here because every write path (the generic form,
        bulk owner changes, the services) saves through the model; one query, and only when they changed."""
        rows = []
        if self.owner_id and self.owner_id != self.loaded("owner_id"):
            rows.append(Participant(activity=self, user_id=self.owner_id))
        if self.contact_id and self.contact_id != self.loaded("contact_id"):
            rows.append(Participant(activity=self, contact_id=self.contact_id))
        if rows:
            Participant.objects.bulk_create(rows, ignore_conflicts=True)
        self._loaded = {**getattr(self, "_loaded", {}), "owner_id": self.owner_id, "contact_id": self.contact_id}


class Participant(models.Model):
    """A user or a contact taking part in an activity; the activity shows in a participating user's calendar."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="participants")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    contact = models.ForeignKey("contacts.Contact", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("added_at", "id")
        indexes = [models.Index(fields=["user", "activity"], name="participant_user_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(user__isnull=False, contact__isnull=True) | Q(user__isnull=True, contact__isnull=False),
                name="participant_user_or_contact",
            ),
            models.UniqueConstraint(
                fields=["activity", "user"], condition=Q(user__isnull=False), name="participant_unique_user"
            ),
            models.UniqueConstraint(
                fields=["activity", "contact"], condition=Q(contact__isnull=False), name="participant_unique_contact"
            ),
        ]

    def __str__(self) -> str:
        if self.user_id:
            return self.user.get_full_name() or self.user.get_username()
        return str(self.contact)


class CalendarFeed(models.Model):
    """A user's secret iCalendar address. Regenerating the token revokes the old address."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed")
    token = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Calendar feed of {self.user}"

    def get_absolute_url(self) -> str:
        return reverse("activities:ical", args=[self.token])

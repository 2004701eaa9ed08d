"""The base record every section's model extends, lookup tables and numbering sequences."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class Record(models.Model):
    """Owner, author, timestamps, a version for optimistic locking and custom-field values."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="owner"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="created by",
    )
    modified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="modified by",
    )
    created_at = models.DateTimeField("created on", default=timezone.now, editable=False)
    modified_at = models.DateTimeField("modified on", default=timezone.now, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)
    custom = models.JSONField(default=dict, blank=True, editable=False)

    #: fields the generic machinery manages itself and never takes from a form
    SYSTEM_FIELDS = ("id", "created_by", "modified_by", "created_at", "modified_at", "version", "custom")

    class Meta:
        abstract = True


class LookupQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)


class Lookup(models.Model):
    """A classification users extend (industry, account type, ...). Seeded by data migrations."""

    name = models.CharField(max_length=150, unique=True)
    description = models.CharField(max_length=500, blank=True)
    position = models.PositiveIntegerField(default=0)
    is_active = models.BooleanField("active", default=True)

    objects = LookupQuerySet.as_manager()

    #: whether an import told to create missing values may add one from its name alone; False where a value
    #: needs more than a name to be right (a tax needs its rate)
    created_by_imports = True

    class Meta:
        abstract = True
        ordering = ("position", "name")

    def __str__(self) -> str:
        return self.name


class Sequence(models.Model):
    """A numbering sequence; `crm.core.services.next_number` locks the row inside the caller's transaction."""

    name = models.CharField(max_length=64, primary_key=True)
    mask = models.CharField(
        max_length=64, default="{number:05d}", help_text="Python format with {number}, e.g. ACC-{number:05d}"
    )
    next_value = models.PositiveBigIntegerField(default=1)

    def __str__(self) -> str:
        return f"{self.name} ({self.mask}, next {self.next_value})"


class Notification(models.Model):
    """An entry of the notification centre (the bell): reminders, feed, approvals, events, system messages."""

    class Kind(models.TextChoices):
        REMINDER = "reminder", "Reminders"
        FEED = "feed", "Feed"
        APPROVAL = "approval", "Approvals"
        EVENT = "event", "Noteworthy events"
        SYSTEM = "system", "System messages"

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.SYSTEM)
    title = models.CharField(max_length=255)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-created_at",)
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_unread_idx")]

    def __str__(self) -> str:
        return self.title


class EventNotice(models.Model):
    """That the owner of a party was told of one of its noteworthy events on a given day: the claim that makes
    the daily notice go out once, even with two beat schedulers or a retried task."""

    event = models.CharField(max_length=100, help_text="app_label.model:pk of the noteworthy event")
    on_date = models.DateField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["event", "on_date"], name="event_notice_once_a_day")]

    def __str__(self) -> str:
        return f"{self.event} on {self.on_date}"


def validate_image_upload(file) -> None:
    """An uploaded picture (a logo, a photo): an image type, and no larger than the attachment limit."""
    from django.conf import settings
    from django.core.exceptions import ValidationError
    from django.template.defaultfilters import filesizeformat

    limit = settings.ATTACHMENT_MAX_BYTES
    if file.size > limit:
        raise ValidationError(
            f"The picture is {filesizeformat(file.size)}; the limit is {filesizeformat(limit)}.".replace("\xa0", " ")
        )
    extension = file.name.rsplit(".", 1)[-1].lower() if "." in file.name else ""
    if extension not in {"png", "jpg", "jpeg", "gif", "webp"}:
        raise ValidationError("A picture must be a .png, .jpg, .gif or .webp file.")

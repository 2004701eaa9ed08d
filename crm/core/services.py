"""Platform services: numbering sequences."""

from django.db import transaction

from .models import Sequence

DEFAULT_MASKS = {
    "account": "ACC-{number:05d}",
    "contact": "CT-{number:05d}",
}


def next_number(*, name: str) -> str:
    """Return the next formatted number of the sequence `name`, without gaps from races or duplicates.

    The sequence row is locked until the surrounding transaction commits, so concurrent callers queue up;
    if the caller's transaction rolls back, the number is handed out again.
    """
    with transaction.atomic():
        Sequence.objects.get_or_create(name=name, defaults={"mask": DEFAULT_MASKS.get(name, "{number:05d}")})
        sequence = Sequence.objects.select_for_update().get(name=name)
        number = sequence.next_value
        Sequence.objects.filter(name=name).update(next_value=number + 1)
    return sequence.mask.format(number=number)


def next_numbers(*, name: str, count: int) -> list[str]:
    """`count` consecutive numbers of the sequence `name` at once (bulk paths: imports, seeding), locked like
    `next_number`."""
    if count <= 0:
        return []
    with transaction.atomic():
        Sequence.objects.get_or_create(name=name, defaults={"mask": DEFAULT_MASKS.get(name, "{number:05d}")})
        sequence = Sequence.objects.select_for_update().get(name=name)
        first = sequence.next_value
        Sequence.objects.filter(name=name).update(next_value=first + count)
    return [sequence.mask.format(number=number) for number in range(first, first + count)]


def notify(*, recipient, kind: str, title: str, body: str = "", url: str = ""):
    """Put an entry in a user's notification centre (the bell). Email, where configured, is the caller's call."""
    from .models import Notification

    if recipient is None or not recipient.is_active:
        return None
    return Notification.objects.create(recipient=recipient, kind=kind, title=title[:255], body=body, url=url[:500])


#: notifications that stay in the centre until the user marks them done; the others are read when seen
PROCESSED_KINDS = ("reminder", "approval")


def mark_notifications_read(*, user, kind: str) -> int:
    """Mark the user's unread notifications of `kind` read (opening a tab does this). Reminders and approvals
    are left alone: they stay until processed. Returns how many were marked."""
    from django.utils import timezone

    from .models import Notification

    if kind in PROCESSED_KINDS:
        return 0
    return Notification.objects.filter(recipient=user, kind=kind, read_at__isnull=True).update(read_at=timezone.now())


def mark_notification_done(*, user, notification_id: int) -> bool:
    """Mark one of the user's notifications processed. Another user's notification is not found (False)."""
    from django.utils import timezone

    from .models import Notification

    updated = Notification.objects.filter(pk=notification_id, recipient=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
    return bool(updated) or Notification.objects.filter(pk=notification_id, recipient=user).exists()

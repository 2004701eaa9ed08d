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


def notify(*, recipient, kind: str, title: str, body: str = "", url: str = ""):
    """Put an entry in a user's notification centre (the bell). Email, where configured, is the caller's call."""
    from .models import Notification

    if recipient is None or not recipient.is_active:
        return None
    return Notification.objects.create(recipient=recipient, kind=kind, title=title[:255], body=body, url=url[:500])

"""Telling the approvers of a step: a notification in the bell, and an email where the user has an address."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import send_mail

from crm.core.models import Notification
from crm.core.services import notify

from . import selectors, services
from .models import Approval

logger = logging.getLogger(__name__)


def notify_approvers(*, approval_id: int, position: int) -> int:
    """Notify the approvers of the approval's step `position`, unless it moved on meanwhile. Returns how many
    were told; an approver already holding the same unread notification is not told again."""
    approval = Approval.objects.filter(pk=approval_id).select_related("route", "requested_by").first()
    if approval is None or not approval.is_pending or approval.current_position != position:
        return 0
    record = approval.record
    if record is None:
        return 0
    url = services._record_url(record)
    requester = approval.requested_by.get_full_name() or approval.requested_by.get_username()
    title = f"Approve: {record}"
    body = f"{requester} asks you to approve “{record}”."
    told = 0
    for approver in selectors.approvers(approval):
        already = Notification.objects.filter(
            recipient=approver, kind="approval", title=title[:255], url=url, read_at__isnull=True
        ).exists()
        if already:
            continue
        notify(recipient=approver, kind="approval", title=title, body=body, url=url)
        told += 1
        if approver.email:
            try:
                send_mail(title, f"{body}\n\n{url}", settings.DEFAULT_FROM_EMAIL, [approver.email])
            except OSError:
                # the bell has it; a mail server that is down must not lose the notification
                logger.warning("Could not email approval %s to %s", approval.pk, approver.pk, exc_info=True)
    return told

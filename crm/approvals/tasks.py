"""Celery tasks of approvals: thin, and safe to run twice (an approver is told once per step)."""

from celery import shared_task

from . import notifications


@shared_task(name="crm.approvals.tasks.notify_approvers", ignore_result=True)
def notify_approvers(approval_id: int, position: int) -> int:
    return notifications.notify_approvers(approval_id=approval_id, position=position)

"""Celery tasks of activities: thin, safe to run twice (the service claims each reminder once)."""

from celery import shared_task

from . import services


@shared_task(name="activities.tasks.send_due_reminders", ignore_result=True)
def send_due_reminders() -> int:
    """Run every minute by Celery beat (CELERY_BEAT_SCHEDULE)."""
    return services.send_due_reminders()

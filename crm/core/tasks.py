"""Celery tasks of the platform: thin wrappers that call services and are safe to run twice."""

from celery import shared_task

from . import events


@shared_task
def notify_noteworthy_events() -> int:
    return events.notify_noteworthy_events()

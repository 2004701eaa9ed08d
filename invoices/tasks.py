"""Invoices' Celery tasks: thin, safe to run twice."""

from celery import shared_task


@shared_task(name="invoices.tasks.flag_overdue")
def flag_overdue() -> int:
    """Daily: open invoices past their due date become overdue and their owners are told, once."""
    from .services import flag_overdue as flag

    return flag()

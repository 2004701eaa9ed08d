"""Celery tasks of contracts: the daily validity check (expired contracts, end-date reminders)."""

from celery import shared_task

from . import services


@shared_task(name="contracts.tasks.check_validity", ignore_result=True)
def check_validity() -> dict:
    """Daily (CELERY_BEAT_SCHEDULE): safe to run twice, each contract is marked and reminded once."""
    expired = services.refresh_validity()
    reminded = services.remind_of_ending_contracts()
    return {"expired": expired, "reminded": reminded}

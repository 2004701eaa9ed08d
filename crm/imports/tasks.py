"""Celery tasks of imports: thin, by id, safe to run twice (a batch commits only under its run's lease)."""

from celery import shared_task

from . import services


@shared_task(acks_late=True, reject_on_worker_lost=True)
def run_import(job_id: int) -> None:
    services.run(job_id)


@shared_task
def resume_stalled_imports() -> None:
    services.resume_stalled()


@shared_task
def forget_drafts() -> None:
    services.forget_drafts()

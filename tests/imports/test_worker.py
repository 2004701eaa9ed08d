"""Imports on a real Celery worker over Redis: the task runs there, and a worker killed mid-import leaves whole
batches only, from which the retried task resumes without duplicating a row."""

import datetime
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from contacts.models import Contact
from crm.imports import services
from crm.imports.models import ImportChange, ImportJob

from .conftest import csv_bytes, upload

pytestmark = [pytest.mark.broker, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[2]


def wait_for(condition, timeout: float = 60, every: float = 0.02):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(every)
    raise AssertionError("timed out waiting")


def job_status(pk):
    return ImportJob.objects.values("status", "rows_done", "total_rows").get(pk=pk)


@pytest.fixture
def worker_process(transactional_db, tmp_path):
    """Start (and finally kill) `celery worker` subprocesses on a queue of their own, on the test database."""
    if not os.environ.get("REDIS_URL"):
        pytest.skip("REDIS_URL is unset: there is no broker to run a worker on")
    from tests.factories.seeds import ensure_seeded

    ensure_seeded()  # a transactional test before may have flushed the seeded lookups and rules
    queue = f"imports-test-{uuid.uuid4().hex[:8]}"
    database = connection.settings_dict
    url = (
        f"postgres://{database['USER']}@{database['HOST'] or '127.0.0.1'}:{database['PORT'] or 5432}/{database['NAME']}"
        if connection.vendor == "postgresql"
        else None
    )
    if url is None:
        pytest.skip("a worker in another process needs a database server (PostgreSQL)")
    processes = []

    def start():
        env = {
            **os.environ,
            "DATABASE_URL": url,
            "MEDIA_ROOT": str(settings.MEDIA_ROOT),
            "IMPORT_BATCH_SIZE": "100",
            "CRM_TESTING": "",
        }
        env.pop("CRM_TESTING")
        command = [sys.executable, "-m", "celery", "-A", "crm", "worker", "-P", "solo", "-Q", queue, "-l", "WARNING"]
        log = open(settings.MEDIA_ROOT.parent / f"worker-{len(processes)}.log", "wb")  # noqa: SIM115
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        processes.append(process)
        return process

    from crm.celery import app

    eager = app.conf.task_always_eager
    app.conf.task_always_eager = False
    try:
        yield start, queue
    finally:
        app.conf.task_always_eager = eager
        for process in processes:
            if process.poll() is None:
                process.kill()
            process.wait(timeout=10)


def big_job(user, rows: int) -> ImportJob:
    content = csv_bytes(
        [["Given name", "Surname", "Email"]] + [[f"P{i}", "Lee", f"p{i}@x.example"] for i in range(rows)]
    )
    job = services.create_job(user=user, section_name="contacts", upload=upload(content, "people.csv"))
    job = services.configure(user=user, job=job, sheet="", mapping=job.mapping, keys=["email"], lookup_mode="refuse")
    job.status, job.total_rows = ImportJob.Status.QUEUED, rows
    job.save()
    return job


def test_a_worker_killed_mid_import_resumes_from_its_last_batch(worker_process, django_user_model):
    from crm.imports.tasks import run_import

    start, queue = worker_process
    alice = django_user_model.objects.create_user("alice", password="x")
    job = big_job(alice, 10_000)
    first = start()
    run_import.apply_async((job.pk,), queue=queue)

    wait_for(lambda: job_status(job.pk)["rows_done"] >= 300, timeout=20)
    first.send_signal(signal.SIGKILL)
    first.wait(timeout=10)
    stopped = job_status(job.pk)
    assert stopped["status"] == ImportJob.Status.RUNNING and stopped["rows_done"] < 10_000
    time.sleep(0.2)
    # whole batches only: every committed row is a contact, and nothing else is
    assert Contact.objects.count() == job_status(job.pk)["rows_done"]
    assert job_status(job.pk)["rows_done"] % 100 == 0

    start()
    resumed = services.resume_stalled(stalled_after=datetime.timedelta(0), queue=queue)
    assert resumed == [job.pk]
    wait_for(lambda: job_status(job.pk)["status"] == ImportJob.Status.COMPLETED, timeout=120)

    job.refresh_from_db()
    assert (job.rows_done, job.created_count, job.refused_count) == (10_000, 10_000, 0)
    assert Contact.objects.count() == 10_000
    assert Contact.objects.values("email").distinct().count() == 10_000
    # what a rollback would delete: exactly the contacts there are, each once
    logged = [pk for change in ImportChange.objects.filter(job=job) for pk in change.object_ids]
    assert sorted(logged) == sorted(Contact.objects.values_list("pk", flat=True))


def test_an_import_runs_on_the_worker_and_notifies_its_owner(worker_process, django_user_model):
    from crm.core.models import Notification
    from crm.imports.tasks import run_import

    start, queue = worker_process
    alice = django_user_model.objects.create_user("alice", password="x")
    job = big_job(alice, 250)
    start()
    run_import.apply_async((job.pk,), queue=queue)

    wait_for(lambda: job_status(job.pk)["status"] == ImportJob.Status.COMPLETED)
    assert Contact.objects.count() == 250
    note = wait_for(lambda: Notification.objects.filter(recipient=alice).first())
    assert note.title.startswith("Import into Contacts completed") and "250 created" in note.body

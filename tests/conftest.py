"""Shared fixtures: named users (alice the owner, bob the teammate, charlie the outsider, ada the admin)."""

import os

os.environ.setdefault("CRM_TESTING", "1")

import pytest  # noqa: E402

from tests.factories import UserFactory  # noqa: E402


@pytest.fixture
def alice(db):
    return UserFactory(username="alice", first_name="Alice", last_name="Archer")


@pytest.fixture
def bob(db):
    return UserFactory(username="bob", first_name="Bob", last_name="Baker")


@pytest.fixture
def charlie(db):
    return UserFactory(username="charlie", first_name="Charlie", last_name="Cole")


@pytest.fixture
def ada(db):
    return UserFactory(username="ada", first_name="Ada", last_name="Admin", is_staff=True, is_superuser=True)


@pytest.fixture
def alice_client(client, alice):
    client.force_login(alice)
    return client


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Uploaded files go to a temporary folder, never into var/."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def celery_worker_on_redis(transactional_db):
    """A real Celery worker consuming from the Redis broker (REDIS_URL), running in this process so that it
    reads the test database; skipped when REDIS_URL is unset. Tasks sent with `.delay()` cross the broker.

    Transactional: the worker's thread has its own database connection and sees only committed rows."""
    if not os.environ.get("REDIS_URL"):
        pytest.skip("REDIS_URL is unset: there is no broker to run a worker on")
    from celery.contrib.testing.worker import start_worker

    from tests.factories.seeds import ensure_seeded

    ensure_seeded()  # a transactional test before may have flushed what the data migrations seed

    from crm.celery import app

    # A queue of this test process's own: with several test processes (xdist), another one's worker must not take
    # this test's tasks (it would look for them in its own test database).
    queue = f"tests-{os.getpid()}"
    eager, default_queue = app.conf.task_always_eager, app.conf.task_default_queue
    app.conf.task_always_eager = False
    app.conf.task_default_queue = queue
    try:
        with start_worker(
            app,
            pool="solo",
            perform_ping_check=False,
            loglevel="WARNING",
            shutdown_timeout=10,
            queues=[queue],
        ):
            yield app
    finally:
        app.conf.task_always_eager = eager
        app.conf.task_default_queue = default_queue


@pytest.fixture(autouse=True)
def _fresh_access_rules():
    """The access rules are cached across requests, and each test's database is rolled back: start afresh."""
    from crm.access import snapshot

    snapshot.forget()


@pytest.fixture(autouse=True)
def _fresh_custom_fields():
    """Custom field definitions are kept for a request or a task; each test's database is rolled back."""
    from crm.designer import fields

    fields.forget()
    yield
    fields.forget()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The test database, with the table of the tests' runtime section (tests.factories.custom_sections)."""
    from tests.factories.custom_sections import ensure_table

    with django_db_blocker.unblock():
        ensure_table()


class SeededDemo:
    """The demo company seeded once per test process for the tests that look at it (and for the seeding's own
    checks, which run `seed_demo` again on top): seeding takes half a minute, and a dozen tests seeding it anew
    made a sixth of the suite's time. The seeding stays in an outer transaction that is never committed; each test
    runs in a savepoint inside it (pytest-django's `db`), so what a test changes is rolled back as usual. The
    outer transaction is rolled back before any test that does not ask for `seeded_demo` (a transactional test
    must not run inside it, nor an ordinary one see the demo), and at the end of the session; the tests asking
    for it are run one after another in one process (their `xdist_group`) so that it is seeded once."""

    def __init__(self, blocker):
        self.blocker = blocker
        self.atomic = None

    def open(self) -> None:
        if self.atomic is None:
            from io import StringIO

            from django.core.management import call_command
            from django.db import transaction

            with self.blocker.unblock():
                self.atomic = transaction.atomic()
                self.atomic.__enter__()
                # What the seeding does on commit (messages to approvers after the trim of the bells) never runs
                # here, as in a test of its own: nothing is committed.
                call_command("seed_demo", stdout=StringIO())

    def discard(self) -> None:
        if self.atomic is None:
            return
        from django.db import transaction

        with self.blocker.unblock():
            transaction.set_rollback(True)
            self.atomic.__exit__(None, None, None)
        self.atomic = None


SEEDED_DEMO = "seeded_demo"
seeded_demo_key = pytest.StashKey[SeededDemo]()


@pytest.fixture(scope="session")
def _seeded_demo_database(request, django_db_setup, django_db_blocker):
    seeded = request.config.stash.setdefault(seeded_demo_key, SeededDemo(django_db_blocker))
    yield seeded
    seeded.discard()


@pytest.fixture(autouse=True)
def _seeded_demo_transaction(request):
    """The seeded demo's transaction, opened before the test's own (`db`, a savepoint inside it)."""
    if SEEDED_DEMO in request.fixturenames:
        if request.node.get_closest_marker("django_db") is not None:
            raise pytest.UsageError("seeded_demo brings its own database access: drop the django_db mark")
        request.getfixturevalue("_seeded_demo_database").open()


@pytest.fixture
def seeded_demo(_seeded_demo_database, db):
    """The demo company (`seed_demo`), seeded once for all the tests that ask for it; returns the demo users by
    username. What a test changes is rolled back after it."""
    from django.contrib.auth import get_user_model

    from crm.designer import custom_sections

    custom_sections.load()  # the demo's runtime section, which the test before dropped from the registry
    return {user.username: user for user in get_user_model().objects.all()}  # fresh: a test may change its own


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items):
    """The tests on the seeded demo run one after another, first, in one process (`--dist loadgroup`)."""
    on_the_demo = [item for item in items if SEEDED_DEMO in getattr(item, "fixturenames", ())]
    for item in on_the_demo:
        item.add_marker(pytest.mark.xdist_group(SEEDED_DEMO))
    items[:] = on_the_demo + [item for item in items if SEEDED_DEMO not in getattr(item, "fixturenames", ())]


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    """Before a test that does not work on the seeded demo (its fixtures not yet set up): the demo goes."""
    seeded = item.config.stash.get(seeded_demo_key, None)
    if seeded is not None and SEEDED_DEMO not in getattr(item, "fixturenames", ()):
        seeded.discard()


@pytest.fixture(autouse=True)
def _fresh_custom_sections():
    """A test that made a section rolled its rows back: the registry drops it too (the tests' own stays)."""
    yield
    from django.contrib.contenttypes.models import ContentType

    from crm.designer import custom_sections

    if custom_sections.forget_unpinned():
        ContentType.objects.clear_cache()  # the dropped sections' content types were rolled back too


@pytest.fixture
def role_tree(db):
    """An organisation without members: Company > Sales (managed by "Sales managers") > Sales team A and Sales
    team B, and the functional role "Administrators". Put users in with `crm.access.models.Membership`."""
    from types import SimpleNamespace

    from crm.access.models import Role
    from crm.access.services import ensure_all_employees

    company = Role.objects.create(name="Company", kind=Role.Kind.ORGANISATION)
    sales = Role.objects.create(name="Sales", kind=Role.Kind.DIVISION, parent=company)
    return SimpleNamespace(
        all_employees=ensure_all_employees(),
        company=company,
        sales=sales,
        sales_managers=Role.objects.create(name="Sales managers", kind=Role.Kind.MANAGEMENT, parent=sales),
        team_a=Role.objects.create(name="Sales team A", kind=Role.Kind.DEPARTMENT, parent=sales),
        team_b=Role.objects.create(name="Sales team B", kind=Role.Kind.DEPARTMENT, parent=sales),
        administrators=Role.objects.create(name="Administrators", kind=Role.Kind.FUNCTIONAL),
    )


@pytest.fixture
def record_rights(db):
    """`record_rights("accounts")` switches record rights on for a section: its records are then seen only by
    their owner, author, the owner's managers and those they are granted to."""
    from crm.access.models import SectionAccess

    def switch_on(section_name: str):
        return SectionAccess.objects.update_or_create(section=section_name, defaults={"use_record_rights": True})[0]

    return switch_on


@pytest.fixture
def only_owners_read_records(record_rights):
    """Record rights on in every registered section, with no grants: a record is read and changed only by its
    owner, its author and superusers (the real rules of crm.access, no stand-in)."""
    from crm.sections import registry

    for section in registry.all_sections():
        record_rights(section.name)


@pytest.fixture
def only_owners_edit_records(only_owners_read_records):
    """The same rule read from the side of editing: others may neither see nor change a record."""


@pytest.fixture
def tag_manager(role_tree, bob):
    """bob holds the right "Corporate tag management"."""
    from crm.access.models import Membership, OperationRight

    Membership.objects.create(user=bob, role=role_tree.administrators)
    OperationRight.objects.create(operation="manage_corporate_tags", role=role_tree.administrators, allowed=True)
    return bob

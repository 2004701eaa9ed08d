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

import pytest

from crm.access.models import SectionAccess


@pytest.fixture
def record_rights(db):
    """Projects and their tasks are seen and changed by their owners only (and who is granted them)."""
    for name in ("projects", "project_tasks"):
        SectionAccess.objects.create(section=name, use_record_rights=True)

import pytest

from opportunities import services
from opportunities.models import NeedType, OpportunityStage
from tests.factories import AccountFactory


@pytest.fixture
def stages(db):
    """The seeded stages by code."""
    return {stage.code: stage for stage in OpportunityStage.objects.all()}


@pytest.fixture
def make_opportunity(db):
    """An opportunity created the way users create one (stage history and the first stage's tasks included)."""

    def make(user, **data):
        data.setdefault("name", "Laptops for Northwind")
        data.setdefault("account", AccountFactory(owner=user))
        data.setdefault("need_type", NeedType.objects.first())
        return services.create_opportunity(user=user, data=data)

    return make

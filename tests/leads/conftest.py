import pytest

from leads import services
from leads.models import DisqualificationReason, Lead, WebForm
from opportunities.models import NeedType


@pytest.fixture
def make_lead(db):
    """A lead created the way users create one (it enters Qualification with its task)."""

    def make(user, **data):
        data.setdefault("need", "Laptops for the sales team")
        data.setdefault("contact_name", "Nina Novak")
        data.setdefault("account_name", "Northwind")
        data.setdefault("email", "nina@northwind.example")
        data.setdefault("mobile_phone", "+49 170 1234567")
        data.setdefault("need_type", NeedType.objects.get(name="Product purchase"))
        return services.create_lead(user=user, data=data)

    return make


@pytest.fixture
def reason():
    def get(name: str) -> DisqualificationReason:
        return DisqualificationReason.objects.get(name=name)

    return get


@pytest.fixture
def web_form(alice):
    return WebForm.objects.create(name="Spring campaign", owner=alice, thank_you_url="https://example.com/thanks")


def reload(lead: Lead) -> Lead:
    return Lead.objects.get(pk=lead.pk)

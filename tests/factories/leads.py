"""Factories of the Leads section. Channels, sources and disqualification reasons come from the seed migration.

A factory-made lead is a bare row (no stage history, no process tasks): tests of the process create leads with
`leads.services.create_lead`."""

from decimal import Decimal

import factory

from leads.models import Lead, LeadProduct, WebForm

from .core import UserFactory
from .customers import RecordFactory
from .products import ProductFactory, unit


class LeadFactory(RecordFactory):
    class Meta:
        model = Lead

    need = factory.Sequence(lambda n: f"Laptops for the sales team {n:05d}")
    contact_name = factory.Faker("name")
    account_name = factory.Sequence(lambda n: f"Lead company {n:05d}")
    email = factory.Sequence(lambda n: f"lead{n}@example.com")


class WebFormFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WebForm

    name = factory.Sequence(lambda n: f"Landing page {n}")
    owner = factory.SubFactory(UserFactory)


class LeadProductFactory(factory.django.DjangoModelFactory):
    """A product line on a lead: 2 pieces at 100.00 (amounts computed as the services compute them)."""

    class Meta:
        model = LeadProduct

    lead = factory.SubFactory(LeadFactory)
    product = factory.SubFactory(ProductFactory, owner=factory.SelfAttribute("..lead.owner"))
    unit = factory.LazyFunction(lambda: unit("pieces"))
    quantity = Decimal("2")
    price = Decimal("100.00")

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        line = model_class(*args, **kwargs)
        line.recompute()
        line.save()
        return line

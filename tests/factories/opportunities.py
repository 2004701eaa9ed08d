"""Factories of the Opportunities section. Stages, need types, moods and roles come from the seed migration.

A factory-made opportunity is a bare row (no stage history, no process tasks): tests of the process create
opportunities with `opportunities.services.create_opportunity`."""

import factory

from opportunities.models import Competitor, NeedType, Opportunity, OpportunityContact, OpportunityStage
from products.models import Currency

from .customers import AccountFactory, ContactFactory, RecordFactory


def stage(code: str) -> OpportunityStage:
    return OpportunityStage.objects.get(code=code)


class OpportunityFactory(RecordFactory):
    class Meta:
        model = Opportunity

    name = factory.Sequence(lambda n: f"Opportunity {n:05d}")
    account = factory.SubFactory(AccountFactory, owner=factory.SelfAttribute("..owner"))
    stage = factory.LazyFunction(lambda: stage("qualification"))
    need_type = factory.LazyFunction(lambda: NeedType.objects.order_by("position").first())
    currency = factory.LazyFunction(lambda: Currency.objects.base())
    probability = 20


class OpportunityContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OpportunityContact

    opportunity = factory.SubFactory(OpportunityFactory)
    contact = factory.SubFactory(ContactFactory, owner=factory.SelfAttribute("..opportunity.owner"))


class CompetitorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Competitor

    opportunity = factory.SubFactory(OpportunityFactory)
    account = factory.SubFactory(AccountFactory, owner=factory.SelfAttribute("..opportunity.owner"))

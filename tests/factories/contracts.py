"""Factories of the Contracts section: a draft contract of an account, in the base currency, valid for a year.

A factory-made contract is a bare row (no after_save hook): tests of the status process go through the services
or the form."""

import datetime

import factory
from django.utils import timezone

from contracts.models import Contract, ContractProduct
from products.models import Currency

from .customers import AccountFactory, RecordFactory


class ContractFactory(RecordFactory):
    class Meta:
        model = Contract

    number = factory.Sequence(lambda n: f"T-CON-{n:05d}")
    type = Contract.Type.CONTRACT
    status = Contract.Status.DRAFT
    account = factory.SubFactory(AccountFactory, owner=factory.SelfAttribute("..owner"))
    currency = factory.LazyFunction(lambda: Currency.objects.base())
    amount = 1000
    start_date = factory.LazyFunction(timezone.localdate)
    end_date = factory.LazyAttribute(lambda o: o.start_date + datetime.timedelta(days=365))


class AddendumFactory(ContractFactory):
    """An addendum under a contract of the same owner (exported only on request: ContractFactory is the section's
    factory)."""

    type = Contract.Type.ADDENDUM
    parent = factory.SubFactory(ContractFactory, owner=factory.SelfAttribute("..owner"))
    account = factory.SelfAttribute("parent.account")


class ContractProductFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ContractProduct

    contract = factory.SubFactory(ContractFactory)
    product = factory.SubFactory("tests.factories.products.ProductFactory")
    unit = factory.SelfAttribute("product.unit")
    quantity = 2
    price = 100

"""Factories of the Invoices section. A factory-made invoice is a bare row; tests of payments and statuses go
through `invoices.services`."""

import factory

from invoices.models import Invoice, Payment
from products.models import Currency

from .customers import AccountFactory, RecordFactory


class InvoiceFactory(RecordFactory):
    class Meta:
        model = Invoice

    number = factory.Sequence(lambda n: f"T-INV-{n:06d}")
    account = factory.SubFactory(AccountFactory, owner=factory.SelfAttribute("..owner"))
    currency = factory.LazyFunction(lambda: Currency.objects.base())
    customer_reference = factory.Sequence(lambda n: f"PO-{n:06d}")


class PaymentFactory(factory.django.DjangoModelFactory):
    """A bare payment row (the paid amount and statuses do not follow: use invoices.services.register_payment)."""

    class Meta:
        model = Payment

    invoice = factory.SubFactory(InvoiceFactory)
    amount = factory.Faker("pydecimal", left_digits=3, right_digits=2, positive=True, min_value=1)

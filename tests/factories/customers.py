import factory

from accounts.models import Account
from contacts.models import Contact

from .core import UserFactory


class RecordFactory(factory.django.DjangoModelFactory):
    """Owner, author and editor are the same user unless told otherwise."""

    class Meta:
        abstract = True

    owner = factory.SubFactory(UserFactory)
    created_by = factory.SelfAttribute("owner")
    modified_by = factory.SelfAttribute("owner")


class AccountFactory(RecordFactory):
    class Meta:
        model = Account

    name = factory.Sequence(lambda n: f"Account {n:05d}")
    code = factory.Sequence(lambda n: f"T-{n:06d}")
    city = "Berlin"
    phone = factory.Sequence(lambda n: f"+49 30 {n:07d}")


class ContactFactory(RecordFactory):
    class Meta:
        model = Contact

    given_name = factory.Faker("first_name")
    surname = factory.Faker("last_name")
    account = factory.SubFactory(AccountFactory, owner=factory.SelfAttribute("..owner"))
    email = factory.Sequence(lambda n: f"person{n}@example.com")

import factory

from accounts.models import Account, AccountAddress, AccountAddressType, AccountCommunication, AccountCommunicationType
from contacts.models import Contact, ContactCommunication, ContactCommunicationType

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


def lookup(model, name: str):
    """A seeded lookup value (the data migrations seed them), e.g. lookup(AccountAddressType, "Legal")."""
    return model.objects.get(name=name)


class AccountCommunicationFactory(factory.django.DjangoModelFactory):
    """A communication option written straight to the table (no services): for tests that need many rows."""

    class Meta:
        model = AccountCommunication

    account = factory.SubFactory(AccountFactory)
    type = factory.LazyFunction(lambda: lookup(AccountCommunicationType, "Additional phone"))
    value = factory.Sequence(lambda n: f"+49 30 9{n:06d}")
    normalized = factory.LazyAttribute(lambda o: "+" + "".join(c for c in o.value if c.isdigit()))


class AccountAddressFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AccountAddress

    account = factory.SubFactory(AccountFactory)
    type = factory.LazyFunction(lambda: lookup(AccountAddressType, "Legal"))
    street = factory.Sequence(lambda n: f"{n} Market Street")
    city = "Berlin"
    country = "Germany"


class ContactCommunicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ContactCommunication

    contact = factory.SubFactory(ContactFactory)
    type = factory.LazyFunction(lambda: lookup(ContactCommunicationType, "Home phone"))
    value = factory.Sequence(lambda n: f"+49 40 9{n:06d}")
    normalized = factory.LazyAttribute(lambda o: "+" + "".join(c for c in o.value if c.isdigit()))


#: the data migrations that seed the lookups of accounts and contacts
CUSTOMER_SEEDS = (
    "accounts.migrations.0003_seed_lookups",
    "accounts.migrations.0007_seed_details",
    "contacts.migrations.0002_seed_lookups",
    "contacts.migrations.0005_seed_details",
)


def ensure_customer_lookups() -> None:
    """The seeded lookups (types, relationship pairs, completeness weights, stages, ...), seeded again when a
    transactional test (a browser test) has flushed the database before. Kept under its old name: it now
    restores every app's seed (see tests.factories.seeds)."""
    from .seeds import ensure_seeded

    ensure_seeded()

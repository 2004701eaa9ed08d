"""The preset rules of contacts and accounts, and similarity thresholds: what each one finds and what it leaves."""

import pytest

from accounts.models import Account
from contacts.models import Contact, ContactCommunication, ContactCommunicationType
from crm.duplicates import services
from crm.duplicates.models import DuplicateRule, RuleAttribute
from crm.duplicates.selectors import candidates_for
from tests.factories import AccountFactory
from tests.factories.customers import lookup

pytestmark = pytest.mark.django_db


def only(section: str, rule_name: str) -> None:
    DuplicateRule.objects.filter(section=section).exclude(name=rule_name).update(is_active=False)
    assert DuplicateRule.objects.filter(section=section, name=rule_name).update(is_active=True) == 1


def found(section, user, **values) -> list:
    return [c.record for c in candidates_for(section=section, user=user, instance=section.model(**values))]


EXISTING = {"email": "ann.lee@example.com", "mobile_phone": "+1 415 555 0100", "business_phone": "+1 415 555 0199"}

CONTACT_CASES = [
    # rule, a new contact that the rule finds, one it does not
    (
        "Full name + phone",
        {"full_name": "Lee, Ann", "mobile_phone": "(415) 555-0199"},
        {"full_name": "Ann Lee", "mobile_phone": "(415) 555-0123"},
    ),
    (
        "Full name + email",
        {"full_name": "ANN LEE", "email": "Ann.Lee@Example.com"},
        {"full_name": "Ann Lee", "email": "ann@example.com"},
    ),
    (
        "Mobile phone",
        {"full_name": "A. Lee", "mobile_phone": "415.555.0100"},
        {"full_name": "Ann Lee", "mobile_phone": "+1 415 555 0199"},
    ),
    (
        "Business phone",
        {"full_name": "X", "business_phone": "4155550199"},
        {"full_name": "Ann Lee", "business_phone": "4155550100"},
    ),
    (
        "Email",
        {"full_name": "Somebody", "email": "ANN.LEE@example.com"},
        {"full_name": "Ann Lee", "email": "ann.lee@example.org"},
    ),
    ("Full name", {"full_name": "Lée Ann"}, {"full_name": "Ann Leeds"}),
    (
        "Similar full name + phone",
        {"full_name": "Anne Lee", "business_phone": "+1 415 555 0100"},
        {"full_name": "Anna Leighton", "business_phone": "+1 415 555 0100"},
    ),
    (
        "Similar full name + email",
        {"full_name": "Ann Leee", "email": "ann.lee@example.com"},
        {"full_name": "Bob Lee", "email": "ann.lee@example.com"},
    ),
]


@pytest.mark.parametrize(("rule", "matching", "different"), CONTACT_CASES, ids=[c[0] for c in CONTACT_CASES])
def test_each_preset_contact_rule(alice, make_contact, contacts_section, rule, matching, different):
    only("contacts", rule)
    ann = make_contact("Ann Lee", **EXISTING)

    assert found(contacts_section, alice, **matching) == [ann]
    assert found(contacts_section, alice, **different) == []


def test_any_phone_includes_the_phones_among_communication_options(alice, make_contact, contacts_section):
    only("contacts", "Full name + phone")
    ann = make_contact("Ann Lee")
    ContactCommunication.objects.create(
        contact=ann, type=lookup(ContactCommunicationType, "Home phone"), value="+1 212 555 0147", normalized="x"
    )
    services.index_record(ann)

    assert found(contacts_section, alice, full_name="Ann Lee", business_phone="212-555-0147") == [ann]


ACCOUNT_CASES = [
    ("Name", {"name": "robotics acme LIMITED"}, {"name": "Acme Industries"}),
    ("Also known as", {"name": "Roadrunner Supplies"}, {"name": "Coyote Supplies"}),
    ("Web domain", {"name": "X", "web": "http://shop.acme.com/en"}, {"name": "X", "web": "https://acme.org"}),
    ("Phone", {"name": "X", "phone": "+49 30 1234567"}, {"name": "X", "phone": "+49 30 7654321"}),
    ("Email", {"name": "X", "email": "INFO@acme.com"}, {"name": "X", "email": "sales@acme.com"}),
    ("Similar name", {"name": "Acme Robotcs"}, {"name": "Apex Robotics"}),
]


@pytest.mark.parametrize(("rule", "matching", "different"), ACCOUNT_CASES, ids=[c[0] for c in ACCOUNT_CASES])
def test_each_preset_account_rule(alice, accounts_section, rule, matching, different):
    only("accounts", rule)
    acme = AccountFactory(
        owner=alice,
        name="Acme Robotics Ltd",
        also_known_as="Roadrunner Supplies",
        web="https://www.acme.com",
        phone="030 1234567",
        email="info@acme.com",
    )
    AccountFactory(owner=alice, name="Unrelated Inc", phone="", web="")
    services.index_record(acme)

    assert found(accounts_section, alice, **matching) == [acme]
    assert found(accounts_section, alice, **different) == []


@pytest.mark.parametrize(("threshold", "expected"), [(85, True), (95, False)])
def test_a_fuzzy_attribute_matches_only_at_or_above_its_threshold(
    alice, make_contact, contacts_section, threshold, expected
):
    only("contacts", "Similar full name + email")
    RuleAttribute.objects.filter(rule__name="Similar full name + email", attribute="full_name").update(
        threshold=threshold
    )
    jon = make_contact("Jonathan Smith", email="js@example.com")

    # "jonathon smith" is 93% similar to "jonathan smith"
    result = found(contacts_section, alice, full_name="Jonathon Smith", email="js@example.com")

    assert (result == [jon]) is expected


def test_a_rule_not_used_on_save_is_left_out_of_the_check(alice, make_contact, contacts_section):
    only("contacts", "Email")
    DuplicateRule.objects.filter(name="Email", section="contacts").update(use_on_save=False)
    make_contact("Ann Lee", email="ann@example.com")

    assert found(contacts_section, alice, full_name="Z", email="ann@example.com") == []


def test_an_inactive_rule_finds_nothing(alice, make_contact, contacts_section):
    DuplicateRule.objects.filter(section="contacts").update(is_active=False)
    make_contact("Ann Lee", email="ann@example.com")

    assert found(contacts_section, alice, full_name="Ann Lee", email="ann@example.com") == []
    assert Contact.objects.count() == 1 and Account.objects.count() == 0


LEAD_CASES = [
    (
        "Contact name + email",
        {"contact_name": "Lee, Ann", "email": "ANN@acme.com"},
        {"contact_name": "Bo", "email": "b@x.com"},
    ),
    ("Email", {"contact_name": "X", "email": "ann@acme.com"}, {"contact_name": "X", "email": "ann@acme.org"}),
    (
        "Phone",
        {"contact_name": "X", "business_phone": "+1 415 555 0100"},
        {"contact_name": "X", "mobile_phone": "555 0101"},
    ),
    ("Account name", {"contact_name": "X", "account_name": "ACME Inc."}, {"contact_name": "X", "account_name": "Apex"}),
]


@pytest.mark.parametrize(("rule", "matching", "different"), LEAD_CASES, ids=[c[0] for c in LEAD_CASES])
def test_each_preset_lead_rule(alice, rule, matching, different):
    from crm.sections import registry
    from tests.factories.leads import LeadFactory

    section = registry.get("leads")
    only("leads", rule)
    lead = LeadFactory(
        owner=alice, contact_name="Ann Lee", email="ann@acme.com", mobile_phone="(415) 555-0100", account_name="Acme"
    )
    services.index_record(lead)

    assert found(section, alice, **matching) == [lead]
    assert found(section, alice, **different) == []

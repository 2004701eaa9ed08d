"""Relationships between accounts and contacts: paired types, so that what A is to B, B sees as the inverse."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.models import Relationship, RelationshipType
from accounts.services import relate, save_relationship_type
from crm.sections import details, registry, services
from tests.factories import AccountFactory, ContactFactory

HTMX = {"HTTP_HX_REQUEST": "true"}


def role(name: str) -> RelationshipType:
    return RelationshipType.objects.get(name=name)


def seen_from(user, record) -> list[tuple[str, str]]:
    """The "Connected to" rows as the record's page lists them: (the other party, its role)."""
    rows = registry.for_model(record).get_detail("relationships").display_rows(user, record)
    return [(str(row.other), str(row.role)) for row in rows]


@pytest.fixture
def holding(alice):
    return AccountFactory(name="Contoso Holding", owner=alice)


@pytest.fixture
def affiliate(alice):
    return AccountFactory(name="Fabrikam", owner=alice)


def test_an_affiliate_added_to_a_holding_sees_the_holding_as_its_holding_company(alice, holding, affiliate):
    relate(user=alice, record=holding, other=affiliate, type=role("Affiliate company"))

    assert seen_from(alice, holding) == [("Fabrikam", "Affiliate company")]
    assert seen_from(alice, affiliate) == [("Contoso Holding", "Holding company")]


def test_an_employee_added_to_an_account_sees_the_account_as_employer(alice, holding):
    nancy = ContactFactory(given_name="Nancy", surname="Davolio", owner=alice, account=None)

    relate(user=alice, record=holding, other=nancy, type=role("Employee"))

    assert seen_from(alice, holding) == [("Nancy Davolio", "Employee")]
    assert seen_from(alice, nancy) == [("Contoso Holding", "Employer")]


def test_a_symmetric_type_reads_the_same_from_both_sides(alice, holding, affiliate):
    relate(user=alice, record=affiliate, other=holding, type=role("Partner"))

    assert seen_from(alice, holding) == [("Fabrikam", "Partner")]
    assert seen_from(alice, affiliate) == [("Contoso Holding", "Partner")]


def test_changing_a_relationship_from_the_other_side_rewrites_it_from_that_side(alice, holding, affiliate):
    row = relate(user=alice, record=holding, other=affiliate, type=role("Affiliate company"))

    details.save_row(
        detail=registry.get("accounts").get_detail("relationships"),
        user=alice,
        record=affiliate,
        row=row,
        data={"account": holding, "contact": None, "type": role("Supplier"), "notes": ""},
    )

    assert Relationship.objects.count() == 1
    assert seen_from(alice, affiliate) == [("Contoso Holding", "Supplier")]
    assert seen_from(alice, holding) == [("Fabrikam", "Customer")]


def test_a_record_cannot_be_related_to_itself(alice, holding):
    with pytest.raises(ValidationError, match="cannot be related to itself"):
        relate(user=alice, record=holding, other=holding, type=role("Partner"))

    assert not Relationship.objects.exists()


def test_a_relationship_goes_when_one_of_its_parties_is_deleted(alice, holding):
    nancy = ContactFactory(owner=alice, account=None)
    relate(user=alice, record=holding, other=nancy, type=role("Employee"))

    services.delete_record(user=alice, obj=nancy)

    assert not Relationship.objects.exists()


def test_pairing_a_type_pairs_its_inverse_and_unpairs_the_former_partner(db):
    mentor = RelationshipType.objects.create(name="Mentor")
    mentee = RelationshipType.objects.create(name="Mentee")
    protege = RelationshipType.objects.create(name="Protégé")

    save_relationship_type(type=mentor, inverse=mentee)
    assert role("Mentee").inverse == mentor
    save_relationship_type(type=mentor, inverse=protege)

    assert role("Mentor").inverse == protege
    assert role("Protégé").inverse == mentor
    assert role("Mentee").inverse is None


def test_the_admin_pairs_a_new_type_both_ways(client, ada):
    client.force_login(ada)
    inverse = RelationshipType.objects.create(name="Franchisee")

    client.post(
        reverse("admin:accounts_relationshiptype_add"),
        {"name": "Franchisor", "inverse": inverse.pk, "position": 1, "is_active": "on", "description": ""},
    )

    assert role("Franchisee").inverse == role("Franchisor")


# --- the "Connected to" tab ----------------------------------------------------------------------------------


def test_the_connected_to_tab_lists_the_other_party_in_its_role(alice_client, alice, holding, affiliate):
    relate(user=alice, record=holding, other=affiliate, type=role("Affiliate company"))

    body = alice_client.get(reverse("accounts:tab", args=[affiliate.pk, "connections"]), **HTMX).content.decode()

    assert "Contoso Holding" in body
    assert "Holding company" in body


def test_adding_a_relationship_in_place(alice_client, alice, holding):
    nancy = ContactFactory(given_name="Nancy", surname="Davolio", owner=alice, account=None)
    url = reverse("accounts:detail_row_create", args=[holding.pk, "relationships"])

    response = alice_client.post(
        url, {"detail-relationships-contact": nancy.pk, "detail-relationships-type": role("Employee").pk}, **HTMX
    )

    assert response.status_code == 200
    assert seen_from(alice, nancy) == [("Contoso Holding", "Employer")]


def test_the_form_wants_either_an_account_or_a_contact(alice_client, alice, holding, affiliate):
    nancy = ContactFactory(owner=alice, account=None)
    url = reverse("accounts:detail_row_create", args=[holding.pk, "relationships"])

    response = alice_client.post(
        url,
        {
            "detail-relationships-account": affiliate.pk,
            "detail-relationships-contact": nancy.pk,
            "detail-relationships-type": role("Partner").pk,
        },
        **HTMX,
    )

    assert "Choose either an account or a contact." in response.content.decode()
    assert not Relationship.objects.exists()

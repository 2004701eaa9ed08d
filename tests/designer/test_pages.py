"""The system designer's pages: the hub, a section's custom fields, adding, changing and retiring a field."""

import pytest
from django.urls import reverse

from crm.access.models import Membership, OperationRight
from crm.designer.models import FieldDefinition
from tests.factories import AccountFactory


@pytest.fixture
def designer_client(client, bob, role_tree):
    """bob holds the designer right (and nothing else of an administrator's)."""
    Membership.objects.create(user=bob, role=role_tree.administrators)
    OperationRight.objects.create(role=role_tree.administrators, operation="designer", allowed=True)
    client.force_login(bob)
    return client


def test_the_hub_lists_every_section_with_its_custom_field_count(designer_client):
    FieldDefinition.objects.create(section="accounts", code="tier", label="Tier", kind="text")
    FieldDefinition.objects.create(section="accounts", code="old", label="Old", kind="text", is_active=False)

    response = designer_client.get(reverse("designer:index"))

    counts = {section.name: count for section, count in response.context["sections"]}
    assert counts["accounts"] == 1 and counts["contacts"] == 0
    assert 'id="menu-designer"' in response.content.decode()


def test_the_hub_offers_only_the_tools_the_user_may_use(designer_client):
    tools = [tool[0] for tool in designer_client.get(reverse("designer:index")).context["tools"]]

    assert "access:users" not in tools


def test_a_designer_adds_a_field_from_the_sections_page(designer_client):
    response = designer_client.post(
        reverse("designer:field_create", args=["contacts"]),
        {"code": "hobby", "label": "Hobby", "kind": "choice", "options": "Golf\nSailing", "is_active": "on"},
    )

    assert response["Location"] == reverse("designer:section", args=["contacts"])
    definition = FieldDefinition.objects.get(code="hobby")
    assert (definition.section, definition.options, definition.position) == ("contacts", ["Golf", "Sailing"], 1)
    page = designer_client.get(reverse("designer:section", args=["contacts"])).content.decode()
    assert "Hobby" in page and "Golf, Sailing" in page


def test_a_field_whose_code_is_taken_is_refused_with_the_reason(designer_client):
    FieldDefinition.objects.create(section="contacts", code="hobby", label="Hobby", kind="text")

    response = designer_client.post(
        reverse("designer:field_create", args=["contacts"]),
        {"code": "hobby", "label": "Pastime", "kind": "text", "is_active": "on"},
    )

    assert response.status_code == 422
    assert "already exists" in str(response.context["form"].errors)
    assert FieldDefinition.objects.filter(code="hobby").count() == 1


def test_retiring_a_field_keeps_its_values(designer_client, alice):
    definition = FieldDefinition.objects.create(section="accounts", code="tier", label="Tier", kind="text")
    account = AccountFactory(owner=alice, custom={"tier": "A"})

    response = designer_client.post(
        reverse("designer:field_update", args=[definition.pk]),
        {"label": "Tier", "kind": "text", "position": 0},  # "is_active" left unticked
    )

    assert response.status_code == 302
    definition.refresh_from_db()
    account.refresh_from_db()
    assert not definition.is_active and account.custom == {"tier": "A"}


def test_the_type_of_a_field_holding_values_cannot_change(designer_client, alice):
    definition = FieldDefinition.objects.create(section="accounts", code="tier", label="Tier", kind="text")
    AccountFactory(owner=alice, custom={"tier": "A"})

    response = designer_client.post(
        reverse("designer:field_update", args=[definition.pk]),
        {"label": "Tier", "kind": "integer", "position": 0, "is_active": "on"},
    )

    assert response.status_code == 422
    assert "cannot change" in str(response.context["form"].errors["kind"])
    definition.refresh_from_db()
    assert definition.kind == "text"


def test_the_type_of_an_unused_field_may_change(designer_client):
    definition = FieldDefinition.objects.create(section="accounts", code="tier", label="Tier", kind="text")

    designer_client.post(
        reverse("designer:field_update", args=[definition.pk]),
        {"label": "Tier", "kind": "integer", "position": 0, "is_active": "on"},
    )

    definition.refresh_from_db()
    assert definition.kind == "integer"


@pytest.mark.parametrize(
    ("url_name", "args"),
    [("designer:index", []), ("designer:section", ["accounts"]), ("designer:field_create", ["accounts"])],
)
def test_without_the_designer_right_the_pages_do_not_exist(alice_client, url_name, args):
    response = alice_client.get(reverse(url_name, args=args))

    assert response.status_code == 404
    assert 'id="menu-designer"' not in alice_client.get(reverse("home")).content.decode()


def test_without_the_designer_right_no_field_is_added(alice_client):
    response = alice_client.post(
        reverse("designer:field_create", args=["accounts"]), {"code": "x", "label": "X", "kind": "text"}
    )

    assert response.status_code == 404
    assert not FieldDefinition.objects.exists()


def test_an_unknown_section_is_not_found(designer_client):
    assert designer_client.get(reverse("designer:section", args=["nowhere"])).status_code == 404


def test_the_options_box_of_a_new_field_starts_empty(designer_client):
    page = designer_client.get(reverse("designer:field_create", args=["contacts"])).content.decode()

    box = page.split('name="options"', 1)[1].split("</textarea>", 1)[0]
    assert box.split(">", 1)[1].strip() == ""


def test_the_options_box_of_a_choice_field_lists_one_value_per_line(designer_client):
    definition = FieldDefinition.objects.create(
        section="contacts", code="tier", label="Tier", kind=FieldDefinition.Kind.CHOICE, options=["Gold", "Silver"]
    )

    page = designer_client.get(reverse("designer:field_update", args=[definition.pk])).content.decode()

    box = page.split('name="options"', 1)[1].split("</textarea>", 1)[0]
    assert box.split(">", 1)[1].strip() == "Gold\nSilver"

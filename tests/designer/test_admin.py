"""Custom fields are defined in the admin by those with the designer right (the section wizard comes later)."""

from django.urls import reverse

from crm.designer.models import FieldDefinition


def test_an_administrator_adds_a_choice_field_with_one_value_per_line(client, ada):
    client.force_login(ada)

    response = client.post(
        reverse("admin:designer_fielddefinition_add"),
        {
            "section": "contacts",
            "code": "loyalty_tier",
            "label": "Loyalty tier",
            "kind": "choice",
            "options": "Gold\r\n Silver \r\n\r\nBronze",
            "position": 0,
            "is_active": "on",
        },
    )

    assert response.status_code == 302
    definition = FieldDefinition.objects.get(code="loyalty_tier")
    assert (definition.section, definition.options) == ("contacts", ["Gold", "Silver", "Bronze"])
    form = client.get(reverse("contacts:create")).context["form"]
    assert form.fields["custom__loyalty_tier"].label == "Loyalty tier"


def test_the_code_of_a_field_in_use_cannot_change(client, ada):
    definition = FieldDefinition.objects.create(section="contacts", code="tier", label="Tier", kind="text")
    client.force_login(ada)

    client.post(
        reverse("admin:designer_fielddefinition_change", args=[definition.pk]),
        {"section": "accounts", "code": "renamed", "label": "Tier level", "kind": "text", "position": 0},
    )

    definition.refresh_from_db()
    assert (definition.section, definition.code, definition.label) == ("contacts", "tier", "Tier level")


def test_staff_without_the_designer_right_cannot_define_fields(client, bob):
    bob.is_staff = True
    bob.save()
    client.force_login(bob)

    response = client.get(reverse("admin:designer_fielddefinition_add"))

    assert response.status_code == 403

"""What a print form's template is given: the fields the user may read, as text and numbers, never records."""

from crm.access.models import ColumnRight, Membership, Role
from crm.printing import selectors
from crm.sections import registry


def test_the_record_is_given_as_values_not_as_a_model(alice, opportunity):
    context = selectors.print_context(alice, registry.get("opportunities"), opportunity)

    record = context["record"]
    assert isinstance(record, dict)
    assert record["name"] == "Laptops for Northwind"
    assert record["owner"] == "Alice Archer", "a person by full name, not by user name"
    assert [line["product"] for line in context["lines"]] == ["ThinkPad X1 Carbon"]
    assert context["totals"]["total"] == opportunity.amount


def test_hidden_fields_are_present_and_empty(bob, opportunity):
    reps = Role.objects.create(name="Sales reps", kind=Role.Kind.FUNCTIONAL)
    Membership.objects.create(user=bob, role=reps)
    ColumnRight.objects.create(
        section="opportunities", field_name="description", role=reps, access=ColumnRight.Access.HIDDEN
    )

    record = selectors.print_context(bob, registry.get("opportunities"), opportunity)["record"]

    assert record["description"] == ""
    assert record["name"] == "Laptops for Northwind"


def test_custom_fields_are_given_by_code_and_hidden_ones_empty(alice, bob, opportunity):
    from decimal import Decimal

    from crm.designer.models import FieldDefinition

    FieldDefinition.objects.create(section="opportunities", code="margin", label="Margin", kind="decimal")
    FieldDefinition.objects.create(section="opportunities", code="region", label="Region", kind="text")
    opportunity.custom = {"margin": "40.00", "region": "EMEA"}
    opportunity.save()
    reps = Role.objects.create(name="Sales reps", kind=Role.Kind.FUNCTIONAL)
    Membership.objects.create(user=bob, role=reps)
    ColumnRight.objects.create(
        section="opportunities", field_name="custom__margin", role=reps, access=ColumnRight.Access.HIDDEN
    )

    for_alice = selectors.print_context(alice, registry.get("opportunities"), opportunity)["record"]
    for_bob = selectors.print_context(bob, registry.get("opportunities"), opportunity)["record"]

    assert for_alice["custom"] == {"margin": Decimal("40.00"), "region": "EMEA"}
    assert for_bob["custom"] == {"margin": "", "region": "EMEA"}

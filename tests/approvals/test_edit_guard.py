"""While an approval is pending the record is locked (but for the fields its section allows) and cannot be
deleted; once it is finished the record is editable again."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from crm.approvals import services
from crm.sections import registry
from crm.sections.services import delete_record, update_record
from opportunities.models import Opportunity


def rename(user, opportunity, name):
    opportunity = Opportunity.objects.get(pk=opportunity.pk)
    return update_record(
        section=registry.get("opportunities"),
        user=user,
        obj=opportunity,
        data={"name": name},
        expected_version=opportunity.version,
    )


def test_a_record_waiting_for_approval_cannot_be_changed_until_it_is_approved(
    alice, bob, dave, hooks, route, opportunity
):
    approval = services.send_for_approval(user=alice, record=opportunity)

    with pytest.raises(ValidationError, match="is waiting for approval"):
        rename(alice, opportunity, "Tablets for Northwind")
    assert Opportunity.objects.get(pk=opportunity.pk).name == "Laptops for Northwind"

    services.approve(user=bob, approval=approval)
    services.approve(user=dave, approval=approval)

    assert rename(alice, opportunity, "Tablets for Northwind").name == "Tablets for Northwind"


def test_the_fields_the_section_allows_may_change_while_pending(alice, hooks, route, opportunity):
    services.send_for_approval(user=alice, record=opportunity)
    opportunity = Opportunity.objects.get(pk=opportunity.pk)

    updated = update_record(
        section=registry.get("opportunities"),
        user=alice,
        obj=opportunity,
        data={"description": "Fifty laptops, delivered in May", "name": opportunity.name},
        expected_version=opportunity.version,
    )

    assert updated.description == "Fifty laptops, delivered in May"


def test_a_record_waiting_for_approval_cannot_be_deleted(alice, hooks, route, opportunity):
    approval = services.send_for_approval(user=alice, record=opportunity)

    with pytest.raises(PermissionDenied, match="waiting for approval"):
        delete_record(user=alice, obj=opportunity)

    services.cancel(user=alice, approval=approval)
    delete_record(user=alice, obj=opportunity)
    assert not Opportunity.objects.filter(pk=opportunity.pk).exists()


def test_cancelling_unlocks_the_record(alice, hooks, route, opportunity):
    approval = services.send_for_approval(user=alice, record=opportunity)
    services.cancel(user=alice, approval=approval)

    assert rename(alice, opportunity, "Tablets").name == "Tablets"


def test_the_edit_page_says_the_record_is_waiting_for_approval(alice_client, alice, hooks, route, opportunity):
    services.send_for_approval(user=alice, record=opportunity)
    url = f"/opportunities/{opportunity.pk}/edit/"
    form = alice_client.get(url).context["form"]
    data = {name: value for name, value in form.initial.items() if value is not None and name in form.fields}
    data.update(
        {name: getattr(value, "pk", value) for name, value in data.items() if not isinstance(value, (list, tuple))}
    )
    data["name"] = "Tablets for Northwind"

    response = alice_client.post(url, data)

    assert response.status_code == 422
    assert "is waiting for approval" in response.content.decode()


def test_sections_without_approvals_are_not_guarded(alice, route, opportunity):
    assert rename(alice, opportunity, "Tablets").name == "Tablets"

"""The generic form on the Contacts section: the full name follows its parts; the account is a checked lookup."""

from django.urls import reverse

from contacts.models import Contact
from tests.factories import AccountFactory, ContactFactory


def test_the_full_name_is_composed_from_its_parts(alice_client, alice):
    alice_client.post(
        reverse("contacts:create"),
        {"given_name": "Nancy", "middle_name": "J.", "surname": "Davolio", "full_name": "", "owner": alice.pk},
    )

    assert Contact.objects.get().full_name == "Nancy J. Davolio"


def test_a_full_name_alone_is_kept_as_typed(alice_client, alice):
    alice_client.post(reverse("contacts:create"), {"full_name": "Dr. Nancy Davolio", "owner": alice.pk})

    assert Contact.objects.get().full_name == "Dr. Nancy Davolio"


def test_an_account_that_does_not_exist_is_a_field_error(alice_client, alice):
    response = alice_client.post(
        reverse("contacts:create"), {"given_name": "Nancy", "account": "999999", "owner": alice.pk}
    )

    assert response.status_code == 422
    assert response.context["form"].errors["account"] == [
        "Select a valid choice. That choice is not one of the available choices."
    ]
    assert not Contact.objects.exists()


def test_moving_a_contact_to_another_account_is_logged_by_account_name(alice_client, alice):
    old, new = AccountFactory(name="Old Employer", owner=alice), AccountFactory(name="New Employer", owner=alice)
    contact = ContactFactory(account=old, owner=alice)
    url = reverse("contacts:update", args=[contact.pk])
    form = alice_client.get(url).context["form"]
    data = {name: ("" if form[name].value() is None else form[name].value()) for name in form.fields}

    alice_client.post(url, {**data, "account": new.pk})

    history = alice_client.get(reverse("contacts:tab", args=[contact.pk, "history"])).content.decode()
    assert '<td class="text-secondary">Old Employer</td><td>New Employer</td>' in history

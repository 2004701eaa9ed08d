"""An employee's contact is linked to the user who logs in as that employee, once."""

import pytest
from django.urls import reverse

from contacts.models import Contact
from tests.factories import ContactFactory

pytestmark = pytest.mark.django_db


def form_data(contact, **changes):
    data = {
        "given_name": contact.given_name,
        "surname": contact.surname,
        "owner": contact.owner_id,
        "version": contact.version,
    }
    data.update(changes)
    return data


def test_an_employee_contact_is_linked_to_its_user_and_shows_it(alice_client, alice, bob):
    contact = ContactFactory(owner=alice, given_name="Bob", surname="Baker")

    response = alice_client.post(reverse("contacts:update", args=[contact.pk]), form_data(contact, user=bob.pk))

    assert response.status_code == 302
    assert Contact.objects.get(pk=contact.pk).user == bob
    assert bob.employee_contact == contact
    page = alice_client.get(reverse("contacts:detail", args=[contact.pk])).content.decode()
    assert "Bob Baker" in page and "CRM user" in page


def test_a_user_is_the_employee_of_one_contact_only(alice_client, alice, bob):
    ContactFactory(owner=alice, user=bob)
    other = ContactFactory(owner=alice)

    response = alice_client.post(reverse("contacts:update", args=[other.pk]), form_data(other, user=bob.pk))

    assert response.status_code == 422
    assert "already exists" in response.content.decode()
    assert Contact.objects.get(pk=other.pk).user is None

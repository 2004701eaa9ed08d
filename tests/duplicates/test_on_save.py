"""Creating or editing a record that matches others shows them before saving: save anyway, or open one."""

import pytest
from django.urls import reverse

from contacts.models import Contact
from crm.duplicates.models import DuplicateKey

pytestmark = pytest.mark.django_db


def new_contact(client, owner, **fields):
    data = {"given_name": "", "surname": "", "full_name": "", "owner": owner.pk, **fields}
    return client.post(reverse("contacts:create"), data)


def test_a_new_contact_matching_an_existing_one_shows_it_before_saving(alice_client, alice, make_contact):
    ann = make_contact("Ann Lee", email="ann.lee@example.com")

    response = new_contact(alice_client, alice, given_name="Ann", surname="Lee", email="ANN.LEE@example.com")

    assert response.status_code == 200
    assert [c.record for c in response.context["duplicate_candidates"]] == [ann]
    body = response.content.decode()
    assert reverse("contacts:detail", args=[ann.pk]) in body
    assert 'id="save-anyway"' in body
    assert Contact.objects.count() == 1


def test_save_anyway_saves_the_new_contact_and_indexes_it(alice_client, alice, make_contact):
    make_contact("Ann Lee", email="ann.lee@example.com")

    response = new_contact(
        alice_client, alice, given_name="Ann", surname="Lee", email="ann.lee@example.com", duplicates_checked="1"
    )

    assert response.status_code == 302
    created = Contact.objects.exclude(pk__in=[c.pk for c in Contact.objects.order_by("pk")[:1]]).get()
    assert DuplicateKey.objects.filter(object_id=created.pk, key="any_email/email=ann.lee@example.com").exists()


def test_a_contact_without_a_match_is_saved_at_once(alice_client, alice, make_contact):
    make_contact("Ann Lee", email="ann.lee@example.com")

    response = new_contact(alice_client, alice, given_name="Bob", surname="Stone", email="bob@example.com")

    assert response.status_code == 302
    assert Contact.objects.count() == 2


def test_editing_a_contact_does_not_find_the_contact_itself(alice_client, alice, make_contact):
    ann = make_contact("Ann Lee", email="ann.lee@example.com")
    url = reverse("contacts:update", args=[ann.pk])
    form = alice_client.get(url).context["form"]
    data = {name: ("" if form[name].value() is None else form[name].value()) for name in form.fields}

    response = alice_client.post(url, {**data, "job_title": "Buyer"})

    assert response.status_code == 302


def test_an_edit_that_makes_a_contact_match_another_shows_it(alice_client, alice, make_contact):
    ann = make_contact("Ann Lee", email="ann.lee@example.com")
    bob = make_contact("Bob Stone", email="bob@example.com")
    url = reverse("contacts:update", args=[bob.pk])
    form = alice_client.get(url).context["form"]
    data = {name: ("" if form[name].value() is None else form[name].value()) for name in form.fields}

    response = alice_client.post(url, {**data, "email": "ann.lee@example.com"})

    assert [c.record for c in response.context["duplicate_candidates"]] == [ann]
    bob.refresh_from_db()
    assert bob.email == "bob@example.com"


def test_a_candidate_the_user_may_not_see_is_neither_shown_nor_counted(
    client, alice, bob, make_contact, only_owners_read_records
):
    hidden = make_contact("Ann Lee", owner=bob, email="ann.lee@example.com")
    client.force_login(alice)

    response = new_contact(client, alice, given_name="Ann", surname="Lee", email="ann.lee@example.com")

    assert response.status_code == 302  # nothing the user may see matched: saved at once
    assert f"/contacts/{hidden.pk}/" not in response.content.decode()
    assert Contact.objects.count() == 2


def test_the_check_shows_only_the_visible_candidates(client, alice, bob, make_contact, only_owners_read_records):
    mine = make_contact("Ann Lee", email="ann.lee@example.com")
    make_contact("Ann Lee", owner=bob, email="ann.lee@example.com")
    client.force_login(alice)

    response = new_contact(client, alice, given_name="Ann", surname="Lee", email="ann.lee@example.com")

    assert [c.record for c in response.context["duplicate_candidates"]] == [mine]
    assert response.content.decode().count("data-candidate=") == 1

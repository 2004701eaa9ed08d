"""A contact's details: the email and phones follow the primary communication options (and back), the birthdate
its Birthday event (and back), and the do-not-contact flags the options' and addresses' do-not-use flags."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from contacts.models import Contact, ContactAddressType, ContactCommunicationType, ContactEvent, ContactEventType
from crm.sections import details, registry, services
from tests.factories import AccountFactory
from tests.factories.customers import lookup

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def section():
    return registry.get("contacts")


@pytest.fixture
def nancy(alice, section):
    return services.create_record(
        section=section,
        user=alice,
        data={
            "given_name": "Nancy",
            "surname": "Davolio",
            "email": "nancy@northwind.example",
            "mobile_phone": "+1 555 0101",
        },
    )


def save(user, contact, detail: str, row=None, **data):
    return details.save_row(
        detail=registry.get("contacts").get_detail(detail), user=user, record=contact, row=row, data=data
    )


def delete(user, contact, detail: str, row):
    details.delete_row(detail=registry.get("contacts").get_detail(detail), user=user, record=contact, row=row)


def option_type(name: str):
    return lookup(ContactCommunicationType, name)


def flags(contact) -> dict[str, bool]:
    contact.refresh_from_db()
    return {
        "email": contact.do_not_use_email,
        "phone": contact.do_not_use_phone,
        "sms": contact.do_not_use_sms,
        "mail": contact.do_not_use_mail,
    }


# --- email and phones --------------------------------------------------------------------------------------


def test_the_email_and_mobile_of_a_new_contact_become_its_primary_options(nancy):
    options = set(nancy.communication_options.values_list("type__name", "value", "is_primary"))

    assert options == {("Email", "nancy@northwind.example", True), ("Mobile phone", "+1 555 0101", True)}


def test_a_new_primary_email_option_becomes_the_contacts_email_and_outdates_an_open_form(alice, nancy):
    save(
        alice,
        nancy,
        "communication_options",
        type=option_type("Email"),
        value="n.davolio@mail.example",
        is_primary=True,
    )

    contact = Contact.objects.get(pk=nancy.pk)
    assert contact.email == "n.davolio@mail.example"
    assert contact.version == 2  # someone editing the contact meanwhile gets the stale-record warning


def test_changing_the_mobile_on_the_form_rewrites_its_option(alice, nancy, section):
    services.update_record(
        section=section, user=alice, obj=nancy, data={"mobile_phone": "+1 555 0199"}, expected_version=1
    )

    assert list(nancy.communication_options.filter(type__name="Mobile phone").values_list("value", flat=True)) == [
        "+1 555 0199"
    ]


def test_a_mobile_that_is_no_phone_number_is_refused_on_the_form_and_nothing_changes(alice_client, nancy):
    url = reverse("contacts:update", args=[nancy.pk])
    form = alice_client.get(url).context["form"]
    data = {name: value for name, value in form.initial.items() if value is not None}
    data.update(version=1, owner=nancy.owner_id, mobile_phone="call me maybe")

    response = alice_client.post(url, data)

    assert response.status_code == 422
    assert "Enter a phone number" in " ".join(response.context["form"].errors["mobile_phone"])
    nancy.refresh_from_db()
    assert nancy.mobile_phone == "+1 555 0101"


def test_deleting_the_email_option_empties_the_contacts_email(alice, nancy):
    delete(alice, nancy, "communication_options", nancy.communication_options.get(type__name="Email"))

    nancy.refresh_from_db()
    assert nancy.email == ""


# --- birthday --------------------------------------------------------------------------------------------


def birthdays(contact) -> list[datetime.date]:
    return list(ContactEvent.objects.filter(contact=contact, type__name="Birthday").values_list("date", flat=True))


def test_a_birthdate_makes_a_birthday_event_that_moves_and_goes_with_it(alice, nancy, section):
    services.update_record(
        section=section, user=alice, obj=nancy, data={"birth_date": datetime.date(1980, 2, 29)}, expected_version=1
    )
    assert birthdays(nancy) == [datetime.date(1980, 2, 29)]

    services.update_record(
        section=section, user=alice, obj=nancy, data={"birth_date": datetime.date(1981, 3, 1)}, expected_version=2
    )
    assert birthdays(nancy) == [datetime.date(1981, 3, 1)]

    services.update_record(section=section, user=alice, obj=nancy, data={"birth_date": None}, expected_version=3)
    assert birthdays(nancy) == []


def test_changing_the_birthday_event_changes_the_birthdate_and_deleting_it_clears_it(alice, nancy):
    event = save(
        alice, nancy, "noteworthy_events", type=lookup(ContactEventType, "Birthday"), date=datetime.date(1975, 7, 9)
    )
    nancy.refresh_from_db()
    assert nancy.birth_date == datetime.date(1975, 7, 9)

    delete(alice, nancy, "noteworthy_events", event)

    nancy.refresh_from_db()
    assert nancy.birth_date is None


def test_a_contact_has_one_birthday(alice, nancy):
    birthday = lookup(ContactEventType, "Birthday")
    save(alice, nancy, "noteworthy_events", type=birthday, date=datetime.date(1975, 7, 9))

    with pytest.raises(ValidationError, match="already has a birthday"):
        save(alice, nancy, "noteworthy_events", type=birthday, date=datetime.date(1976, 7, 9))


def test_other_noteworthy_events_leave_the_birthdate_alone(alice, nancy):
    save(alice, nancy, "noteworthy_events", type=lookup(ContactEventType, "Name day"), date=datetime.date(2000, 7, 26))

    nancy.refresh_from_db()
    assert nancy.birth_date is None


def test_the_age_follows_the_birthdate(alice):
    today = datetime.date.today()
    contact = Contact(full_name="Young", birth_date=today.replace(year=today.year - 30) - datetime.timedelta(days=1))

    assert contact.age == 30


# --- do-not-contact flags --------------------------------------------------------------------------------


def test_email_is_closed_when_every_email_option_is_marked_do_not_use(alice, nancy):
    email = nancy.communication_options.get(type__name="Email")
    other = save(alice, nancy, "communication_options", type=option_type("Email"), value="private@mail.example")

    save(alice, nancy, "communication_options", row=email, type=email.type, value=email.value, do_not_use=True)
    assert flags(nancy)["email"] is False  # the private address may still be used

    save(alice, nancy, "communication_options", row=other, type=other.type, value=other.value, do_not_use=True)
    assert flags(nancy) == {"email": True, "phone": False, "sms": False, "mail": False}


def test_sms_is_closed_by_the_mobile_phones_and_phone_by_all_phones(alice, nancy):
    mobile = nancy.communication_options.get(type__name="Mobile phone")
    home = save(alice, nancy, "communication_options", type=option_type("Home phone"), value="+1 555 0400")

    save(alice, nancy, "communication_options", row=mobile, type=mobile.type, value=mobile.value, do_not_use=True)
    assert (flags(nancy)["sms"], flags(nancy)["phone"]) == (True, False)

    save(alice, nancy, "communication_options", row=home, type=home.type, value=home.value, do_not_use=True)
    assert flags(nancy)["phone"] is True


def test_mail_is_closed_by_the_addresses(alice, nancy):
    save(alice, nancy, "addresses", type=lookup(ContactAddressType, "Home"), city="Seattle", do_not_use=True)

    assert flags(nancy)["mail"] is True


def test_the_flags_cannot_be_typed_in(alice_client, nancy):
    url = reverse("contacts:update", args=[nancy.pk])
    form = alice_client.get(url).context["form"]

    assert "do_not_use_email" not in form.fields


# --- the page -----------------------------------------------------------------------------------------------


def test_the_contact_page_shows_the_age_the_account_and_the_channels(alice_client, alice, nancy, section):
    account = AccountFactory(name="Northwind Traders", owner=alice, web="https://northwind.example")
    nancy = services.update_record(
        section=section,
        user=alice,
        obj=nancy,
        data={"account": account, "birth_date": datetime.date(1970, 1, 1)},
        expected_version=1,
    )

    body = alice_client.get(reverse("contacts:detail", args=[nancy.pk])).content.decode()

    assert f"<strong data-age>{nancy.age}</strong>" in body
    assert 'id="profile-account"' in body and "https://northwind.example" in body
    assert 'data-field="do_not_use_email"' in body


def test_the_general_information_tab_lists_the_options_and_addresses(alice_client, alice, nancy):
    save(alice, nancy, "addresses", type=lookup(ContactAddressType, "Work"), street="1 Pike Place", city="Seattle")

    body = alice_client.get(reverse("contacts:tab", args=[nancy.pk, "general"]), **HTMX).content.decode()

    assert "nancy@northwind.example" in body
    assert "1 Pike Place, Seattle" in body
